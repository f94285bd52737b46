"""Flags, moderators' decisions, suspensions and blocks.

Every moderator action needs a reason and writes an audit entry in the same transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kindling.commons.kinds import ContentObject, get_visible_content
from kindling.commons.models import Resource, ResourceRevision
from kindling.commons.querysets import is_moderator
from kindling.core.audit import record_audit
from kindling.moderation.content import BODY_FIELDS, LOCKABLE_KINDS, TITLED_KINDS
from kindling.moderation.models import Block, Flag, FlagReason, Suspension

if TYPE_CHECKING:
    from kindling.accounts.models import User

AUTO_HIDE_REASON = "Hidden pending review after flags"
HIDDEN_REASON_MAX = 300
REVISION_NOTE_MAX = 200


class Outcome:
    """How a flag was resolved (Flag.outcome)."""

    HIDDEN = "hidden"
    RESTORED = "restored"
    DISMISSED = "dismissed"


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Please give a reason; it is kept in the audit log."))
    return reason


def _require_moderator(user: User) -> None:
    if not is_moderator(user):
        raise ValidationError(_("Only moderators can do this."), code="not_moderator")


def _resolve_flags(target: ContentObject, *, moderator: User | None, outcome: str) -> int:
    return Flag.objects.filter(
        kind=target.KIND, object_id=target.pk, resolved_at__isnull=True
    ).update(resolved_at=timezone.now(), resolved_by=moderator, outcome=outcome)


def _set_hidden(target: ContentObject, *, hidden: bool, reason: str) -> None:
    from kindling.notifications.actions import withdraw_notifications

    target.is_hidden = hidden
    target.hidden_reason = reason[:HIDDEN_REASON_MAX] if hidden else ""
    target.save(update_fields=["is_hidden", "hidden_reason"])
    if hidden:
        # Notifications would otherwise keep showing a hidden post's summary in inboxes.
        withdraw_notifications(target)


# --- Flags -------------------------------------------------------------------------------------


@transaction.atomic
def flag_content(reporter: User, kind: str, object_id: int, *, reason: str, text: str = "") -> Flag:
    """Report a post to the moderators; enough members' flags hide it pending review.

    Raises Http404 when the reporter cannot see the post, ValidationError for their own post,
    a second flag on the same post, or an unknown reason.
    """
    target = get_visible_content(reporter, kind, object_id)
    if target.author_id == reporter.pk:
        raise ValidationError(_("You cannot flag your own post."), code="own_content")
    if reason not in FlagReason.values:
        raise ValidationError(_("Please choose a reason from the list."), code="reason")
    if Flag.objects.filter(reporter=reporter, kind=kind, object_id=target.pk).exists():
        raise ValidationError(
            _("You have already flagged this; the moderators will look at it."),
            code="already_flagged",
        )
    try:
        with transaction.atomic():  # a savepoint, so a double submit leaves the outer one usable
            flag = Flag.objects.create(
                reporter=reporter,
                kind=kind,
                object_id=target.pk,
                reason=reason,
                text=(text or "").strip()[:1000],
            )
    except IntegrityError:
        raise ValidationError(
            _("You have already flagged this; the moderators will look at it."),
            code="already_flagged",
        ) from None
    _hide_if_flagged_enough(target)
    return flag


def _hide_if_flagged_enough(target: ContentObject) -> None:
    # Each member can flag a post once (a database constraint), so counting flags counts members.
    open_flags = Flag.objects.filter(
        kind=target.KIND, object_id=target.pk, resolved_at__isnull=True
    ).count()
    if open_flags < settings.FLAGS_TO_HIDE:
        return
    # Re-read under a row lock so two flags arriving together hide (and log) the post once.
    model: Any = type(target)
    locked = model.objects.select_for_update().get(pk=target.pk)
    if locked.is_hidden:
        return
    _set_hidden(locked, hidden=True, reason=AUTO_HIDE_REASON)
    target.is_hidden, target.hidden_reason = locked.is_hidden, locked.hidden_reason
    record_audit(None, "auto_hide", target=locked, reason=AUTO_HIDE_REASON, flags=open_flags)


# --- Moderators' decisions on posts ------------------------------------------------------------


@transaction.atomic
def hide_content(target: ContentObject, *, moderator: User, reason: str) -> None:
    """Hide a post from everyone but its author and moderators, and resolve its flags."""
    _require_moderator(moderator)
    reason = _require_reason(reason)
    _set_hidden(target, hidden=True, reason=reason)
    resolved = _resolve_flags(target, moderator=moderator, outcome=Outcome.HIDDEN)
    record_audit(moderator, "hide", target=target, reason=reason, flags_resolved=resolved)


@transaction.atomic
def restore_content(target: ContentObject, *, moderator: User, reason: str) -> None:
    """Show a hidden post again and resolve its flags."""
    _require_moderator(moderator)
    reason = _require_reason(reason)
    _set_hidden(target, hidden=False, reason="")
    resolved = _resolve_flags(target, moderator=moderator, outcome=Outcome.RESTORED)
    record_audit(moderator, "restore", target=target, reason=reason, flags_resolved=resolved)


@transaction.atomic
def dismiss_flags(target: ContentObject, *, moderator: User, reason: str) -> int:
    """Resolve a post's open flags without hiding it; returns how many were resolved."""
    _require_moderator(moderator)
    reason = _require_reason(reason)
    resolved = _resolve_flags(target, moderator=moderator, outcome=Outcome.DISMISSED)
    record_audit(moderator, "dismiss_flags", target=target, reason=reason, flags_resolved=resolved)
    return resolved


