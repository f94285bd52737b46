"""Reads: a member's expertise for their profile, and who can help with a need."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from kindling.commons.models import Tag
from kindling.core.snapshot import Snapshot
from kindling.expertise.models import Expertise, HelperProfile
from kindling.expertise.ranking import (
    Candidate,
    HelperIndex,
    HelpQuery,
    Phrasebook,
    Suggestion,
    TagColumn,
    TagTable,
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


class _Helpers:
    """Every helper profile in a ``HelperIndex`` and every member's expertise in a ``TagTable``,
    both as of one version of the profiles (recomputing expertise rewrites the profile)."""

    def __init__(
        self,
        candidates: list[Candidate],
        expertise: TagTable,
        tag_ids: dict[str, list[int]],
    ) -> None:
        self.index = HelperIndex(candidates)
        self.expertise = expertise
        self._tag_ids = tag_ids

    def columns(self, slugs: Sequence[str]) -> dict[str, TagColumn]:
        """Slug → candidates' records in that tag (tags of different kinds may share a slug)."""
        return {
            slug: self.expertise.column(self.index, self._tag_ids[slug])
            for slug in dict.fromkeys(slugs)
            if slug in self._tag_ids
        }


def profiles_version() -> tuple[Any, ...]:
    """Changes whenever any member's expertise is recomputed, which rewrites their helper
    profile too (``expertise.actions``): for per-process snapshots built from either."""
    state = HelperProfile.objects.aggregate(count=Count("id"), latest=Max("updated_at"))
    return (state["count"], state["latest"])


def _load_expertise() -> tuple[TagTable, dict[str, list[int]]]:
    names: dict[int, str] = {}
    tag_ids: dict[str, list[int]] = defaultdict(list)
    for tag_id, slug, name in Tag.objects.values_list("id", "slug", "name"):
        names[tag_id] = name
        tag_ids[slug].append(tag_id)
    rows = Expertise.objects.order_by().values_list(
        "tag_id",
        "user_id",
        "score",
        "responses",
        "helpful_responses",
        "useful_votes",
        "built_on",
    )
    return TagTable(list(rows), names), dict(tag_ids)


def _load_helpers() -> _Helpers:
    rows = HelperProfile.objects.values_list(
        "user_id",
        "user__profile__display_name",
        "terms",
        "doc_length",
        "responses",
        "last_active_at",
        "activity",
        "computed_at",
    ).order_by("user_id")
    candidates = [
        Candidate(
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
    ]
    return _Helpers(candidates, *_load_expertise())


# Decoding ten thousand JSON term maps and indexing them, and reading every member's expertise,
# takes a second or two: done once per process, again at most once a minute when some member's
# expertise was recomputed (then on another thread, the previous index answering meanwhile).
_helpers = Snapshot(_load_helpers, profiles_version, recheck_seconds=60.0, background=True)


def _tag_slugs(tags: Iterable[Tag | str]) -> list[str]:
    return [tag.slug if isinstance(tag, Tag) else str(tag) for tag in tags]


def _excluded_ids(viewer: User | AnonymousUser, exclude_user_ids: Iterable[int]) -> set[int]:
    """Never suggested: the viewer, members who blocked them, inactive members, and these."""
    from kindling.accounts.models import User
    from kindling.moderation.queries import ids_who_blocked

    excluded = set(exclude_user_ids)
    if viewer.pk:
        excluded.add(viewer.pk)
        excluded |= ids_who_blocked(viewer.pk)
    excluded.update(User.objects.filter(is_active=False).values_list("pk", flat=True))
    return excluded


def who_can_help(
    viewer: User | AnonymousUser,
    text: str,
    tags: Iterable[Tag | str] = (),
    *,
    limit: int | None = 5,
    exclude_user_ids: Iterable[int] = (),
    now: datetime | None = None,
    explain_top: int | None = None,
    reading: int | None = None,
) -> list[Suggestion]:
    """Members best able to help with a need (text and tags), with reasons in plain words.

    ``limit=None`` ranks everyone (the evaluation); ``explain_top`` limits who gets reasons;
    ``reading``: how many tokens of the text semantic similarity reads (by default
    ``embeddings.SHORT_QUERY_TOKENS``; a caller that has the text encoded at another length
    already passes that length).
    """
    from kindling.expertise.similar_needs import similar_needs_fit, start_reading

    helpers = _helpers.get()
    if not len(helpers.index):
        return []
    # The model reads the text on another thread while the database is asked who is excluded
    # and the other signals are computed; the ranking asks for the fit last.
    start_reading(text, tokens=reading)
    slugs = _tag_slugs(tags)
    return helpers.index.rank(
        HelpQuery(text=text, tags=slugs),
        tags=helpers.columns(slugs),
        exclude=_excluded_ids(viewer, exclude_user_ids),
        limit=limit,
        now=now or timezone.now(),
        phrases=_translated_phrases(),
        explain_top=explain_top,
        similar_needs=lambda: similar_needs_fit(text, tokens=reading),
    )


def expertise_in_tag(tag: Tag) -> QuerySet[Expertise]:
    """Members with expertise in one tag, strongest first."""
    return Expertise.objects.filter(tag=tag, score__gt=0, user__is_active=True).select_related(
        "user__profile"
    )
