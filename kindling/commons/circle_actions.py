"""Writes for circles: creating them, joining and leaving, invitations and join requests.

Every action that changes who belongs to a circle locks the circle's row first, so two owners
acting at once cannot, for example, both step away and leave a circle with no owner.
Rule violations raise ``ValidationError`` and missing authority ``PermissionDenied``, each with
a message fit to show the member.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from kindling.commons.models import (
    Circle,
    CircleInvitation,
    CircleJoinRequest,
    CircleMembership,
    CircleRole,
    CircleVisibility,
    RequestStatus,
)
from kindling.core.audit import record_audit
from kindling.moderation.queries import active_suspension, has_blocked

if TYPE_CHECKING:
    from kindling.accounts.models import User

SLUG_MAX = 90
# Paths under /circles/ that a circle's slug must never shadow.
RESERVED_SLUGS = frozenset({"new", "invitations", "mine"})
NOTIFICATIONS_MODULE = "kindling.notifications.actions"


# --- Helpers ------------------------------------------------------------------------------------


def _notify(hook: str, *args: Any) -> None:
    """After commit, call ``kindling.notifications.actions.<hook>(*args)`` if that module exists.

    The import is looked up at call time so notifications start the moment the module lands;
    only the module's absence is tolerated, never an error raised inside it.
    """

    def send() -> None:
        try:
            module = importlib.import_module(NOTIFICATIONS_MODULE)
        except ModuleNotFoundError as error:
            if error.name in {"kindling.notifications", NOTIFICATIONS_MODULE}:
                return
            raise
        notify: Callable[..., Any] = getattr(module, hook)
        notify(*args)

    transaction.on_commit(send)


def _lock(circle: Circle) -> Circle:
    """The circle's row, locked until the transaction ends (a no-op lock on SQLite,
    whose write transactions are already serialised)."""
    return Circle.objects.select_for_update().get(pk=circle.pk)


def _membership(circle: Circle, user: User) -> CircleMembership | None:
    return CircleMembership.objects.filter(circle=circle, user=user).first()


def _require_owner(circle: Circle, user: User) -> CircleMembership:
    membership = _membership(circle, user)
    if membership is None or membership.role != CircleRole.OWNER:
        raise PermissionDenied(_("Only the circle's owners can do that."))
    return membership


def _require_not_suspended(user: User) -> None:
    suspension = active_suspension(user)
    if suspension is not None:
        raise PermissionDenied(
            _("Your account is suspended, so you cannot do that for now: %(reason)s")
            % {"reason": suspension.reason}
        )


def _add_member(circle: Circle, user: User, *, role: str = CircleRole.MEMBER) -> CircleMembership:
    """Add one membership (or return the existing one) and keep ``member_count`` in step."""
    membership, created = CircleMembership.objects.get_or_create(
        circle=circle, user=user, defaults={"role": role}
    )
    if created:
        Circle.objects.filter(pk=circle.pk).update(member_count=F("member_count") + 1)
        circle.refresh_from_db(fields=["member_count"])
    return membership


def _remove_membership(circle: Circle, membership: CircleMembership) -> None:
    deleted, _rows = CircleMembership.objects.filter(pk=membership.pk).delete()
    if deleted:
        Circle.objects.filter(pk=circle.pk, member_count__gt=0).update(
            member_count=F("member_count") - 1
        )
        circle.refresh_from_db(fields=["member_count"])


def _close_pending(circle: Circle, user: User, *, decided_by: User | None) -> None:
    """A member who is now inside needs no pending invitation or join request any more."""
    now = timezone.now()
    CircleInvitation.objects.filter(circle=circle, user=user, status=RequestStatus.PENDING).update(
        status=RequestStatus.ACCEPTED, responded_at=now
    )
    CircleJoinRequest.objects.filter(circle=circle, user=user, status=RequestStatus.PENDING).update(
        status=RequestStatus.ACCEPTED, decided_by=decided_by, decided_at=now
    )


def unique_circle_slug(name: str) -> str:
    """A slug for a new circle: the slugified name, with ``-2``, ``-3``… if it is taken."""
    base = slugify(name)[: SLUG_MAX - 8].strip("-") or "circle"
    taken = set(Circle.objects.filter(slug__startswith=base).values_list("slug", flat=True)) | set(
        RESERVED_SLUGS
    )
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


# --- Circles ------------------------------------------------------------------------------------


@transaction.atomic
def create_circle(creator: User, *, name: str, description: str, visibility: str) -> Circle:
    """Create a circle with a unique slug; its creator becomes its first owner."""
    _require_not_suspended(creator)
    if visibility not in CircleVisibility.values:
        raise ValidationError(_("Choose whether the circle is open or invite-only."))
    for _attempt in range(5):
        try:
            # A savepoint, so a slug taken by a concurrent creator can be retried.
            with transaction.atomic():
                circle = Circle.objects.create(
                    name=name,
                    slug=unique_circle_slug(name),
                    description=description,
                    visibility=visibility,
                    created_by=creator,
                )
            break
        except IntegrityError:
            continue
    else:  # pragma: no cover - five concurrent creators of the same name
        raise ValidationError(_("Please try again in a moment."))
    _add_member(circle, creator, role=CircleRole.OWNER)
    record_audit(creator, "circle.create", target=circle, visibility=visibility)
    return circle


@transaction.atomic
def update_circle(
    circle: Circle, *, acting_user: User, name: str, description: str, visibility: str
) -> Circle:
    """Change a circle's name, description or visibility (owners only); its slug stays."""
    if visibility not in CircleVisibility.values:
        raise ValidationError(_("Choose whether the circle is open or invite-only."))
    circle = _lock(circle)
    _require_owner(circle, acting_user)
    _require_not_suspended(acting_user)
    previous_visibility = circle.visibility
    circle.name = name
    circle.description = description
    circle.visibility = visibility
    circle.save(update_fields=["name", "description", "visibility"])
    record_audit(
        acting_user,
        "circle.update",
        target=circle,
        visibility_before=previous_visibility,
        visibility=visibility,
    )
    return circle


