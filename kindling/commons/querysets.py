"""Who may see what in the member space: the one place visibility is decided.

Rules: only signed-in members see the commons; content in an invite-only circle is seen only by
that circle's members; hidden content is seen only by its author and by moderators.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db import models
from django.db.models import Q

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kindling.accounts.models import User


def is_moderator(user: User | AnonymousUser) -> bool:
    return bool(
        user.is_authenticated and (getattr(user, "is_moderator", False) or user.is_superuser)
    )


def member_circle_ids(user: User | AnonymousUser) -> models.QuerySet[Any]:
    membership = apps.get_model("commons", "CircleMembership")
    return membership.objects.filter(user_id=user.pk or 0).values("circle_id")


def open_circle_ids() -> models.QuerySet[Any]:
    circle = apps.get_model("commons", "Circle")
    return circle.objects.filter(visibility="open").values("id")


def circle_filter(user: User | AnonymousUser, prefix: str = "") -> Q:
    """Rows outside any circle, in an open circle, or in one of the user's circles.

    Subqueries rather than a join to circles: the database reads the (few) open and joined
    circles once, and lists can still walk their created_at index.
    """
    return (
        Q(**{f"{prefix}circle__isnull": True})
        | Q(**{f"{prefix}circle_id__in": open_circle_ids()})
        | Q(**{f"{prefix}circle_id__in": member_circle_ids(user)})
    )


def circle_filter_sql(user: User | AnonymousUser, column: str) -> tuple[str, list[Any]]:
    """``circle_filter`` as an SQL condition on ``column`` (a trusted name such as
    ``"r.circle_id"``) and its parameters, for hand-written statements; moderators see every
    circle: ``("", [])``."""
    if is_moderator(user):
        return "", []
    circle = apps.get_model("commons", "Circle")._meta.db_table
    membership = apps.get_model("commons", "CircleMembership")._meta.db_table
    return (
        f"({column} IS NULL OR {column} IN (SELECT id FROM {circle} WHERE visibility = %s)"  # noqa: S608
        f" OR {column} IN (SELECT circle_id FROM {membership} WHERE user_id = %s))",
        ["open", user.pk or 0],
    )


def may_view(user: User | AnonymousUser, post: Any) -> bool:
    """The rule of ``ContentQuerySet.visible_to`` for one resource or need already loaded with
    its circle (``select_related("circle")``), for detail pages: building the rule as a query
    cost more than loading the row. At most one query, for a post in an invite-only circle."""
    if not user.is_authenticated:
        return False
    if is_moderator(user):
        return True
    if post.is_hidden and post.author_id != user.pk:
        return False
    if post.circle_id is None or post.circle.visibility == "open":
        return True
    return member_circle_ids(user).filter(circle_id=post.circle_id).exists()


class ContentQuerySet(models.QuerySet[Any]):
    """Resources and needs."""

    def visible_to(self, user: User | AnonymousUser) -> ContentQuerySet:
        if not user.is_authenticated:
            return self.none()
        if is_moderator(user):
            return self
        return self.filter(circle_filter(user)).filter(Q(is_hidden=False) | Q(author_id=user.pk))

    def listed_for(self, user: User | AnonymousUser) -> ContentQuerySet:
        """What lists and streams show: visible and not hidden (even to its author)."""
        if not user.is_authenticated:
            return self.none()
        if is_moderator(user):
            return self.filter(is_hidden=False)
        return self.filter(circle_filter(user), is_hidden=False)


class ResponseQuerySet(models.QuerySet[Any]):
    def visible_to(self, user: User | AnonymousUser) -> ResponseQuerySet:
        if not user.is_authenticated:
            return self.none()
        if is_moderator(user):
            return self
        return self.filter(circle_filter(user, "need__"), need__is_hidden=False).filter(
            Q(is_hidden=False) | Q(author_id=user.pk)
        )


class CircleQuerySet(models.QuerySet[Any]):
    def visible_to(self, user: User | AnonymousUser) -> CircleQuerySet:
        """Circles a member can find: every circle's name and purpose, never its content."""
        if not user.is_authenticated:
            return self.none()
        return self

    def joined_by(self, user: User | AnonymousUser) -> CircleQuerySet:
        return self.filter(id__in=member_circle_ids(user))
