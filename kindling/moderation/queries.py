"""Reads: blocks and suspensions other apps respect, and the moderation queue."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import CharField, Count, Max, Q, QuerySet, Value
from django.http import Http404
from django.utils import timezone

from kindling.core.models import AuditEntry
from kindling.moderation.models import Block, Flag, Suspension

if TYPE_CHECKING:
    from kindling.commons.kinds import ContentObject

# The queue's reads import the commons inside each function: the commons' own querysets may
# import has_blocked / active_suspension from here, and a module-level import back into the
# commons would make that a circular import.


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


# --- The moderation queue (moderators only; views check is_moderator first) ---------------------


@dataclass
class FlaggedTarget:
    """A post with unresolved flags, as the queue shows it."""

    kind: str
    object_id: int
    flag_count: int
    latest_flag_at: datetime
    content: ContentObject
    flags: list[Flag] = field(default_factory=list)

    @property
    def reason_counts(self) -> list[tuple[str, int]]:
        """Each reason given, with how many members gave it, most frequent first."""
        counts: dict[str, int] = {}
        for flag in self.flags:
            label = str(flag.get_reason_display())
            counts[label] = counts.get(label, 0) + 1
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def _existing_target_filter() -> Q:
    """Flags whose post still exists (a deleted post's flags need no review)."""
    from kindling.commons.kinds import CONTENT_MODELS

    condition = Q()
    for kind, model in CONTENT_MODELS.items():
        condition |= Q(kind=kind, object_id__in=model.objects.values("pk"))
    return condition


def flagged_targets() -> QuerySet[Any]:
    """Posts with unresolved flags, one row each (kind, object_id, flag_count, latest_flag_at),
    most recently flagged first."""
    return (
        Flag.objects.filter(resolved_at__isnull=True)
        .filter(_existing_target_filter())
        .values("kind", "object_id")
        .annotate(flag_count=Count("id"), latest_flag_at=Max("created_at"))
        .order_by("-latest_flag_at", "kind", "-object_id")
    )


def load_content(pairs: Iterable[tuple[str, int]]) -> dict[tuple[str, int], ContentObject]:
    """Posts by (kind, id), with their authors and parents: one query per kind present."""
    from kindling.commons.kinds import CONTENT_MODELS
    from kindling.moderation.content import RELATED

    ids_by_kind: dict[str, set[int]] = defaultdict(set)
    for kind, object_id in pairs:
        if kind in CONTENT_MODELS:
            ids_by_kind[kind].add(object_id)
    found: dict[tuple[str, int], ContentObject] = {}
    for kind, ids in ids_by_kind.items():
        model: Any = CONTENT_MODELS[kind]
        for obj in model.objects.filter(pk__in=ids).select_related(*RELATED[kind]):
            found[(kind, obj.pk)] = obj
    return found


def describe_flagged(rows: Iterable[dict[str, Any]]) -> list[FlaggedTarget]:
    """The queue's rows with their posts and open flags (a fixed number of queries)."""
    rows = list(rows)
    if not rows:
        return []
    pairs = [(row["kind"], row["object_id"]) for row in rows]
    contents = load_content(pairs)
    targets = {
        (row["kind"], row["object_id"]): FlaggedTarget(
            kind=row["kind"],
            object_id=row["object_id"],
            flag_count=row["flag_count"],
            latest_flag_at=row["latest_flag_at"],
            content=contents[(row["kind"], row["object_id"])],
        )
        for row in rows
        if (row["kind"], row["object_id"]) in contents
    }
    condition = Q()
    for kind, object_id in targets:
        condition |= Q(kind=kind, object_id=object_id)
    flags = Flag.objects.filter(condition, resolved_at__isnull=True).select_related(
        "reporter__profile"
    )
    for flag in flags:
        targets[(flag.kind, flag.object_id)].flags.append(flag)
    return list(targets.values())


def hidden_content() -> QuerySet[Any]:
    """Every hidden post as (kind, pk, created_at) rows, newest first."""
    from kindling.commons.kinds import CONTENT_MODELS

    parts = [
        model.objects.filter(is_hidden=True)
        .order_by()
        .annotate(kind=Value(kind, output_field=CharField()))
        .values_list("kind", "pk", "created_at")
        for kind, model in CONTENT_MODELS.items()
    ]
    first, *rest = parts
    return first.union(*rest, all=True).order_by("-created_at", "-pk")


def get_content_for_review(kind: str, object_id: int) -> ContentObject:
    """Any post, hidden or not, for a moderator's review; 404 if there is no such post."""
    from kindling.commons.kinds import CONTENT_MODELS
    from kindling.moderation.content import RELATED

    model: Any = CONTENT_MODELS.get(kind)
    if model is None:
        raise Http404("Unknown content.")
    try:
        obj: ContentObject = model.objects.select_related(*RELATED[kind]).get(pk=object_id)
    except model.DoesNotExist:
        raise Http404("No such content.") from None
    return obj


def open_flags_on(kind: str, object_id: int) -> QuerySet[Flag]:
    """The unresolved flags on one post."""
    return Flag.objects.filter(
        kind=kind, object_id=object_id, resolved_at__isnull=True
    ).select_related("reporter__profile")


def audit_history(target_kind: str, target_id: int) -> QuerySet[AuditEntry]:
    """What moderators have done to one post or member, newest first."""
    return AuditEntry.objects.filter(target_kind=target_kind, target_id=target_id).select_related(
        "actor__profile"
    )


def audit_entries(action: str = "") -> QuerySet[AuditEntry]:
    """The audit log, newest first, optionally one action only."""
    entries = AuditEntry.objects.select_related("actor__profile")
    return entries.filter(action=action) if action else entries


def audit_actions() -> list[str]:
    """Every action the audit log holds, for its filter."""
    return sorted(
        AuditEntry.objects.order_by().values_list("action", flat=True).distinct(),
    )


def suspensions_of(user_id: int) -> QuerySet[Suspension]:
    """A member's suspensions, newest first."""
    return Suspension.objects.filter(user_id=user_id).select_related("moderator__profile")


# --- Blocks ------------------------------------------------------------------------------------


def blocks_made_by(user_id: int) -> QuerySet[Block]:
    """The members this member has blocked, with their profiles, most recent first."""
    return (
        Block.objects.filter(blocker_id=user_id)
        .select_related("blocked__profile")
        .order_by("-created_at", "-id")
    )