# --- Joining and leaving ------------------------------------------------------------------------


@transaction.atomic
def join_circle(circle: Circle, *, user: User) -> CircleMembership:
    """Join an open circle; joining twice is harmless."""
    circle = _lock(circle)
    existing = _membership(circle, user)
    if existing is not None:
        return existing
    if not circle.is_open:
        raise PermissionDenied(
            _("This circle is invite-only: ask its owners to let you in, or wait for an invite.")
        )
    membership = _add_member(circle, user)
    _close_pending(circle, user, decided_by=None)
    return membership


@transaction.atomic
def leave_circle(circle: Circle, *, user: User) -> None:
    """Leave a circle; its last owner must first make someone else an owner."""
    circle = _lock(circle)
    membership = _membership(circle, user)
    if membership is None:
        return
    if (
        membership.role == CircleRole.OWNER
        and not CircleMembership.objects.filter(circle=circle, role=CircleRole.OWNER)
        .exclude(pk=membership.pk)
        .exists()
    ):
        raise ValidationError(
            _(
                "You are this circle's only owner. Make another member an owner before you "
                "leave, so the circle is still looked after."
            )
        )
    _remove_membership(circle, membership)


# --- Invitations --------------------------------------------------------------------------------


@transaction.atomic
def invite_to_circle(circle: Circle, *, invited_by: User, invitee: User) -> CircleInvitation:
    """Invite a member to a circle (owners only); they accept or decline it themselves."""
    circle = _lock(circle)
    _require_owner(circle, invited_by)
    _require_not_suspended(invited_by)
    name = invitee.get_full_name()
    if _membership(circle, invitee) is not None:
        raise ValidationError(_("%(name)s is already in this circle.") % {"name": name})
    if CircleInvitation.objects.filter(
        circle=circle, user=invitee, status=RequestStatus.PENDING
    ).exists():
        raise ValidationError(
            _("%(name)s is already invited; the invitation is waiting for them.") % {"name": name}
        )
    if CircleJoinRequest.objects.filter(
        circle=circle, user=invitee, status=RequestStatus.PENDING
    ).exists():
        raise ValidationError(
            _("%(name)s has already asked to join: accept their request instead.") % {"name": name}
        )
    if has_blocked(invitee.pk, invited_by.pk):
        # Said without naming the block, which is the blocker's private choice.
        raise ValidationError(_("%(name)s cannot be invited by you.") % {"name": name})
    invitation = CircleInvitation.objects.create(circle=circle, user=invitee, invited_by=invited_by)
    _notify("notify_circle_invitation", invitation)
    return invitation


def _require_invitee(invitation: CircleInvitation, user: User) -> None:
    if invitation.user_id != user.pk:
        raise PermissionDenied(_("This invitation is for someone else."))


