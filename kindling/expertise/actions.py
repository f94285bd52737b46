"""Keeping computed expertise and helper profiles current."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from kindling.commons.models import Lineage, Need, Resource, Response
from kindling.expertise.bm25 import tokenize
from kindling.expertise.models import Expertise, HelperProfile
from kindling.expertise.scoring import Evidence, EvidenceKind, activity_mass, score_evidence

# Members recomputed per round of queries: keeps IN lists and memory bounded on big imports.
BATCH_SIZE = 500
# The most frequent words kept in a text profile: enough for ranking, small enough to load fast.
PROFILE_TERMS = 400


def public_only(prefix: str = "") -> Q:
    """Evidence counts only where every member can see it: outside invite-only circles."""
    return Q(**{f"{prefix}circle__isnull": True}) | Q(**{f"{prefix}circle__visibility": "open"})


def _tag_ids(through: Any, field: str, ids: Iterable[int]) -> dict[int, list[int]]:
    tags: dict[int, list[int]] = defaultdict(list)
    for owner_id, tag_id in through.objects.filter(**{f"{field}__in": list(ids)}).values_list(
        field, "tag_id"
    ):
        tags[owner_id].append(tag_id)
    return tags


def _collect(user_ids: list[int]) -> tuple[list[Evidence], dict[int, dict[str, Any]]]:
    """Evidence and text profiles for a batch of members, in a fixed number of queries."""
    evidence: list[Evidence] = []
    profiles: dict[int, dict[str, Any]] = {
        uid: {"terms": Counter(), "responses": 0, "dates": []} for uid in user_ids
    }
    responses = list(
        Response.objects.filter(author_id__in=user_ids, is_hidden=False, need__is_hidden=False)
        .filter(public_only("need__"))
        .values_list(
            "author_id",
            "need_id",
            "helped",
            "marked_helpful_at",
            "created_at",
            "useful_count",
            "body",
            "need__title",
            "need__details",
        )
    )
    need_tags = _tag_ids(Need.tags.through, "need_id", {r[1] for r in responses})
    for (
        author_id,
        need_id,
        helped,
        helped_at,
        at,
        useful,
        body,
        title,
        details,
    ) in responses:
        profile = profiles[author_id]
        profile["responses"] += 1
        profile["dates"].append(at)
        profile["terms"].update(tokenize(f"{body} {title} {details}"))
        for tag_id in need_tags.get(need_id, ()):
            evidence.append(Evidence(author_id, tag_id, EvidenceKind.RESPONSE, at))
            if helped:
                evidence.append(Evidence(author_id, tag_id, EvidenceKind.HELPFUL, helped_at or at))
            if useful:
                evidence.append(Evidence(author_id, tag_id, EvidenceKind.USEFUL_VOTE, at, useful))

    resources = list(
        Resource.objects.filter(author_id__in=user_ids, is_hidden=False)
        .filter(public_only())
        .values_list("id", "author_id", "created_at", "useful_count", "title", "body")
    )
    resource_tags = _tag_ids(Resource.tags.through, "resource_id", {r[0] for r in resources})
    for resource_id, author_id, created_at, useful, title, body in resources:
        profiles[author_id]["dates"].append(created_at)
        profiles[author_id]["terms"].update(tokenize(f"{title} {body}"))
        if useful:
            for tag_id in resource_tags.get(resource_id, ()):
                evidence.append(
                    Evidence(author_id, tag_id, EvidenceKind.USEFUL_VOTE, created_at, useful)
                )

    # Built on by someone else, in a resource others can see.
    lineage = list(
        Lineage.objects.filter(
            builds_on__author_id__in=user_ids,
            builds_on__is_hidden=False,
            resource__is_hidden=False,
        )
        .filter(public_only("builds_on__"), public_only("resource__"))
        .exclude(resource__author_id=F("builds_on__author_id"))
        .values_list("builds_on_id", "builds_on__author_id", "created_at")
    )
    built_on_tags = _tag_ids(Resource.tags.through, "resource_id", {row[0] for row in lineage})
    for builds_on_id, author_id, created_at in lineage:
        for tag_id in built_on_tags.get(builds_on_id, ()):
            evidence.append(Evidence(author_id, tag_id, EvidenceKind.BUILT_ON, created_at))
    return evidence, profiles


def _batches(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), BATCH_SIZE):
        yield ids[start : start + BATCH_SIZE]


@transaction.atomic
def recompute_expertise(user_ids: Iterable[int], *, now: datetime | None = None) -> int:
    """Recompute stored expertise and helper profiles for these members; returns rows written.

    ``now`` is the moment scores are "as of" (the evaluation computes as of its split date).
    """
    now = now or timezone.now()
    ids = sorted({int(uid) for uid in user_ids if uid})
    written = 0
    for batch in _batches(ids):
        evidence, profiles = _collect(batch)
        rows = [
            Expertise(
                user_id=row.user_id,
                tag_id=row.tag_id,
                score=row.score,
                helpful_responses=row.helpful_responses,
                useful_votes=row.useful_votes,
                built_on=row.built_on,
                responses=row.responses,
                last_evidence_at=row.last_evidence_at,
                updated_at=now,
            )
            for row in score_evidence(evidence, now=now)
        ]
        Expertise.objects.filter(user_id__in=batch).delete()
        Expertise.objects.bulk_create(rows, batch_size=1000)
        helpers = []
        for uid, profile in profiles.items():
            dates = profile["dates"]
            if not dates:
                continue
            terms: Counter[str] = profile["terms"]
            helpers.append(
                HelperProfile(
                    user_id=uid,
                    terms=dict(terms.most_common(PROFILE_TERMS)),
                    doc_length=sum(terms.values()),
                    responses=profile["responses"],
                    last_active_at=max(dates),
                    activity=activity_mass(dates, at=now),
                    computed_at=now,
                    updated_at=timezone.now(),
                )
            )
        HelperProfile.objects.filter(user_id__in=batch).delete()
        HelperProfile.objects.bulk_create(helpers, batch_size=1000)
        written += len(rows) + len(helpers)
    return written


def recompute_all_expertise(*, now: datetime | None = None) -> int:
    """Recompute everyone's expertise (after an import, or from the command)."""
    user_ids = list(get_user_model().objects.values_list("pk", flat=True))
    return recompute_expertise(user_ids, now=now)
