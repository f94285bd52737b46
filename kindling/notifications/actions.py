"""Following things, creating notifications and sending them by e-mail.

The ``notify_*`` entry points are called by other apps' actions inside
``transaction.on_commit`` and take the commons objects themselves. Each one follows the same
rules: never the actor themself; never someone who has blocked the actor (or whom the actor has
blocked); never someone who cannot see the target (content in an invite-only circle reaches
only that circle's members; hidden content reaches nobody); each recipient once; one insert and
a fixed number of queries however many followers there are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import Truncator

from kindling.accounts.models import User
from kindling.commons.models import (
    Circle,
    CircleInvitation,
    CircleJoinRequest,
    CircleMembership,
    CircleRole,
    Comment,
    Need,
    NeedInvitation,
    RequestStatus,
    Resource,
    Response,
)
from kindling.moderation.queries import blocked_ids, ids_who_blocked
from kindling.notifications import emails
from kindling.notifications.models import (
    SUMMARY_MAX,
    EmailMode,
    Follow,
    FollowKind,
    Notification,
    NotificationSettings,
    Verb,
)
from kindling.notifications.queries import get_follow_target, still_visible

if TYPE_CHECKING:
    from collections.abc import Iterable

# A second run of the daily digest within this time sends nothing (cron may fire twice).
DIGEST_MIN_INTERVAL = timedelta(hours=20)
# Digests look back a little before the last one, in case a notification committed late;
# emailed_at keeps anything from being sent twice.
DIGEST_OVERLAP = timedelta(hours=1)
# A member's first digest covers at most the last week.
DIGEST_FIRST_WINDOW = timedelta(days=7)
DIGEST_MAX_ITEMS = 50


# --- Following ---------------------------------------------------------------------------------


@transaction.atomic
def follow(user: User, kind: str, object_id: int) -> Follow:
    """Follow a tag, member, circle or need the member may see (404 otherwise); idempotent."""
    get_follow_target(user, kind, object_id)
    following, _created = Follow.objects.get_or_create(user=user, kind=kind, object_id=object_id)
    return following


@transaction.atomic
def unfollow(user: User, kind: str, object_id: int) -> bool:
    """Stop following; True if the member was following it."""
    deleted, _by_model = Follow.objects.filter(
        user_id=user.pk, kind=kind, object_id=object_id
    ).delete()
    return deleted > 0


# --- Creating notifications --------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """What a notification points at, and who may see it."""

    kind: str
    id: int
    url: str
    summary: str
    # The circle the content lives in; None for circle invitations and requests, which anyone
    # named in them may see.
    circle: Circle | None = None
    hidden: bool = False


def _content_target(
    obj: Resource | Need | Response | Comment, container: Resource | Need
) -> Target:
    return Target(
        kind=obj.KIND,
        id=obj.pk,
        url=obj.get_absolute_url(),
        summary=Truncator(container.title).chars(SUMMARY_MAX),
        circle=container.circle,
        hidden=container.is_hidden or obj.is_hidden,
    )


def _circle_target(circle: Circle) -> Target:
    return Target(
        kind="circle",
        id=circle.pk,
        url=circle.get_absolute_url(),
        summary=Truncator(circle.name).chars(SUMMARY_MAX),
    )


def _followers(*pairs: tuple[str, int | None], tag_ids: Iterable[int] | None = None) -> Q:
    """Members following any of these (kind, id) pairs or tags, as a condition on User."""
    condition = Q(pk__in=[])
    for kind, object_id in pairs:
        if object_id is not None:
            condition |= Q(kind=kind, object_id=object_id)
    if tag_ids is not None:
        condition |= Q(kind=FollowKind.TAG, object_id__in=tag_ids)
    return Q(pk__in=Follow.objects.filter(condition).values("user_id"))


def _people(*user_ids: int | None) -> Q:
    return Q(pk__in=[pk for pk in user_ids if pk is not None])


@transaction.atomic
def deliver(verb: str, target: Target, audience: Q, *, actor_id: int | None) -> list[Notification]:
    """Create one notification per member in ``audience`` who may hear about ``target``.

    The building block of every ``notify_*`` function; other apps call those instead.
    """
    if target.hidden:
        return []
    recipients = User.objects.filter(audience, is_active=True)
    if actor_id is not None:
        silenced = ids_who_blocked(actor_id) | blocked_ids(actor_id)
        recipients = recipients.exclude(pk=actor_id).exclude(pk__in=silenced)
    if target.circle is not None and not target.circle.is_open:
        recipients = recipients.filter(
            pk__in=CircleMembership.objects.filter(circle_id=target.circle.pk).values("user_id")
        )
    rows = list(recipients.order_by("pk").values_list("pk", "notification_settings__email_mode"))
    if not rows:
        return []
    without_settings = [pk for pk, mode in rows if mode is None]
    if without_settings:
        # Every recipient gets a settings row now, so e-mail always has an unsubscribe token.
        NotificationSettings.objects.bulk_create(
            [NotificationSettings(user_id=pk) for pk in without_settings], ignore_conflicts=True
        )
    now = timezone.now()
    notifications = Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=pk,
                actor_id=actor_id,
                verb=verb,
                target_kind=target.kind,
                target_id=target.id,
                target_url=target.url,
                summary=target.summary,
                circle=target.circle,
                created_at=now,
            )
            for pk, _mode in rows
        ]
    )
    immediate = [
        notification.pk
        for notification, (_pk, mode) in zip(notifications, rows, strict=True)
        if mode == EmailMode.IMMEDIATE
    ]
    if immediate:
        from kindling.notifications.tasks import email_notifications

        transaction.on_commit(lambda: email_notifications.enqueue(immediate))
    return notifications


def notify_new_need(need: Need) -> list[Notification]:
    """Tell followers of the need's author, tags and circle about a new need."""
    tag_ids = Need.tags.through.objects.filter(need_id=need.pk).values_list("tag_id", flat=True)
    audience = _followers(
        (FollowKind.USER, need.author_id), (FollowKind.CIRCLE, need.circle_id), tag_ids=tag_ids
    )
    return deliver(Verb.NEW_NEED, _content_target(need, need), audience, actor_id=need.author_id)


