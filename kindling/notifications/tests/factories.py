"""Factories for follows, notifications and e-mail settings."""

from __future__ import annotations

import factory

from kindling.accounts.tests.factories import UserFactory
from kindling.commons.tests.factories import NeedFactory
from kindling.notifications.models import Follow, Notification, NotificationSettings, Verb


class FollowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Follow

    user = factory.SubFactory(UserFactory)
    kind = "tag"
    object_id = 1


class NotificationFactory(factory.django.DjangoModelFactory):
    """A "new need" notification, pointing at a real need."""

    class Meta:
        model = Notification

    class Params:
        need = factory.SubFactory(NeedFactory)

    recipient = factory.SubFactory(UserFactory)
    actor = factory.LazyAttribute(lambda o: o.need.author)
    verb = Verb.NEW_NEED
    target_kind = "need"
    target_id = factory.LazyAttribute(lambda o: o.need.pk)
    target_url = factory.LazyAttribute(lambda o: o.need.get_absolute_url())
    summary = factory.LazyAttribute(lambda o: o.need.title)
    circle = factory.LazyAttribute(lambda o: o.need.circle)


class NotificationSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NotificationSettings
        django_get_or_create = ("user",)

    user = factory.SubFactory(UserFactory)
    email_mode = "daily"
