"""Reads of follows and notifications, and what a member may follow."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import QuerySet
from django.http import Http404

from kindling.accounts.models import User
from kindling.commons.models import Circle, CircleMembership, Need, Tag
from kindling.commons.querysets import circle_filter, circle_filter_sql, is_moderator
from kindling.notifications.models import (
    Follow,
    FollowKind,
    Notification,
    NotificationSettings,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

# Counting stops here; the header shows "99+" beyond it, so a long-unread inbox stays cheap.
UNREAD_COUNT_LIMIT = 100

FollowTarget = Tag | User | Circle | Need


def followed_ids(user: User | AnonymousUser, kind: str) -> set[int]:
    """Ids of the things of this kind ("tag", "user", "circle", "need") the member follows."""
    if not user.is_authenticated:
        return set()
    return set(
        Follow.objects.filter(user_id=user.pk, kind=kind).values_list("object_id", flat=True)
    )


def is_following(user: User | AnonymousUser, kind: str, object_id: int) -> bool:
    """Whether the member follows this tag, member, circle or need."""
    if not user.is_authenticated:
        return False
    # Hand-written: pages ask this once each, and the ORM took longer to build it than to run it.
    sql = (
        f"SELECT 1 FROM {Follow._meta.db_table}"  # noqa: S608
        " WHERE user_id = %s AND kind = %s AND object_id = %s LIMIT 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk, kind, object_id])
        return cursor.fetchone() is not None


def get_follow_target(user: User | AnonymousUser, kind: str, object_id: int) -> FollowTarget:
    """The thing a member wants to follow, if it exists and they may see it; else 404.

    Any tag; any other active member; an open circle or one they belong to; a need they can see.
    """
    if not user.is_authenticated:
        raise Http404("Nothing to follow.")
    target: FollowTarget | None = None
    if kind == FollowKind.TAG:
        target = Tag.objects.filter(pk=object_id).first()
    elif kind == FollowKind.USER:
        target = User.objects.filter(pk=object_id, is_active=True).exclude(pk=user.pk).first()
    elif kind == FollowKind.CIRCLE:
        circle = Circle.objects.filter(pk=object_id).first()
        if circle is not None and (
            circle.is_open
            or is_moderator(user)
            or CircleMembership.objects.filter(circle=circle, user_id=user.pk).exists()
        ):
            target = circle
    elif kind == FollowKind.NEED:
        target = Need.objects.visible_to(user).filter(pk=object_id).first()
    if target is None:
        raise Http404("Nothing to follow.")
    return target


def notifications_for(user: User | AnonymousUser) -> QuerySet[Notification]:
    """A member's notifications, newest first, without those about circles they have left."""
    if not user.is_authenticated:
        return Notification.objects.none()
    notifications = still_visible(Notification.objects.filter(recipient_id=user.pk), user)
    return notifications.select_related("actor__profile").order_by("-created_at", "-id")


def still_visible(
    notifications: QuerySet[Notification], user: User | AnonymousUser
) -> QuerySet[Notification]:
    """Leave out notifications about content in invite-only circles the member is not in (now)."""
    if is_moderator(user):
        return notifications
    return notifications.filter(circle_filter(user))


def unread_count(user: User | AnonymousUser) -> int:
    """Unread notifications the member may still see, counted up to UNREAD_COUNT_LIMIT.

    Every page's header shows this, so it is one plain statement: built with the ORM (the same
    ``notifications_for`` filters) it cost a few milliseconds of query compilation per page. It
    applies the rule of ``still_visible`` through ``circle_filter_sql``: notifications about
    content in an invite-only circle count only for that circle's members (and moderators). A
    test holds the two in step.
    """
    if not user.is_authenticated:
        return 0
    # Only the table name and trusted SQL are formatted in; the member's id is a parameter.
    visible, params = circle_filter_sql(user, "n.circle_id")
    sql = (
        f"SELECT COUNT(*) FROM (SELECT 1 FROM {Notification._meta.db_table} n"  # noqa: S608
        f" WHERE n.recipient_id = %s AND n.read_at IS NULL{' AND ' + visible if visible else ''}"
        f" LIMIT {UNREAD_COUNT_LIMIT}) AS unread"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk, *params])
        return int(cursor.fetchone()[0])


def get_notification_for_recipient(
    user: User | AnonymousUser, notification_id: int
) -> Notification:
    """One of the member's own notifications, or 404."""
    notification = notifications_for(user).filter(pk=notification_id).first()
    if notification is None:
        raise Http404("No such notification.")
    return notification


def settings_by_token(token: str) -> NotificationSettings | None:
    """The e-mail settings an unsubscribe link points at, if the token is real."""
    if not token:
        return None
    return NotificationSettings.objects.filter(unsubscribe_token=token).first()
