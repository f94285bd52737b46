"""Reads other apps use to respect blocks and suspensions."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone

from kindling.moderation.models import Block, Suspension


def has_blocked(blocker_id: int | None, blocked_id: int | None) -> bool:
    """True when ``blocker`` has blocked ``blocked`` (so nothing from them reaches blocker)."""
    if not blocker_id or not blocked_id or blocker_id == blocked_id:
        return False
    return Block.objects.filter(blocker_id=blocker_id, blocked_id=blocked_id).exists()


def ids_who_blocked(user_id: int) -> set[int]:
    """Members who have blocked this user (they must not hear from them)."""
    return set(Block.objects.filter(blocked_id=user_id).values_list("blocker_id", flat=True))


def blocked_ids(user_id: int) -> set[int]:
    """Members this user has blocked."""
    return set(Block.objects.filter(blocker_id=user_id).values_list("blocked_id", flat=True))


def active_suspension(user: Any) -> Suspension | None:
    """The suspension in force for this member now, if any."""
    if not getattr(user, "pk", None):
        return None
    now = timezone.now()
    return (
        Suspension.objects.filter(user_id=user.pk, lifted_at__isnull=True, starts_at__lte=now)
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))
        .first()
    )
