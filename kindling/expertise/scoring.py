"""How much evidence of expertise a member has per tag: plain Python, no Django.

Expertise is computed, never claimed. Each piece of evidence counts with a weight and fades with
age (half-life ``HALF_LIFE_DAYS``), so a member's score reflects what they did and how lately:

    score(member, tag) = sum of weight(kind) * count * 0.5 ** (age_in_days / HALF_LIFE_DAYS)

Weights: a response the asker marked helpful 5, a resource another member built on 4, each
"useful" vote received on a response or resource 1, any response 0.5 (answering at all is a
little evidence; being marked helpful is much more).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

HALF_LIFE_DAYS = 365.0
ACTIVITY_HALF_LIFE_DAYS = 30.0


class EvidenceKind(StrEnum):
    HELPFUL = "helpful"
    BUILT_ON = "built_on"
    USEFUL_VOTE = "useful_vote"
    RESPONSE = "response"


WEIGHTS: dict[EvidenceKind, float] = {
    EvidenceKind.HELPFUL: 5.0,
    EvidenceKind.BUILT_ON: 4.0,
    EvidenceKind.USEFUL_VOTE: 1.0,
    EvidenceKind.RESPONSE: 0.5,
}


@dataclass(frozen=True)
class Evidence:
    """One piece of evidence for one member in one tag (``count`` votes at once, say)."""

    user_id: int
    tag_id: int
    kind: EvidenceKind
    at: datetime
    count: int = 1


@dataclass
class TagExpertise:
    """A member's expertise in one tag, with the evidence behind it."""

    user_id: int
    tag_id: int
    score: float = 0.0
    helpful_responses: int = 0
    useful_votes: int = 0
    built_on: int = 0
    responses: int = 0
    last_evidence_at: datetime | None = None


def decay(at: datetime, now: datetime, half_life_days: float = HALF_LIFE_DAYS) -> float:
    """How much evidence from ``at`` still counts at ``now`` (1 when fresh, ½ after a half-life)."""
    age_days = max((now - at).total_seconds() / 86400.0, 0.0)
    return 0.5 ** (age_days / half_life_days)


def score_evidence(evidence: Iterable[Evidence], *, now: datetime) -> list[TagExpertise]:
    """Fold evidence into one ``TagExpertise`` per (member, tag) that has any."""
    rows: dict[tuple[int, int], TagExpertise] = {}
    for item in evidence:
        if item.count <= 0:
            continue
        key = (item.user_id, item.tag_id)
        row = rows.get(key)
        if row is None:
            row = rows[key] = TagExpertise(user_id=item.user_id, tag_id=item.tag_id)
        row.score += WEIGHTS[item.kind] * item.count * decay(item.at, now)
        if item.kind is EvidenceKind.HELPFUL:
            row.helpful_responses += item.count
        elif item.kind is EvidenceKind.USEFUL_VOTE:
            row.useful_votes += item.count
        elif item.kind is EvidenceKind.BUILT_ON:
            row.built_on += item.count
        else:
            row.responses += item.count
        if row.last_evidence_at is None or item.at > row.last_evidence_at:
            row.last_evidence_at = item.at
    return list(rows.values())


def activity_mass(dates: Iterable[datetime], *, at: datetime) -> float:
    """Recent activity as of ``at``: each contribution counts 1, halving every 30 days.

    Stored with the time it was computed for; ``activity_at`` brings it to any later moment
    exactly (exponential decay only scales), so rankers need no list of dates.
    """
    return sum(decay(d, at, ACTIVITY_HALF_LIFE_DAYS) for d in dates if d <= at)


def activity_at(mass: float, computed_at: datetime | None, now: datetime) -> float:
    """``activity_mass`` computed at ``computed_at``, carried forward to ``now``."""
    if computed_at is None or mass <= 0:
        return 0.0
    return mass * decay(computed_at, now, ACTIVITY_HALF_LIFE_DAYS)
