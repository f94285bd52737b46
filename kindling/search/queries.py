"""Searching the index as one member: what they may see, ranked, highlighted and faceted."""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils.safestring import SafeString, mark_safe

from kindling.commons.models import Circle, CircleVisibility
from kindling.commons.querysets import is_moderator, member_circle_ids
from kindling.search import fulltext, semantic
from kindling.search.models import DocumentKind, SearchDocument, SearchDocumentTag
from kindling.search.text import (
    MARK_END,
    MARK_START,
    MAX_RELATED_TERMS,
    STOPWORDS,
    highlighted_html,
    informative_terms,
    query_terms,
    tokenize,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kindling.accounts.models import User

KINDS = tuple(DocumentKind.values)
FACET_KINDS = ("subject", "grade", "habit", "tag")
FACET_TAG_KIND = {"subject": "subject", "grade": "grade", "habit": "habit", "tag": "free"}
FACET_FILTER_KEY = {kind: key for key, kind in FACET_TAG_KIND.items()}
MAX_PAGE = 10_000
MIN_TERM_LENGTH = 2
# "Did you mean" writes its words as the best of this many newest matches of them writes them.
SUGGESTION_CANDIDATES = 20
# Related content: how many full-text matches are re-ranked by meaning, and how much meaning
# counts against words (an even mix of the two, each scaled to [0, 1]).
SEMANTIC_CANDIDATES = 100
# Words of a text looked for in related content, at most (see _telling_terms).
RELATED_TERMS = 32
SEMANTIC_WEIGHT = 0.5


@dataclass
class Hit:
    """One search result: what it is, where it lives, and its text with matches marked."""

    kind: str
    object_id: int
    url: str
    title: str
    title_html: SafeString
    snippet_html: SafeString
    score: float
    created_at: datetime | None = None
    tags: str = ""


@dataclass
class TagFacet:
    kind: str
    slug: str
    name: str
    count: int

    @property
    def filter_key(self) -> str:
        """The search filter (``FACET_KINDS``) that picks this tag: "tag" for a free tag."""
        return FACET_FILTER_KEY[self.kind]


@dataclass
class SearchResults:
    """A page of hits with the counts that describe the whole result."""

    query: str
    terms: list[str]
    hits: list[Hit]
    total: int
    page: Page[Any]
    kind_counts: dict[str, int] = field(default_factory=dict)
    tag_facets: list[TagFacet] = field(default_factory=list)
    suggestion: str = ""
    message: str = ""
    # More matched than were counted (fulltext.CANDIDATES): counts are lower bounds.
    capped: bool = False


def visible_documents(viewer: User | AnonymousUser) -> QuerySet[SearchDocument]:
    """Documents the viewer may find: nothing for visitors; for members, content outside circles,
    in open circles or in their circles, never hidden (moderators see everything)."""
    if not viewer.is_authenticated:
        return SearchDocument.objects.none()
    if is_moderator(viewer):
        return SearchDocument.objects.all()
    open_circles = Circle.objects.filter(visibility=CircleVisibility.OPEN).values("id")
    return SearchDocument.objects.filter(
        Q(circle_id__isnull=True)
        | Q(circle_id__in=open_circles)
        | Q(circle_id__in=member_circle_ids(viewer)),
        is_hidden=False,
        parent_hidden=False,
    )


def clean_filters(filters: Mapping[str, Any] | None) -> dict[str, str]:
    """Only the known facet filters, each a short slug; anything else is ignored."""
    cleaned: dict[str, str] = {}
    for key in FACET_KINDS:
        value = (filters or {}).get(key)
        if isinstance(value, str) and 0 < len(value) <= 60:
            cleaned[key] = value
    return cleaned


def _sql(queryset: QuerySet[Any]) -> tuple[str, tuple[Any, ...]]:
    """The queryset's WHERE clause, to apply to the documents table inside a full-text query
    (cheaper than ``id IN (subquery)``, which SQLite would materialize for every search)."""
    compiler = queryset.query.get_compiler(connection=connection)
    try:
        sql, params = compiler.compile(queryset.query.where)
    except FullResultSet:  # no condition at all (a moderator's search)
        return "1 = 1", ()
    except EmptyResultSet:  # a condition nothing meets
        return "1 = 0", ()
    return (sql or "1 = 1"), tuple(params)


def _matching(
    terms: list[str],
    mode: fulltext.Mode,
    visible: QuerySet[Any],
    facets: Sequence[tuple[str, str]] = (),
    kinds: Sequence[str] = (),
) -> fulltext.Matching:
    """What a full-text query of these terms matches among the ``visible`` documents (with
    every facet, of one of ``kinds``: every kind when it names none or all of them)."""
    sql, params = _sql(visible)
    chosen = [kind for kind in KINDS if kind in kinds]
    return fulltext.Matching(
        terms, mode, sql, params, facets, chosen if len(chosen) < len(KINDS) else []
    )


def _hit(row: dict[str, Any]) -> Hit:
    return Hit(
        kind=row["kind"],
        object_id=row["object_id"],
        url=row["url"],
        title=row["title"],
        # The database marked the matches with private characters; escape, then mark up.
        title_html=mark_safe(highlighted_html(row["title_marked"] or row["title"])),
        snippet_html=mark_safe(highlighted_html(row["snippet_marked"] or "")),
        score=row["score"],
        created_at=row["created_at"],
        tags=row["tags"],
    )


def _paginate(total: int, page: int | str | None, per_page: int) -> Page[Any]:
    return Paginator(range(total), per_page).get_page(page)


def search(
    viewer: User | AnonymousUser,
    query: str,
    *,
    kinds: Iterable[str] | None = None,
    filters: Mapping[str, Any] | None = None,
    page: int | str | None = 1,
    per_page: int = 20,
) -> SearchResults:
    """Everything the viewer may see that holds every word of the query, best first, among
    the newest ``fulltext.CANDIDATES`` matches (all of them when fewer match).

    Three queries when there are results (four on PostgreSQL, which first reads the lowest
    and highest document ids): kind counts, the page, tag facets (with the visible circles
    inside each as a subquery); a few more for "did you mean" when there are none. With a type
    filter only the chosen types are matched and counted.
    """
    terms = [t for t in query_terms(query) if len(t) >= MIN_TERM_LENGTH or t.isdigit()]
    # Every word must match, so words too common to be indexed on PostgreSQL are left out on
    # both databases (unless nothing else is left).
    terms = [t for t in terms if t not in STOPWORDS] or terms
    terms = fulltext.text_terms(terms)
    empty_page = _paginate(0, 1, per_page)
    if not viewer.is_authenticated or not terms:
        message = "short" if query.strip() else "empty"
        return SearchResults(query, terms, [], 0, empty_page, message=message)
    facets = clean_filters(filters)
    # A facet no document has finds nothing: say so at once (one indexed lookup each), rather
    # than read every match of the words looking for one that has it.
    for key, slug in facets.items():
        if not SearchDocumentTag.objects.filter(kind=FACET_TAG_KIND[key], slug=slug).exists():
            return SearchResults(query, terms, [], 0, empty_page)
    # Facets are words of the full-text index on both databases (fulltext.FACET_WORD_SQL,
    # fulltext.PG_FACET_WORDS): the index intersects them with the query's words.
    in_match = [(FACET_TAG_KIND[key], slug) for key, slug in facets.items()]
    # The kinds asked for are matched on their own, as words of the index too: the newest
    # matches of every kind may hold few or none of them (the newest hundred people, say).
    # Only they are counted.
    matching = _matching(terms, "all", visible_documents(viewer), in_match, list(kinds or ()))
    # Counted among the newest CANDIDATES + 1 matches, ranked and faceted among the newest
    # CANDIDATES (fulltext._window): more matches than that show as "more than". PostgreSQL
    # finds those matches once for the three queries (None on SQLite).
    window = fulltext.match_window(matching)
    counts = fulltext.kind_counts(matching, window=window)
    capped = sum(counts.values()) > fulltext.CANDIDATES
    total = min(sum(counts.values()), fulltext.CANDIDATES)
    if total == 0:
        return SearchResults(
            query, terms, [], 0, empty_page, counts, suggestion=_suggest(viewer, terms)
        )
    ids = None if window is None else [pk for pk, _kind in window[: fulltext.CANDIDATES]]
    page_obj = _paginate(total, page, per_page)
    rows = fulltext.ranked(
        matching, limit=per_page, offset=(page_obj.number - 1) * per_page, window=ids
    )
    tags = [
        TagFacet(kind, slug, name, count)
        for kind, slug, name, count in fulltext.tag_counts(matching, window=ids)
    ]
    return SearchResults(
        query,
        terms,
        [_hit(row) for row in rows],
        total,
        page_obj,
        counts,
        tags[:40],
        capped=capped,
    )


def _suggest(viewer: User | AnonymousUser, terms: list[str]) -> str:
    """A query with each word nothing holds replaced by the closest indexed word, if that
    finds something the viewer may see; else ""."""
    changed: set[int] = set()
    suggested = []
    for term in terms[:5]:
        if term.isdigit() or fulltext.term_has_documents(term):
            suggested.append(term)
            continue
        close = difflib.get_close_matches(term, fulltext.vocabulary_near(term), n=1, cutoff=0.7)
        if close:
            changed.add(len(suggested))
            suggested.append(close[0])
        else:
            suggested.append(term)
    if not changed:
        return ""
    matching = _matching(suggested, "all", visible_documents(viewer))
    best = fulltext.ranked(matching, limit=1, candidates=SUGGESTION_CANDIDATES)
    if not best:  # the suggestion would find nothing the viewer may see
        return ""
    # The index holds stems ("photosynthesi"): each is shown as the best match writes it.
    marked = _MARKED.findall("".join(f"{r['title_marked']} {r['snippet_marked']}" for r in best))
    return " ".join(
        _as_written(term, marked) if i in changed else term for i, term in enumerate(suggested)
    )


_MARKED = re.compile(f"{MARK_START}(.*?){MARK_END}", re.DOTALL)


def _as_written(stem: str, written: list[str]) -> str:
    """The highlighted word that ``stem`` came from, lower-cased: the most frequent one sharing
    its first letters (a stemmer may change the last: inquiry → inquiri), else the stem."""
    prefix = stem[: max(len(stem) - 1, 3)]
    words = Counter(w.lower() for w in written if w.lower().startswith(prefix))
    if not words:
        return stem
    return min(words, key=lambda w: (-words[w], len(w), w))


def related_content(
    viewer: User | AnonymousUser,
    text: str,
    *,
    tags: Sequence[str] = (),
    kinds: Sequence[str] = ("resource", "need"),
    limit: int = 5,
    exclude: Iterable[tuple[str, int]] = (),
    before: datetime | None = None,
) -> list[Hit]:
    """What the viewer may see that is most like a text (a need being typed, say): the text's
    informative words ORed together, ranked by the full-text score, documents sharing one of
    ``tags`` (slugs or names) boosted; with semantic similarity on, the best full-text matches
    are re-ranked by meaning as well (``_fuse_semantic``)."""
    meaning = bool(set(kinds) & set(semantic.KINDS)) and viewer.is_authenticated
    if meaning:  # encoded on another thread while the full-text query runs
        semantic.start_query_vector(text)
    terms = informative_terms(text, limit=MAX_RELATED_TERMS)
    tag_words = [w for tag in tags for w in tokenize(tag)]
    for word in tag_words:
        if word not in terms and len(terms) < MAX_RELATED_TERMS + 8:
            terms.append(word)
    terms = fulltext.text_terms(terms)
    if not viewer.is_authenticated or not terms or not set(kinds) & set(KINDS):
        return []
    terms = _telling_terms(terms)
    visible = visible_documents(viewer)
    if before is not None:
        visible = visible.filter(created_at__lt=before)
    excluded = set(exclude)
    for kind, object_id in excluded:
        visible = visible.exclude(kind=kind, object_id=object_id)
    meaning = meaning and semantic.encoder() is not None
    # With meaning, more full-text matches are re-ranked; tags boost a few more otherwise.
    depth = max(SEMANTIC_CANDIDATES, limit) if meaning else limit * (3 if tags else 1)
    # Only titles are shown, so no snippets are computed.
    matching = _matching(terms, "any", visible, kinds=kinds)
    rows = fulltext.ranked(matching, limit=depth, snippets=False)
    hits = [_hit(row) for row in rows]
    if tags:
        wanted = {w.lower() for w in tag_words}
        for hit in hits:
            overlap = len(wanted & set(tokenize(hit.tags)))
            hit.score *= 1 + 0.25 * overlap
    query = semantic.query_vector(text) if meaning else None
    if query is not None:
        _fuse_semantic(hits, query)
    hits.sort(key=lambda h: -h.score)
    return hits[:limit]


def _telling_terms(terms: list[str]) -> list[str]:
    """The words that tell documents apart, in their order (most frequent in the text first),
    at most ``RELATED_TERMS``: those in at most ``fulltext.COMMON_SHARE`` of documents (the
    three rarest if every word is that common). Ored, a word in most documents would match
    nearly everything (the newest documents would fill the candidates) and costs the most
    to score."""
    shares = fulltext.term_shares(terms)
    telling = [term for term in terms if shares[term] <= fulltext.COMMON_SHARE]
    return (telling or sorted(terms, key=lambda term: shares[term])[:3])[:RELATED_TERMS]


def _fuse_semantic(hits: list[Hit], query: Any) -> None:
    """Re-score full-text hits as an even mix of their full-text score and their cosine
    similarity to the query, each scaled to [0, 1] over the hits (hits without a vector get
    the lowest similarity). Only documents the full-text query let through are scored, so
    the semantic path sees exactly what the viewer may see."""
    if not hits:
        return
    similarity: dict[tuple[str, int], float] = {}
    for kind in {hit.kind for hit in hits} & set(semantic.KINDS):
        vectors = semantic.vectors_for(kind, [h.object_id for h in hits if h.kind == kind])
        for object_id, value in semantic.cosine_to(query, vectors).items():
            similarity[(kind, object_id)] = value
    if not similarity:
        return
    low, high = min(similarity.values()), max(similarity.values())
    spread = high - low
    top = max(hit.score for hit in hits)
    for hit in hits:
        text_part = hit.score / top if top > 0 else 0.0
        value = similarity.get((hit.kind, hit.object_id), low)
        meaning_part = (value - low) / spread if spread > 1e-9 else 0.0
        hit.score = (1 - SEMANTIC_WEIGHT) * text_part + SEMANTIC_WEIGHT * meaning_part
