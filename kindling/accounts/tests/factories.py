"""Factories for people: a user always comes with a verified e-mail and a profile."""

from __future__ import annotations

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from kindling.accounts.models import Profile, User

PASSWORD = "correct horse battery staple"


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile

    user = factory.SubFactory("kindling.accounts.tests.factories.UserFactory", profile=None)
    display_name = factory.Faker("name")
    role = "teacher"
    time_zone = "America/Chicago"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"member{n}@example.org")
    code_of_conduct_version = "2026-11"
    code_of_conduct_accepted_at = factory.LazyFunction(timezone.now)
    profile = factory.RelatedFactory(ProfileFactory, factory_related_name="user")

    @factory.post_generation
    def password(self, create: bool, extracted: str | None, **kwargs: object) -> None:
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])

    @factory.post_generation
    def verified_email(self, create: bool, extracted: bool | None, **kwargs: object) -> None:
        if create:
            EmailAddress.objects.create(
                user=self, email=self.email, verified=extracted is not False, primary=True
            )