@transaction.atomic
def accept_invitation(invitation: CircleInvitation, *, user: User) -> CircleMembership:
    """Accept an invitation (the invitee only) and join the circle; accepting twice is harmless."""
    _require_invitee(invitation, user)
    circle = _lock(invitation.circle)
    invitation = CircleInvitation.objects.get(pk=invitation.pk)
    if invitation.status == RequestStatus.DECLINED:
        raise ValidationError(_("You declined this invitation; ask the circle's owners again."))
    existing = _membership(circle, user)
    if invitation.status == RequestStatus.ACCEPTED and existing is not None:
        return existing
    if invitation.status == RequestStatus.ACCEPTED:
        # Accepted earlier and left since: an old invitation does not open the door again.
        raise ValidationError(_("This invitation was already used."))
    invitation.status = RequestStatus.ACCEPTED
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["status", "responded_at"])
    membership = existing or _add_member(circle, user)
    _close_pending(circle, user, decided_by=invitation.invited_by)
    return membership


@transaction.atomic
def decline_invitation(invitation: CircleInvitation, *, user: User) -> CircleInvitation:
    """Decline an invitation (the invitee only); declining twice is harmless."""
    _require_invitee(invitation, user)
    invitation = CircleInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status == RequestStatus.PENDING:
        invitation.status = RequestStatus.DECLINED
        invitation.responded_at = timezone.now()
        invitation.save(update_fields=["status", "responded_at"])
    return invitation


# --- Join requests ------------------------------------------------------------------------------


@transaction.atomic
def request_to_join(circle: Circle, *, user: User, message: str = "") -> CircleJoinRequest:
    """Ask the owners of an invite-only circle to let this member in; one request at a time."""
    circle = _lock(circle)
    _require_not_suspended(user)
    if circle.is_open:
        raise ValidationError(_("This circle is open: you can join it straight away."))
    if _membership(circle, user) is not None:
        raise ValidationError(_("You are already in this circle."))
    if CircleInvitation.objects.filter(
        circle=circle, user=user, status=RequestStatus.PENDING
    ).exists():
        raise ValidationError(
            _("You are already invited to this circle: accept the invitation to join.")
        )
    already = _("You have already asked to join; the owners will decide soon.")
    if CircleJoinRequest.objects.filter(
        circle=circle, user=user, status=RequestStatus.PENDING
    ).exists():
        raise ValidationError(already)
    try:
        with transaction.atomic():
            join_request = CircleJoinRequest.objects.create(
                circle=circle, user=user, message=message
            )
    except IntegrityError:
        # A concurrent double submit won the race to the one pending request.
        raise ValidationError(already) from None
    _notify("notify_join_request", join_request)
    return join_request


@transaction.atomic
def decide_join_request(
    join_request: CircleJoinRequest, *, decided_by: User, accept: bool
) -> CircleJoinRequest:
    """Accept (adding the member) or decline a request to join (owners only).

    Repeating the same decision is harmless; reversing one already made is refused.
    """
    circle = _lock(join_request.circle)
    _require_owner(circle, decided_by)
    join_request = CircleJoinRequest.objects.get(pk=join_request.pk)
    wanted = RequestStatus.ACCEPTED if accept else RequestStatus.DECLINED
    if join_request.status == wanted:
        return join_request
    if join_request.status != RequestStatus.PENDING:
        raise ValidationError(_("Another owner has already decided this request."))
    join_request.status = wanted
    join_request.decided_by = decided_by
    join_request.decided_at = timezone.now()
    join_request.save(update_fields=["status", "decided_by", "decided_at"])
    if accept:
        _add_member(circle, join_request.user)
        _close_pending(circle, join_request.user, decided_by=decided_by)
    _notify("notify_join_decided", join_request)
    return join_request


# --- Owners' care of members --------------------------------------------------------------------


@transaction.atomic
def make_owner(circle: Circle, member: User, *, acting_user: User) -> CircleMembership:
    """Make a member of the circle one of its owners (owners only)."""
    circle = _lock(circle)
    _require_owner(circle, acting_user)
    membership = _membership(circle, member)
    if membership is None:
        raise ValidationError(_("Only members of the circle can become its owners."))
    if membership.role != CircleRole.OWNER:
        membership.role = CircleRole.OWNER
        membership.save(update_fields=["role"])
        record_audit(acting_user, "circle.make_owner", target=circle, member_id=member.pk)
    return membership


@transaction.atomic
def remove_member(circle: Circle, member: User, *, acting_user: User) -> None:
    """Remove a member from the circle (owners only; owners leave by themselves)."""
    circle = _lock(circle)
    _require_owner(circle, acting_user)
    membership = _membership(circle, member)
    if membership is None:
        return
    if member.pk == acting_user.pk:
        raise ValidationError(_("To step out of the circle yourself, use “Leave this circle”."))
    if membership.role == CircleRole.OWNER:
        raise ValidationError(_("Owners cannot remove other owners."))
    _remove_membership(circle, membership)
    record_audit(acting_user, "circle.remove_member", target=circle, member_id=member.pk)
