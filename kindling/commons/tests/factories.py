"""Factories for member-space content; authors are full members (verified e-mail, profile)."""

from __future__ import annotations

import factory

from kindling.accounts.tests.factories import UserFactory
from kindling.commons.models import (
    Circle,
    CircleMembership,
    Comment,
    Need,
    Resource,
    Response,
    Tag,
)


class CircleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Circle

    name = factory.Sequence(lambda n: f"Circle {n}")
    slug = factory.Sequence(lambda n: f"circle-{n}")
    description = "Educators who care about the same thing."
    visibility = "open"
    created_by = factory.SubFactory(UserFactory)


class CircleMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CircleMembership

    circle = factory.SubFactory(CircleFactory)
    user = factory.SubFactory(UserFactory)
    role = "member"


class FreeTagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("kind", "slug")

    kind = "free"
    slug = factory.Sequence(lambda n: f"tag-{n}")
    name = factory.LazyAttribute(lambda o: o.slug.replace("-", " "))


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource

    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Resource {n}: a rubric for project work")
    body = "A **rubric** with four criteria.\n\n- Evidence\n- Reasoning"


class NeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Need

    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Need {n}: help with a project rubric by tomorrow")
    details = "My 7th graders start a design project on Monday."


class ResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Response

    need = factory.SubFactory(NeedFactory)
    author = factory.SubFactory(UserFactory)
    body = "Try co-writing the criteria with your students."


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    author = factory.SubFactory(UserFactory)
    resource = factory.SubFactory(ResourceFactory)
    need = None
    body = "Thanks, this helped."
