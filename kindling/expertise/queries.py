"""Reads: a member's expertise for their profile, and who can help with a need."""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from kindling.commons.models import Tag
from kindling.expertise.models import Expertise, HelperProfile
from kindling.expertise.ranking import (
    Candidate,
    HelpQuery,
    Phrasebook,
    Suggestion,
    TagStats,
    rank_helpers,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kindling.accounts.models import User

PROFILE_TAGS = 5


def expertise_for(user: User) -> list[Expertise]:
    """A member's strongest tags with their evidence (one query)."""
    return list(
        Expertise.objects.filter(user=user, score__gt=0)
        .select_related("tag")
        .order_by("-score", "tag__name")[:PROFILE_TAGS]
    )


def _translated_phrases() -> Phrasebook:
    def answered(count: int, tag: str, helpful: int) -> str:
        text = ngettext(
            "answered %(count)d need tagged %(tag)s",
            "answered %(count)d needs tagged %(tag)s",
            count,
        ) % {"count": count, "tag": tag}
        if not helpful:
            return text
        return ngettext(
            "%(text)s, %(helpful)d marked helpful", "%(text)s, %(helpful)d marked helpful", helpful
        ) % {"text": text, "helpful": helpful}

    def built_on(count: int, tag: str) -> str:
        return ngettext(
            "others built on their resources in %(tag)s once",
            "others built on their resources in %(tag)s %(count)d times",
            count,
        ) % {"count": count, "tag": tag}

    def wrote_about(term: str, recently: bool) -> str:
        if recently:
            return gettext("wrote about %(term)s recently") % {"term": term}
        return gettext("wrote about %(term)s") % {"term": term}

    def active(days: int) -> str:
        return gettext("active this week") if days <= 7 else gettext("active this month")

    def answered_similar() -> str:
        return gettext("answered needs like this one")

    return Phrasebook(
        answered=answered,
        built_on=built_on,
        wrote_about=wrote_about,
        active=active,
        answered_similar=answered_similar,
    )


class _CandidateCache:
    """Text profiles decoded once per process, reloaded when any profile changes.

    Decoding thousands of JSON term maps per query would dominate the ranking's cost; one
    aggregate query tells whether the cached copy is still current, so processes never disagree.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._version: tuple[Any, ...] | None = None
        self._candidates: dict[int, Candidate] = {}

    def get(self) -> dict[int, Candidate]:
        state = HelperProfile.objects.aggregate(count=Count("id"), latest=Max("updated_at"))
        version = (state["count"], state["latest"])
        with self._lock:
            if version != self._version:
                self._candidates = self._load()
                self._version = version
            return self._candidates

    @staticmethod
    def _load() -> dict[int, Candidate]:
        rows = HelperProfile.objects.values_list(
            "user_id",
            "user__profile__display_name",
            "terms",
            "doc_length",
            "responses",
            "last_active_at",
            "activity",
            "computed_at",
        )
        return {
            uid: Candidate(
                user_id=uid,
                display_name=name or "",
                terms=terms,
                doc_length=length,
                responses=responses,
                last_active_at=last_active,
                activity=activity,
                activity_computed_at=computed_at,
            )
            for uid, name, terms, length, responses, last_active, activity, computed_at in rows
        }


_cache = _CandidateCache()


def _tag_slugs(tags: Iterable[Tag | str]) -> list[str]:
    return [tag.slug if isinstance(tag, Tag) else str(tag) for tag in tags]


def helper_candidates(
    viewer: User | AnonymousUser, tags: Sequence[str], *, exclude_user_ids: Iterable[int] = ()
) -> list[Candidate]:
    """Active members with a helper profile, minus the viewer and members who blocked them."""
    from kindling.moderation.queries import ids_who_blocked

    excluded = set(exclude_user_ids)
    if viewer.pk:
        excluded.add(viewer.pk)
        excluded |= ids_who_blocked(viewer.pk)
    active_ids = set(
        HelperProfile.objects.filter(user__is_active=True).values_list("user_id", flat=True)
    )
    stats: dict[int, dict[str, TagStats]] = defaultdict(dict)
    if tags:
        rows = Expertise.objects.filter(tag__slug__in=tags).values_list(
            "user_id",
            "tag__slug",
            "tag__name",
            "score",
            "responses",
            "helpful_responses",
            "useful_votes",
            "built_on",
        )
        for uid, slug, name, score, responses, helpful, votes, built in rows:
            previous = stats[uid].get(slug)
            # Tags of different kinds may share a slug; keep the stronger.
            if previous is None or previous.score < score:
                stats[uid][slug] = TagStats(name, score, responses, helpful, votes, built)
    # The cached candidates (no tags) are shared and never changed: only those with expertise
    # in the asked tags get a copy, not every member on every call.
    return [
        replace(cached, tags=stats[uid]) if uid in stats else cached
        for uid, cached in _cache.get().items()
        if uid not in excluded and uid in active_ids
    ]


def who_can_help(
    viewer: User | AnonymousUser,
    text: str,
    tags: Iterable[Tag | str] = (),
    *,
    limit: int | None = 5,
    exclude_user_ids: Iterable[int] = (),
    now: datetime | None = None,
    explain_top: int | None = None,
) -> list[Suggestion]:
    """Members best able to help with a need (text and tags), with reasons in plain words.

    ``limit=None`` ranks everyone (the evaluation); ``explain_top`` limits who gets reasons.
    """
    from kindling.expertise.similar_needs import similar_needs_fit

    slugs = _tag_slugs(tags)
    candidates = helper_candidates(viewer, slugs, exclude_user_ids=exclude_user_ids)
    return rank_helpers(
        HelpQuery(text=text, tags=slugs),
        candidates,
        limit=limit,
        now=now or timezone.now(),
        phrases=_translated_phrases(),
        explain_top=explain_top,
        similar_needs=similar_needs_fit(text) if candidates else None,
    )


def expertise_in_tag(tag: Tag) -> QuerySet[Expertise]:
    """Members with expertise in one tag, strongest first."""
    return Expertise.objects.filter(tag=tag, score__gt=0, user__is_active=True).select_related(
        "user__profile"
    )
