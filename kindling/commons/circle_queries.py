"""Reads for circles: finding them, who is inside, and what a viewer may see of each."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.urls import NoReverseMatch

from kindling.commons.models import (
    Circle,
    CircleInvitation,
    CircleJoinRequest,
    CircleMembership,
    CircleRole,
    Need,
    RequestStatus,
    Resource,
)
from kindling.commons.querysets import is_moderator

if TYPE_CHECKING:
    from datetime import datetime

    from django.contrib.auth.models import AnonymousUser

    from kindling.accounts.models import User

STREAM_LENGTH = 10


def circles_for_list(viewer: User | AnonymousUser, *, mine: bool = False) -> QuerySet[Circle]:
    """Circles a member can find, each marked ``is_joined`` for this viewer."""
    circles = Circle.objects.visible_to(viewer)
    if mine:
        circles = circles.joined_by(viewer)
    return circles.annotate(
        is_joined=Exists(
            CircleMembership.objects.filter(circle_id=OuterRef("pk"), user_id=viewer.pk or 0)
        )
    ).order_by("name", "id")


def get_circle_for_viewer(viewer: User | AnonymousUser, slug: str) -> Circle:
    """One circle the viewer can find, or 404."""
    try:
        return Circle.objects.visible_to(viewer).get(slug=slug)
    except Circle.DoesNotExist:
        raise Http404("No such circle.") from None


def membership_of(user: User | AnonymousUser, circle: Circle) -> CircleMembership | None:
    """The viewer's membership in the circle, if any."""
    if not user.is_authenticated:
        return None
    return CircleMembership.objects.filter(circle=circle, user_id=user.pk).first()


def can_see_inside(
    viewer: User | AnonymousUser, circle: Circle, membership: CircleMembership | None
) -> bool:
    """Whether the viewer may see the circle's members and stream.

    Open circles show everything to every member; invite-only circles only to their members
    and to moderators.
    """
    if not viewer.is_authenticated:
        return False
    return circle.is_open or membership is not None or is_moderator(viewer)


def is_owner(membership: CircleMembership | None) -> bool:
    return membership is not None and membership.role == CircleRole.OWNER


def memberships_with_people(circle: Circle) -> QuerySet[CircleMembership]:
    """The circle's memberships, owners first, with each member's profile."""
    return (
        CircleMembership.objects.filter(circle=circle)
        .select_related("user__profile")
        .order_by("-role", "user__profile__display_name", "id")
    )


def owners_of(circle: Circle) -> QuerySet[CircleMembership]:
    return memberships_with_people(circle).filter(role=CircleRole.OWNER)


def pending_join_requests(circle: Circle) -> QuerySet[CircleJoinRequest]:
    """Requests waiting for an owner's decision, oldest first."""
    return (
        CircleJoinRequest.objects.filter(circle=circle, status=RequestStatus.PENDING)
        .select_related("user__profile")
        .order_by("created_at", "id")
    )


def pending_invitations_sent(circle: Circle) -> QuerySet[CircleInvitation]:
    """Invitations to this circle not yet answered (shown to its owners)."""
    return (
        CircleInvitation.objects.filter(circle=circle, status=RequestStatus.PENDING)
        .select_related("user__profile")
        .order_by("created_at", "id")
    )


def pending_invitations_for(user: User | AnonymousUser) -> QuerySet[CircleInvitation]:
    """Invitations this member has received and not yet answered, newest first."""
    return (
        CircleInvitation.objects.filter(user_id=user.pk or 0, status=RequestStatus.PENDING)
        .select_related("circle", "invited_by__profile")
        .order_by("-created_at", "-id")
    )


def get_invitation_for_invitee(user: User | AnonymousUser, invitation_id: int) -> CircleInvitation:
    """An invitation addressed to this member, or 404 (others' invitations do not exist)."""
    try:
        return CircleInvitation.objects.select_related("circle").get(
            pk=invitation_id, user_id=user.pk or 0
        )
    except CircleInvitation.DoesNotExist:
        raise Http404("No such invitation.") from None


def get_join_request_in_circle(circle: Circle, request_id: int) -> CircleJoinRequest:
    """A join request made to this circle, or 404."""
    try:
        return CircleJoinRequest.objects.select_related("user").get(pk=request_id, circle=circle)
    except CircleJoinRequest.DoesNotExist:
        raise Http404("No such request.") from None


def get_membership_in_circle(circle: Circle, user_id: int) -> CircleMembership:
    """A member's membership in this circle, or 404."""
    try:
        return CircleMembership.objects.select_related("user__profile").get(
            circle=circle, user_id=user_id
        )
    except CircleMembership.DoesNotExist:
        raise Http404("No such member.") from None


def pending_request_of(user: User | AnonymousUser, circle: Circle) -> CircleJoinRequest | None:
    return CircleJoinRequest.objects.filter(
        circle=circle, user_id=user.pk or 0, status=RequestStatus.PENDING
    ).first()


def pending_invitation_of(user: User | AnonymousUser, circle: Circle) -> CircleInvitation | None:
    return (
        CircleInvitation.objects.filter(
            circle=circle, user_id=user.pk or 0, status=RequestStatus.PENDING
        )
        .select_related("circle", "invited_by__profile")
        .first()
    )


@dataclass(frozen=True)
class StreamItem:
    """One line of a circle's stream: a resource or a need, with a link when one exists."""

    kind: str
    title: str
    text: str
    url: str
    author_name: str
    created_at: datetime


def _url_or_blank(obj: Resource | Need) -> str:
    # The resource and need pages live in another part of the app; until their URLs are
    # registered the stream still renders, just without links.
    try:
        return obj.get_absolute_url()
    except NoReverseMatch:
        return ""


def _author_name(obj: Resource | Need) -> str:
    profile = getattr(obj.author, "profile", None)
    return profile.display_name if profile else ""


def circle_resources(viewer: User | AnonymousUser, circle: Circle) -> list[StreamItem]:
    """The latest resources listed for this viewer in the circle."""
    resources = (
        Resource.objects.listed_for(viewer)
        .filter(circle=circle)
        .select_related("author__profile")
        .order_by("-created_at", "-id")[:STREAM_LENGTH]
    )
    return [
        StreamItem(
            kind=Resource.KIND,
            title=resource.title,
            text=resource.body,
            url=_url_or_blank(resource),
            author_name=_author_name(resource),
            created_at=resource.created_at,
        )
        for resource in resources
    ]


def circle_needs(viewer: User | AnonymousUser, circle: Circle) -> list[StreamItem]:
    """The latest needs listed for this viewer in the circle."""
    needs = (
        Need.objects.listed_for(viewer)
        .filter(circle=circle)
        .select_related("author__profile")
        .order_by("-created_at", "-id")[:STREAM_LENGTH]
    )
    return [
        StreamItem(
            kind=Need.KIND,
            title=need.title,
            text=need.details,
            url=_url_or_blank(need),
            author_name=_author_name(need),
            created_at=need.created_at,
        )
        for need in needs
    ]


def find_members_by_address_or_name(text: str) -> list[User]:
    """Active members whose e-mail address or exact display name is ``text`` (at most two)."""
    from kindling.accounts.models import User

    text = " ".join(text.split())
    if not text:
        return []
    matches = User.objects.filter(is_active=True).select_related("profile")
    if "@" in text:
        matches = matches.filter(email__iexact=text)
    else:
        matches = matches.filter(Q(profile__display_name__iexact=text))
    # Two are enough to tell "exactly one" from "several".
    return list(matches.order_by("id")[:2])
