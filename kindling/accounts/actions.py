"""Writes that change who a member is."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kindling.accounts.models import Profile, User

CODE_OF_CONDUCT_VERSION = "2026-11"


@transaction.atomic
def complete_signup_profile(user: User, *, display_name: str, language: str) -> Profile:
    """Record the code-of-conduct acceptance and create the new member's profile."""
    user.code_of_conduct_version = CODE_OF_CONDUCT_VERSION
    user.code_of_conduct_accepted_at = timezone.now()
    user.save(update_fields=["code_of_conduct_version", "code_of_conduct_accepted_at"])
    profile, _ = Profile.objects.update_or_create(
        user=user,
        defaults={"display_name": display_name, "time_zone": settings.TIME_ZONE},
    )
    return profile


@transaction.atomic
def save_profile(profile: Profile, *, previous_audio_name: str) -> Profile:
    """Save an edited profile and remove a replaced or cleared recording from storage."""
    profile.save()
    current = profile.pronunciation_audio.name if profile.pronunciation_audio else ""
    if previous_audio_name and previous_audio_name != current:
        storage = profile.pronunciation_audio.storage
        # Delete only after commit, so a rolled-back save never loses the old recording.
        transaction.on_commit(lambda: storage.delete(previous_audio_name))
    return profile


def ensure_profile(user: User) -> Profile:
    """The member's profile, created from the e-mail address if it is missing."""
    profile, _ = Profile.objects.get_or_create(
        user=user, defaults={"display_name": user.email.split("@")[0]}
    )
    return profile