def _set_locked(target: ContentObject, *, locked: bool, moderator: User, reason: str) -> None:
    _require_moderator(moderator)
    reason = _require_reason(reason)
    if target.KIND not in LOCKABLE_KINDS:
        raise ValidationError(_("Only resources and needs can be locked."), code="not_lockable")
    lockable: Any = target  # a Resource or a Need, checked above
    lockable.is_locked = locked
    lockable.save(update_fields=["is_locked"])
    record_audit(moderator, "lock" if locked else "unlock", target=target, reason=reason)


@transaction.atomic
def lock_content(target: ContentObject, *, moderator: User, reason: str) -> None:
    """Stop new responses, comments and edits on a resource or need."""
    _set_locked(target, locked=True, moderator=moderator, reason=reason)


@transaction.atomic
def unlock_content(target: ContentObject, *, moderator: User, reason: str) -> None:
    """Allow responses, comments and edits on a locked resource or need again."""
    _set_locked(target, locked=False, moderator=moderator, reason=reason)


@transaction.atomic
def edit_content(
    target: ContentObject,
    *,
    moderator: User,
    reason: str,
    body: str,
    title: str | None = None,
) -> None:
    """Change a post's text as a moderator; a resource gets a new revision saying why."""
    _require_moderator(moderator)
    reason = _require_reason(reason)
    changed: list[str] = []
    before: dict[str, str] = {}
    if title is not None and target.KIND in TITLED_KINDS:
        before["title"] = target.title  # type: ignore[union-attr]
        target.title = title  # type: ignore[union-attr]
        changed.append("title")
    body_field = BODY_FIELDS[target.KIND]
    before[body_field] = getattr(target, body_field)
    setattr(target, body_field, body)
    changed.append(body_field)
    if hasattr(target, "updated_at"):
        target.updated_at = timezone.now()
        changed.append("updated_at")
    if isinstance(target, Resource):
        target.version += 1
        changed.append("version")
        ResourceRevision.objects.create(
            resource=target,
            number=target.version,
            title=target.title,
            body=target.body,
            note=(_("Moderator edit: %(reason)s") % {"reason": reason})[:REVISION_NOTE_MAX],
            edited_by=moderator,
        )
    target.full_clean(exclude=_fields_not_edited(target, changed))
    target.save(update_fields=changed)
    record_audit(
        moderator, "edit", target=target, reason=reason, fields=sorted(before), before=before
    )


def _fields_not_edited(target: ContentObject, changed: list[str]) -> list[str]:
    return [f.name for f in target._meta.concrete_fields if f.name not in changed]


# --- Suspensions -------------------------------------------------------------------------------


@transaction.atomic
def suspend_member(
    member: User, *, moderator: User, reason: str, ends_at: datetime | None = None
) -> Suspension:
    """Stop a member from posting until ``ends_at`` (or until lifted); replaces any in force."""
    _require_moderator(moderator)
    reason = _require_reason(reason)
    if is_moderator(member) or member.is_staff:
        raise ValidationError(_("Moderators and staff cannot be suspended."), code="moderator")
    now = timezone.now()
    if ends_at is not None and ends_at <= now:
        raise ValidationError(_("The end of a suspension must be in the future."), code="ends")
    replaced = list(
        Suspension.objects.select_for_update()
        .filter(user=member, lifted_at__isnull=True)
        .values_list("pk", flat=True)
    )
    Suspension.objects.filter(pk__in=replaced).update(lifted_at=now)
    suspension = Suspension.objects.create(
        user=member, moderator=moderator, reason=reason[:500], starts_at=now, ends_at=ends_at
    )
    record_audit(
        moderator,
        "suspend",
        target=member,
        reason=reason,
        until=ends_at.isoformat() if ends_at else None,
        replaced=replaced,
    )
    return suspension


@transaction.atomic
def lift_suspension(member: User, *, moderator: User, reason: str) -> int:
    """End a member's suspension now; returns how many suspensions were lifted."""
    _require_moderator(moderator)
    reason = _require_reason(reason)
    now = timezone.now()
    in_force = Suspension.objects.filter(user=member, lifted_at__isnull=True).filter(
        Q(ends_at__isnull=True) | Q(ends_at__gt=now)
    )
    lifted_ids = list(in_force.values_list("pk", flat=True))
    if not lifted_ids:
        raise ValidationError(_("This member is not suspended."), code="not_suspended")
    Suspension.objects.filter(pk__in=lifted_ids).update(lifted_at=now)
    record_audit(moderator, "lift_suspension", target=member, reason=reason, lifted=lifted_ids)
    return len(lifted_ids)


# --- Blocks ------------------------------------------------------------------------------------


@transaction.atomic
def block_member(blocker: User, blocked: User) -> Block:
    """Block a member: nothing from them reaches the blocker. Blocking twice changes nothing."""
    if blocker.pk == blocked.pk:
        raise ValidationError(_("You cannot block yourself."), code="self")
    block, _created = Block.objects.get_or_create(blocker=blocker, blocked=blocked)
    return block


@transaction.atomic
def unblock_member(blocker: User, blocked: User) -> bool:
    """Remove a block; returns whether there was one."""
    deleted, _rows = Block.objects.filter(blocker=blocker, blocked=blocked).delete()
    return deleted > 0