def notify_new_resource(resource: Resource) -> list[Notification]:
    """Tell followers of the resource's author, tags and circle about a new resource."""
    tag_ids = Resource.tags.through.objects.filter(resource_id=resource.pk).values_list(
        "tag_id", flat=True
    )
    audience = _followers(
        (FollowKind.USER, resource.author_id),
        (FollowKind.CIRCLE, resource.circle_id),
        tag_ids=tag_ids,
    )
    target = _content_target(resource, resource)
    return deliver(Verb.NEW_RESOURCE, target, audience, actor_id=resource.author_id)


def notify_built_on(resource: Resource, parents: list[Resource]) -> list[Notification]:
    """Tell the authors of the resources this one builds on."""
    audience = _people(*(parent.author_id for parent in parents))
    target = _content_target(resource, resource)
    return deliver(Verb.BUILT_ON, target, audience, actor_id=resource.author_id)


def notify_new_response(response: Response) -> list[Notification]:
    """Tell the need's author and the need's followers about a new response."""
    need = response.need
    audience = _people(need.author_id) | _followers((FollowKind.NEED, need.pk))
    target = _content_target(response, need)
    return deliver(Verb.NEW_RESPONSE, target, audience, actor_id=response.author_id)


def notify_need_invitation(invitation: NeedInvitation) -> list[Notification]:
    """Tell a member the asker would like their help with a need."""
    need = invitation.need
    return deliver(
        Verb.NEED_INVITATION,
        _content_target(need, need),
        _people(invitation.invited_id),
        actor_id=invitation.invited_by_id,
    )


def notify_response_helped(response: Response) -> list[Notification]:
    """Tell a response's author that the asker marked it as having helped."""
    need = response.need
    target = _content_target(response, need)
    return deliver(
        Verb.RESPONSE_HELPED, target, _people(response.author_id), actor_id=need.author_id
    )


def notify_new_comment(comment: Comment) -> list[Notification]:
    """Tell the author of what was commented on, and a need's followers, about a comment."""
    parent = comment.parent
    audience = _people(parent.author_id)
    if isinstance(parent, Need):
        audience |= _followers((FollowKind.NEED, parent.pk))
    target = _content_target(comment, parent)
    return deliver(Verb.NEW_COMMENT, target, audience, actor_id=comment.author_id)


def notify_circle_invitation(invitation: CircleInvitation) -> list[Notification]:
    """Tell a member they were invited into a circle."""
    return deliver(
        Verb.CIRCLE_INVITATION,
        _circle_target(invitation.circle),
        _people(invitation.user_id),
        actor_id=invitation.invited_by_id,
    )


def notify_join_request(join_request: CircleJoinRequest) -> list[Notification]:
    """Tell a circle's owners that a member asks to join."""
    owners = CircleMembership.objects.filter(
        circle_id=join_request.circle_id, role=CircleRole.OWNER
    ).values("user_id")
    return deliver(
        Verb.JOIN_REQUEST,
        _circle_target(join_request.circle),
        Q(pk__in=owners),
        actor_id=join_request.user_id,
    )


def notify_join_decided(join_request: CircleJoinRequest) -> list[Notification]:
    """Tell a member whether their request to join a circle was accepted or declined."""
    verbs: dict[str, Verb] = {
        RequestStatus.ACCEPTED: Verb.JOIN_ACCEPTED,
        RequestStatus.DECLINED: Verb.JOIN_DECLINED,
    }
    verb = verbs.get(join_request.status)
    if verb is None:
        return []
    return deliver(
        verb,
        _circle_target(join_request.circle),
        _people(join_request.user_id),
        actor_id=join_request.decided_by_id,
    )


