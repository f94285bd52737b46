"""Which pages the benchmarks open, and as whom, chosen from a generated database."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Page:
    """One page to time: a short name, the path, and what was picked."""

    name: str
    path: str
    about: str


class NotGenerated(Exception):
    """The database does not hold a generated community (run bench_generate first)."""


def choose_viewers(count: int, seed: int = 1) -> list[Any]:
    """A sample of ordinary members who follow something (so their home stream has content)."""
    from kindling.accounts.models import User
    from kindling.notifications.models import Follow

    followers = (
        Follow.objects.filter(kind__in=("tag", "user", "circle")).values("user_id").distinct()
    )
    ids = sorted(
        User.objects.filter(
            is_active=True, is_moderator=False, is_superuser=False, pk__in=followers
        ).values_list("pk", flat=True)
    )
    if not ids:
        raise NotGenerated("No member follows anything: generate a community first.")
    chosen = random.Random(seed).sample(ids, min(count, len(ids)))  # noqa: S311 (not a secret)
    return list(User.objects.filter(pk__in=chosen).select_related("profile").order_by("pk"))


def choose_pages() -> list[Page]:
    """The member space's main pages, each at a representative (and demanding) object."""
    from django.db.models import Count, IntegerField, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    from kindling.commons.models import Lineage, Need, Resource, Tag

    need = (
        Need.objects.filter(response_count=20, circle__isnull=True, is_hidden=False)
        .order_by("pk")
        .first()
    ) or (
        Need.objects.filter(circle__isnull=True, is_hidden=False)
        .order_by("-response_count", "pk")
        .first()
    )
    if need is None:
        raise NotGenerated("No needs: generate a community first.")

    children = (
        Lineage.objects.filter(builds_on_id=OuterRef("pk"))
        .order_by()
        .values("builds_on_id")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    resource = (
        Resource.objects.filter(
            circle__isnull=True,
            is_hidden=False,
            pk__in=Lineage.objects.values("resource_id"),
        )
        .annotate(children=Coalesce(Subquery(children, output_field=IntegerField()), 0))
        .order_by("-children", "pk")
        .first()
    )
    if resource is None:
        raise NotGenerated("No resource builds on another: generate a community first.")

    tag = Tag.objects.annotate(n=Count("resources")).order_by("-n", "pk").first()
    assert tag is not None

    author = (
        Resource.objects.filter(is_hidden=False)
        .values("author_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "author_id")
        .first()
    )
    assert author is not None
    from kindling.accounts.models import Profile

    profile = Profile.objects.get(user_id=author["author_id"])
    parents = Lineage.objects.filter(resource=resource).count()
    return [
        Page("home stream", "/", "signed-in member's home (follows tags, members, circles)"),
        Page(
            "need",
            need.get_absolute_url(),
            f"need {need.pk} with {need.response_count} responses, {need.comment_count} comments",
        ),
        Page(
            "resource",
            resource.get_absolute_url(),
            f"resource {resource.pk}: builds on {parents}, built upon by "
            f"{resource.children}, {resource.comment_count} comments",
        ),
        Page(
            "tag",
            tag.get_absolute_url(),
            f"tag {tag.kind}:{tag.slug} on {tag.n:,} resources",
        ),
        Page(
            "profile",
            profile.get_absolute_url(),
            f"member {profile.pk} with {author['n']} resources",
        ),
    ]


def scale_summary() -> dict[str, int]:
    """Row counts that say how big the benchmarked community is."""
    from kindling.accounts.models import User
    from kindling.commons.models import Comment, Need, Resource, Response, UsefulVote

    return {
        "members": User.objects.count(),
        "resources": Resource.objects.count(),
        "needs": Need.objects.count(),
        "responses": Response.objects.count(),
        "useful_votes": UsefulVote.objects.count(),
        "comments": Comment.objects.count(),
    }


def describe_database() -> tuple[str, dict[str, int]]:
    """Print which database is benchmarked and how big its community is; return both."""
    from bench.environment import database_label

    label, scale = database_label(), scale_summary()
    print(f"Database: {label}")
    print("Scale: " + ", ".join(f"{v:,} {k.replace('_', ' ')}" for k, v in scale.items()))
    return label, scale
