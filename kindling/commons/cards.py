"""Cards: the short form of a resource or need that lists, streams and tag pages show.

A card reads the same for every member allowed to see it, so each is rendered once and kept in
the cache under a key that changes whenever what it shows changes: its edits (``updated_at``),
its counters, a need's status, the reader's language, and the "3 days ago" text of its byline.
A list first picks its ids (with those few columns) in one query, asks the cache for all its
cards at once, and loads and renders only the rows whose card is missing. Visibility is decided
by the query that picks the ids, never by the cache.

What a card shows of other objects (the author's display name, the circle's name, the names of
tags) is not in the key; a change there shows on cards within ``CARD_TIMEOUT`` seconds.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from django.core.cache import cache
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.timesince import timesince
from django.utils.translation import get_language

from kindling.commons.models import Need, Resource, Response

__all__ = ["CARD_TIMEOUT", "CARD_VERSION_FIELDS", "Card", "card_refs", "cards_for", "response_html"]

CARD_TIMEOUT = 10 * 60
_TEMPLATES = {
    "resource": "commons/partials/resource_card.html",
    "need": "commons/partials/need_card.html",
}
# What, besides the id and the creation time, a card's key is made of.
CARD_VERSION_FIELDS = {
    "resource": ("updated_at", "useful_count"),
    "need": ("updated_at", "status", "response_count", "helped_count"),
}


@dataclass(frozen=True)
class Card:
    kind: str
    pk: int
    created_at: datetime
    html: SafeString

    def __str__(self) -> str:
        return self.html


def card_refs(queryset: QuerySet[Any]) -> QuerySet[Any]:
    """The queryset as the tuples ``cards_for`` needs (id, created_at, version columns), in its
    order and without the joins and prefetches that only rendering needs."""
    kind = queryset.model.KIND
    return (
        queryset.select_related(None)
        .prefetch_related(None)
        .values_list("pk", "created_at", *CARD_VERSION_FIELDS[kind])
    )


def _ago(created_at: datetime) -> str:
    """The byline's "3 days ago" text, for cache keys: ``timesince`` as of the current minute,
    remembered per post and minute (every list asks it for each of its cards on every view)."""
    return _ago_at(created_at, int(time.time() // 60), get_language() or "")


@lru_cache(maxsize=4096)
def _ago_at(created_at: datetime, minute: int, language: str) -> str:
    return timesince(created_at, now=datetime.fromtimestamp(minute * 60, tz=UTC))


def _key(kind: str, language: str, ref: tuple[Any, ...]) -> str:
    pk, created_at, *version = ref
    stamp = ":".join(
        str(value.timestamp()) if isinstance(value, datetime) else str(value) for value in version
    )
    # The byline says "3 days ago": a card is rendered again when that text changes.
    return f"card:1:{language}:{kind}:{pk}:{stamp}:{_ago(created_at)}".replace(" ", "_")


def _cached_html(
    keys: dict[int, str], render: Callable[[list[int]], dict[int, str]]
) -> dict[int, SafeString]:
    """HTML by id: what the cache holds under ``keys``, and ``render(missing ids)`` for the
    rest, which is cached in turn. An id ``render`` leaves out is left out."""
    found: dict[str, Any] = cache.get_many(list(keys.values()))
    missing = [pk for pk, key in keys.items() if key not in found]
    if missing:
        fresh = {keys[pk]: html for pk, html in render(missing).items()}
        cache.set_many(fresh, CARD_TIMEOUT)
        found.update(fresh)
    return {pk: SafeString(found[key]) for pk, key in keys.items() if key in found}


def cards_for(
    queryset: QuerySet[Resource] | QuerySet[Need], refs: list[tuple[Any, ...]]
) -> list[Card]:
    """The cards for ``refs`` (rows of ``card_refs(queryset)``), in their order.

    ``queryset`` is the one the refs came from, with the joins and prefetches a card needs; it
    loads only the rows whose card is not cached. A row that disappeared in between is left out.
    """
    from kindling.commons.queries import rows_for_ids

    kind = queryset.model.KIND
    language = get_language() or ""

    def render(ids: list[int]) -> dict[int, str]:
        rows = rows_for_ids(queryset, ids)
        return {row.pk: render_to_string(_TEMPLATES[kind], {kind: row}) for row in rows}

    html = _cached_html({ref[0]: _key(kind, language, ref) for ref in refs}, render)
    return [Card(kind, ref[0], ref[1], html[ref[0]]) for ref in refs if ref[0] in html]


def response_html(responses: Sequence[Any]) -> dict[int, SafeString]:
    """The part of each response in a thread that reads the same for everyone (the mark of
    help, the text, the resource it cites, the byline), by id, cached like cards; the buttons
    that depend on the viewer are added around it by the page.

    ``responses`` are what ``queries.responses_for`` gives (the viewer may see them); rows with
    their texts, authors and resources are loaded only for the parts the cache lacks.
    """
    language = get_language() or ""
    keys = {
        response.pk: (
            f"response:1:{language}:{response.pk}:{response.updated_at.timestamp()}"
            f":{response.helped:d}{response.is_hidden:d}:{response.resource_id}"
            f":{_ago(response.created_at)}"
        ).replace(" ", "_")
        for response in responses
    }

    def render(ids: list[int]) -> dict[int, str]:
        rows = (
            Response.objects.filter(pk__in=ids)
            .select_related("author__profile", "resource")
            # What the part shows, not every column of four tables.
            .only(
                *("id", "need_id", "author_id", "body", "resource_id", "helped", "is_hidden"),
                *("attribution", "created_at", "updated_at"),
                *("author__id", "author__email", "author__profile__id"),
                *("author__profile__user_id", "author__profile__display_name"),
                *("resource__id", "resource__title"),
            )
        )
        return {
            row.pk: render_to_string("commons/partials/response_body.html", {"response": row})
            for row in rows
        }

    return _cached_html(keys, render)