def withdraw_notifications(obj: Resource | Need | Response | Comment) -> int:
    """Delete notifications about this content and what hangs off it (for hidden content)."""
    about = Q(target_kind=obj.KIND, target_id=obj.pk)
    if isinstance(obj, Need):
        about |= Q(target_kind=Response.KIND, target_id__in=obj.responses.values("pk"))
        about |= Q(target_kind=Comment.KIND, target_id__in=obj.comments.values("pk"))
    elif isinstance(obj, Resource):
        about |= Q(target_kind=Comment.KIND, target_id__in=obj.comments.values("pk"))
    deleted, _by_model = Notification.objects.filter(about).delete()
    return deleted


# --- Reading -----------------------------------------------------------------------------------


def mark_read(notification: Notification) -> None:
    """Mark one notification read (again is harmless)."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )


def mark_all_read(user: User) -> int:
    """Mark every unread notification of the member read; returns how many."""
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# --- E-mail ------------------------------------------------------------------------------------


def ensure_settings(user: User) -> NotificationSettings:
    """The member's e-mail settings, created with the defaults on first use."""
    row, _created = NotificationSettings.objects.get_or_create(user=user)
    return row


def set_email_mode(user: User, email_mode: str) -> NotificationSettings:
    """Choose how the member hears about notifications by e-mail."""
    row = ensure_settings(user)
    row.email_mode = EmailMode(email_mode)
    row.save(update_fields=["email_mode"])
    return row


def unsubscribe(row: NotificationSettings) -> None:
    """Turn notification e-mail off (the one-click unsubscribe link)."""
    if row.email_mode != EmailMode.OFF:
        row.email_mode = EmailMode.OFF
        row.save(update_fields=["email_mode"])


def send_notification_emails(notification_ids: list[int]) -> int:
    """E-mail each of these notifications to its recipient if they still want it right away.

    Each notification is claimed (emailed_at set) before its message is queued, so a task run
    twice sends nothing twice.
    """
    notifications = Notification.objects.filter(
        pk__in=notification_ids,
        emailed_at__isnull=True,
        read_at__isnull=True,
        recipient__is_active=True,
        recipient__notification_settings__email_mode=EmailMode.IMMEDIATE,
    ).select_related("recipient__notification_settings", "actor__profile")
    sent = 0
    for notification in notifications:
        claimed = Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )
        if claimed:
            emails.notification_message(notification).send()
            sent += 1
    return sent


def send_daily_digests(*, now: datetime | None = None) -> int:
    """Send every member who chose the daily digest one e-mail of what they have not read.

    Safe to run more than once a day: a member digested in the last DIGEST_MIN_INTERVAL is
    skipped, and a notification is only ever e-mailed once. Returns how many digests were sent.
    """
    now = now or timezone.now()
    due = (
        NotificationSettings.objects.filter(email_mode=EmailMode.DAILY, user__is_active=True)
        .filter(Q(last_digest_at__isnull=True) | Q(last_digest_at__lte=now - DIGEST_MIN_INTERVAL))
        .filter(
            user__notifications__read_at__isnull=True,
            user__notifications__emailed_at__isnull=True,
        )
        .distinct()
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return sum(send_digest(settings_id, now=now) for settings_id in list(due))


@transaction.atomic
def send_digest(settings_id: int, *, now: datetime) -> bool:
    """Send one member their daily digest, if one is due and there is something in it."""
    row = (
        # of=("self",): PostgreSQL cannot lock the nullable side of the profile's outer join,
        # and only this member's settings row needs the lock anyway.
        NotificationSettings.objects.select_for_update(of=("self",))
        .select_related("user__profile")
        .filter(pk=settings_id)
        .first()
    )
    if row is None or row.email_mode != EmailMode.DAILY:
        return False
    if row.last_digest_at is not None and row.last_digest_at > now - DIGEST_MIN_INTERVAL:
        return False
    since = (
        row.last_digest_at - DIGEST_OVERLAP
        if row.last_digest_at is not None
        else now - DIGEST_FIRST_WINDOW
    )
    pending = Notification.objects.filter(
        recipient_id=row.user_id,
        read_at__isnull=True,
        emailed_at__isnull=True,
        created_at__gt=since,
        created_at__lte=now,
    )
    visible = still_visible(pending, row.user)
    items = list(
        visible.select_related("actor__profile").order_by("-created_at", "-id")[:DIGEST_MAX_ITEMS]
    )
    total = visible.count() if len(items) == DIGEST_MAX_ITEMS else len(items)
    # Marked even when not shown (a circle since left), so nothing lingers for the next digest.
    pending.update(emailed_at=now)
    row.last_digest_at = now
    row.save(update_fields=["last_digest_at"])
    if not items:
        return False
    message = emails.digest_message(row, items, total=total)
    transaction.on_commit(message.send)
    return True
