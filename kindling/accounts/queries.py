"""Reads of members and their profiles."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404

from kindling.accounts.models import Profile, User


def profiles_visible_to(viewer: User | AnonymousUser) -> QuerySet[Profile]:
    """Profiles a viewer may see: every active member's, to signed-in members only."""
    if not viewer.is_authenticated:
        return Profile.objects.none()
    return Profile.objects.filter(user__is_active=True).select_related("user")


def get_profile_for_viewer(viewer: User | AnonymousUser, profile_id: int) -> Profile:
    """One profile the viewer may see, or 404 (never revealing whether it exists)."""
    try:
        return profiles_visible_to(viewer).get(pk=profile_id)
    except Profile.DoesNotExist:
        raise Http404("No such member.") from None
