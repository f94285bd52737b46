# ruff: noqa: S608 - SQL is assembled from constants and Django-compiled subqueries; every
# value, including the already tokenized search terms, goes in as a query parameter.
"""The two full-text backends behind one interface: SQLite FTS5 and PostgreSQL text search.

Every function takes a list of already-tokenized terms (see ``kindling.search.text``) and the
SQL of a subquery of visible document ids; nothing typed by a member is interpolated into SQL.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from django.core.cache import cache
from django.db import connection

from kindling.core.snapshot import Snapshot
from kindling.search.text import MARK_END, MARK_START, fts5_all, fts5_any

Mode = Literal["all", "any"]


@dataclass(frozen=True)
class Matching:
    """What one full-text search matches: documents holding all or any of the terms (already
    tokenized, ``text_terms``), among those the visibility filter lets through (the SQL of a
    condition on the documents table, and its parameters), with every facet (tag kind, slug)
    and one of the kinds: words of the full-text index, matched with the terms."""

    terms: list[str]
    mode: Mode
    visible_sql: str
    visible_params: Sequence[Any]
    facets: Sequence[tuple[str, str]] = ()
    # Document kinds, any of which matches (none: every kind); words of the index like facets.
    kinds: Sequence[str] = ()


PG_CONFIG = "english"
SNIPPET_WORDS = 28
# Column weights: title, body, tags, answers (SQLite bm25; PostgreSQL weights A, C, B, D).
# Chosen with evaluate_related on the Cardano dump (64 queries; see the commit message): a need's
# answers say as much about it as its own text, and the title most.
SQLITE_WEIGHTS = (3.0, 1.0, 1.0, 1.5, 0.0)  # the facets column never adds to the score
PG_WEIGHTS = "{0.5, 0.33, 0.33, 1.0}"  # D (answers), C (body), B (tags), A (title)
PG_HEADLINE = (
    f'StartSel="{MARK_START}", StopSel="{MARK_END}", MaxWords={SNIPPET_WORDS}, MinWords=12, '
    'MaxFragments=2, FragmentDelimiter=" … "'
)
PG_TITLE_HEADLINE = f'StartSel="{MARK_START}", StopSel="{MARK_END}", HighlightAll=true'
TABLE = "search_searchdocument"
# Matches ranked, counted and faceted per query at most: the newest this many (see _window).
CANDIDATES = 1000
# "Did you mean": words are listed from PostgreSQL's newest documents, and kept this long.
VOCABULARY_DOCUMENTS = 5_000
VOCABULARY_SECONDS = 3600
# A word in more than this share of documents is too common to score by (see scoring_terms);
# shares are estimated from the newest SHARE_SAMPLE documents and cached SHARE_SECONDS.
COMMON_SHARE = 0.1
SHARE_SAMPLE = 20_000
SHARE_SECONDS = 600
SHARE_MIN_DOCUMENTS = 1000
# PostgreSQL looks for the newest matches among the newest 8,192 ids, then in slices sized by
# how many matches those held, at most PG_SLICES queries (see match_window).
PG_FIRST_SLICE = 8_192
PG_SLICES = 4
# PostgreSQL also keeps a partial GIN index of the newest documents only, those above a floor
# id: a GIN scan reads each word's whole list of documents whatever the id bounds (about 20 ms
# for a few common words over 400,000 documents), and the newest slices, which most searches
# need alone, read this index's short lists instead. It holds RECENT_DOCUMENTS to twice that
# many ids; ``refresh_recent_index`` raises the floor when it holds more.
RECENT_DOCUMENTS = 65_536
RECENT_INDEX = "search_document_recent_idx"
_RECENT_FLOOR = re.compile(r"WHERE \(id > '?(\d+)'?(?:::bigint)?\)")
# Any fixed number: PostgreSQL's advisory lock that lets one process at a time rebuild it.
_RECENT_LOCK = 0x5EA4C4


def is_sqlite() -> bool:
    return connection.vendor == "sqlite"


def _ids_param(ids: Sequence[int]) -> tuple[str, list[Any]]:
    return ", ".join(["%s"] * len(ids)), list(ids)


# Columns of a document row as insert_documents takes them, after kind and object_id.
DOCUMENT_FIELDS = (
    "title",
    "body",
    "tags",
    "answers",
    "url",
    "circle_id",
    "is_hidden",
    "parent_hidden",
    "author_id",
    "need_id",
    "created_at",
)
# The weighted vector of a document, from its four texts and its facet words (columns or
# parameters; see FACET_WORD_SQL: the "simple" configuration keeps each as it is).
PG_VECTOR = (
    "setweight(to_tsvector('{config}', {title}), 'A') || "
    "setweight(to_tsvector('{config}', {tags}), 'B') || "
    "setweight(to_tsvector('{config}', left({body}, 200000)), 'C') || "
    "setweight(to_tsvector('{config}', left({answers}, 200000)), 'D') || "
    "to_tsvector('simple', {facets})"
)
# A document's facet words, its kind's and its tag rows', on PostgreSQL (the same words as on
# SQLite).
PG_FACET_WORDS = (
    "'fk' || encode(convert_to({table}.kind, 'UTF8'), 'hex') || '0' || "
    "COALESCE(' ' || (SELECT string_agg('f' || substr(t.kind, 1, 1) || "
    "encode(convert_to(t.slug, 'UTF8'), 'hex') || '0', ' ') "
    "FROM search_searchdocumenttag t WHERE t.document_id = {table}.id), '')"
)


def write_documents(ids: Sequence[int]) -> None:
    """Copy the documents' text into the full-text index (after their rows were saved)."""
    if not ids:
        return
    marks, params = _ids_param(ids)
    with connection.cursor() as cursor:
        if is_sqlite():
            cursor.execute(f"DELETE FROM search_fts WHERE rowid IN ({marks})", params)
            _copy_to_fts(cursor, marks, params)
        elif connection.vendor == "postgresql":
            vector = PG_VECTOR.format(
                config=PG_CONFIG,
                title="title",
                tags="tags",
                body="body",
                answers="answers",
                facets=PG_FACET_WORDS.format(table=TABLE),
            )
            cursor.execute(
                f"UPDATE {TABLE} SET search_vector = {vector} WHERE id IN ({marks})", params
            )


# SQLite keeps each document's facets (its kind, and its tags' kinds and slugs) as words of a
# fifth FTS5 column, so a facet or type filter is part of the MATCH: FTS5 intersects the words'
# and the facet's lists of documents, where a filter outside it would test every match of the
# words in turn. A facet word is "f", the tag kind's initial ("k" for the document's kind), the
# slug's UTF-8 bytes in hex, and "0": one token for the tokenizer, untouched by the stemmer,
# distinct for every (kind, slug).
FACET_WORD_SQL = "'f' || substr(t.kind, 1, 1) || lower(hex(t.slug)) || '0'"
KIND_WORD_SQL = "'fk' || lower(hex({table}.kind)) || '0'"
# Words of a member's query shaped like a facet word are left out (``text_terms``), so a query
# never reaches the facets column and needs no column filter, which would double bm25()'s cost.
_FACET_SHAPED = re.compile(r"f[sghfk][0-9a-f]*0", re.ASCII)


def facet_word(kind: str, slug: str) -> str:
    """The facets column's word for a tag kind and slug (as ``FACET_WORD_SQL`` writes it)."""
    return f"f{kind[:1]}{slug.encode().hex()}0"


def kind_word(kind: str) -> str:
    """The facets column's word for a document kind (as ``KIND_WORD_SQL`` writes it)."""
    return facet_word("k", kind)


def _copy_to_fts(cursor: Any, marks: str, params: list[Any]) -> None:
    """Copy documents (with their facet rows, written first) into the FTS5 table."""
    facets = (
        f"{KIND_WORD_SQL.format(table=TABLE)} || COALESCE(' ' || "
        f"(SELECT group_concat({FACET_WORD_SQL}, ' ') FROM search_searchdocumenttag t "
        f"WHERE t.document_id = {TABLE}.id), '')"
    )
    cursor.execute(
        "INSERT INTO search_fts(rowid, title, body, tags, answers, facets) "
        f"SELECT id, title, body, tags, answers, {facets} FROM {TABLE} WHERE id IN ({marks})",
        params,
    )


def document_ids(kind: str, object_ids: Sequence[int]) -> list[int]:
    """Ids of the documents of these objects of one kind."""
    if not object_ids:
        return []
    marks, params = _ids_param(object_ids)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM {TABLE} WHERE kind = %s AND object_id IN ({marks})", [kind, *params]
        )
        return [row[0] for row in cursor.fetchall()]


def reserve_document_ids(count: int) -> list[int]:
    """``count`` unused ids for new documents. Call inside the transaction that inserts them:
    on SQLite it holds the write lock (transactions begin IMMEDIATE), so none can be taken
    meanwhile; PostgreSQL draws them from the id sequence."""
    if count < 1:
        return []
    with connection.cursor() as cursor:
        if is_sqlite():
            # AUTOINCREMENT: never an id used before, even by a deleted row.
            cursor.execute(
                "SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), "
                f"COALESCE((SELECT MAX(id) FROM {TABLE}), 0))",
                [TABLE],
            )
            first = cursor.fetchone()[0] + 1
            return list(range(first, first + count))
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [TABLE, count],
        )
        return [row[0] for row in cursor.fetchall()]


def insert_documents(
    rows: Sequence[Sequence[Any]], tags: Sequence[tuple[int, str, str, str]] = ()
) -> None:
    """Insert new documents, rows of (id, kind, object_id, *DOCUMENT_FIELDS), with their facet
    rows (document id, kind, slug, name), into the tables and the full-text index, with one
    prepared statement per table run for every row.

    For rebuilding the index: a model instance, a compiled INSERT and a full-text UPDATE per
    document would cost several times more. PostgreSQL computes each vector in the INSERT.
    """
    if not rows:
        return
    created_at = 3 + DOCUMENT_FIELDS.index("created_at")
    adapt = connection.ops.adapt_datetimefield_value
    values = [[*row[:created_at], adapt(row[created_at]), *row[created_at + 1 :]] for row in rows]
    columns = ", ".join(("id", "kind", "object_id", *DOCUMENT_FIELDS))
    marks = ", ".join(["%s"] * (3 + len(DOCUMENT_FIELDS)))
    with connection.cursor() as cursor:
        if is_sqlite():
            cursor.executemany(f"INSERT INTO {TABLE} ({columns}) VALUES ({marks})", values)
            _insert_tags(cursor, tags)
            ids, id_params = _ids_param([row[0] for row in rows])
            _copy_to_fts(cursor, ids, id_params)
            return
        vector = PG_VECTOR.format(
            config=PG_CONFIG, title="%s", tags="%s", body="%s", answers="%s", facets="%s"
        )
        texts = [DOCUMENT_FIELDS.index(name) + 3 for name in ("title", "tags", "body", "answers")]
        facets: dict[int, list[str]] = {row[0]: [kind_word(row[1])] for row in rows}
        for document_id, kind, slug, _name in tags:
            facets[document_id].append(facet_word(kind, slug))
        cursor.executemany(
            f"INSERT INTO {TABLE} ({columns}, search_vector) VALUES ({marks}, {vector})",
            [[*value, *(value[i] for i in texts), " ".join(facets[value[0]])] for value in values],
        )
        _insert_tags(cursor, tags)


def _insert_tags(cursor: Any, rows: Sequence[tuple[int, str, str, str]]) -> None:
    if rows:
        cursor.executemany(
            "INSERT INTO search_searchdocumenttag (document_id, kind, slug, name) "
            "VALUES (%s, %s, %s, %s)",
            rows,
        )


def delete_document_rows(ids: Sequence[int] = (), *, up_to: int | None = None) -> None:
    """Remove documents with their facets and full-text entries: these ids, or every id up to
    ``up_to`` (one range, however many)."""
    if up_to is not None:
        where, params = "{} <= %s", [up_to]
    elif ids:
        marks, params = _ids_param(ids)
        where = f"{{}} IN ({marks})"
    else:
        return
    with connection.cursor() as cursor:
        if is_sqlite():
            cursor.execute(f"DELETE FROM search_fts WHERE {where.format('rowid')}", params)
        cursor.execute(
            "DELETE FROM search_searchdocumenttag WHERE " + where.format("document_id"),
            params,
        )
        cursor.execute(f"DELETE FROM {TABLE} WHERE {where.format('id')}", params)


def optimize() -> None:
    """After many writes: merge SQLite's full-text segments (fewer to read for each search);
    on PostgreSQL, raise the recent index's floor if due and refresh the planner statistics."""
    if not is_sqlite():
        refresh_recent_index()
    with connection.cursor() as cursor:
        if is_sqlite():
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
        else:
            cursor.execute(f"ANALYZE {TABLE}")
            cursor.execute("ANALYZE search_searchdocumenttag")


def delete_documents(ids: Sequence[int]) -> None:
    """Remove documents from the full-text index (PostgreSQL's goes with the row)."""
    if ids and is_sqlite():
        marks, params = _ids_param(ids)
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM search_fts WHERE rowid IN ({marks})", params)


def clear() -> None:
    """Empty the full-text index."""
    if is_sqlite():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_fts")


def text_terms(terms: Sequence[str]) -> list[str]:
    """The terms, less any shaped like a facet word (stemmed as the index would stem it)."""
    return [
        term for term in terms if not (term[:1] == "f" and _FACET_SHAPED.match(term.rstrip("s")))
    ]


def fts5_query(
    terms: list[str],
    mode: Mode,
    facets: Sequence[tuple[str, str]] = (),
    kinds: Sequence[str] = (),
) -> str:
    """The FTS5 MATCH for the terms (``text_terms`` only, so the text columns), every facet
    (tag kind, slug) and any of the document kinds."""
    query = fts5_all(terms) if mode == "all" else fts5_any(terms)
    if facets or kinds:
        query = f"({query})"
    for kind, slug in facets:
        query += f' AND facets : "{facet_word(kind, slug)}"'
    if kinds:
        query += " AND (" + " OR ".join(f'facets : "{kind_word(k)}"' for k in kinds) + ")"
    return query


def facet_tsquery(matching: Matching) -> str:
    """PostgreSQL's ``to_tsquery('simple', …)`` text for the facets and kinds of a match
    ("" without either)."""
    parts = [facet_word(kind, slug) for kind, slug in matching.facets]
    if matching.kinds:
        parts.append("(" + " | ".join(kind_word(k) for k in matching.kinds) + ")")
    return " & ".join(parts)


def _match(matching: Matching, *, matched: bool = False) -> tuple[str, list[Any], str]:
    """(FROM/WHERE fragment, its parameters, score expression; higher is better). The facets
    (tag kind, slug) are part of the match: words of a fifth FTS5 column on SQLite, words of the
    vector on PostgreSQL. ``matched``: PostgreSQL reads rows already known to match (the ids of
    ``match_window``), so only the parsed query is joined, for scoring: tested again, the match
    would have PostgreSQL scan the full-text index once more."""
    terms, mode = matching.terms, matching.mode
    if is_sqlite():
        query = fts5_query(terms, mode, matching.facets, matching.kinds)
        weights = ", ".join(str(w) for w in SQLITE_WEIGHTS)
        return (
            # CROSS JOIN keeps SQLite driving the query from the MATCH, never from an index of the
            # documents table (which would run the MATCH once per document).
            f"search_fts CROSS JOIN {TABLE} ON {TABLE}.id = search_fts.rowid "
            "WHERE search_fts MATCH %s",
            [query],
            f"-bm25(search_fts, {weights})",
        )
    if mode == "all":
        tsquery = f"plainto_tsquery('{PG_CONFIG}', %s)"
        text = " ".join(terms)
    else:
        # Terms are plain words (letters and digits only), so "a or b" can only mean OR.
        tsquery = f"websearch_to_tsquery('{PG_CONFIG}', %s)"
        text = " or ".join(t for t in terms if t != "or")
    # Frequency by field weight, as SQLite's bm25(): ts_rank_cd (cover density, which rewards
    # words close together) cost twice as much over a window of long needs with their answers.
    rank = f"ts_rank('{PG_WEIGHTS}', {TABLE}.search_vector, q, 1)"
    if matched:
        return f"{TABLE}, {tsquery} q WHERE TRUE", [text], rank
    # q, the words, scores and marks up; the match also needs the facet and kind words, which
    # are in the vector too, so the GIN index intersects their lists with the words'. They
    # never score (as SQLite's facets column weighs 0): ANDed into q, they would also turn an
    # OR of words into an AND, which ts_rank scores by how close the words are.
    facets = facet_tsquery(matching)
    if not facets:
        return f"{TABLE}, {tsquery} q WHERE {TABLE}.search_vector @@ q", [text], rank
    return (
        f"{TABLE}, {tsquery} q, tsquery_and(q, to_tsquery('simple', %s)) qf "  # &&, a FROM item
        f"WHERE {TABLE}.search_vector @@ qf",
        [text, facets],
        rank,
    )


def scoring_terms(terms: list[str]) -> list[str]:
    """The terms worth scoring a match of all of them by (SQLite): those in at most
    ``COMMON_SHARE`` of the newest documents, or else the rarest one. A word in most documents
    hardly moves BM25 (its idf is near zero) but costs the most to count."""
    if len(terms) < 2:
        return terms
    shares = term_shares(terms)
    kept = [term for term in terms if shares[term] <= COMMON_SHARE]
    return kept or [min(terms, key=lambda term: (shares[term], terms.index(term)))]


def _share_key(term: str) -> str:
    # Cache keys stay short and plain whatever the word (a memcached key holds 250 bytes).
    if len(term) > 64 or not term.isascii():
        term = hashlib.sha256(term.encode()).hexdigest()
    return f"search:share:{term}"


def term_shares(terms: Sequence[str]) -> dict[str, float]:
    """Each term's share of the documents that hold it, an estimate cached ``SHARE_SECONDS``.

    SQLite counts it among the newest ``SHARE_SAMPLE`` documents (a slice of the word's list of
    documents, not the whole list). PostgreSQL reads the most common words' shares from its
    planner statistics (``pg_stats``, kept by ANALYZE); a word not among them counts as rare.
    Below ``SHARE_MIN_DOCUMENTS`` documents every share is 0: shares of a few say little.
    """
    keys = {term: _share_key(term) for term in dict.fromkeys(terms)}
    cached = cache.get_many(list(keys.values()))
    shares = {term: cached[key] for term, key in keys.items() if key in cached}
    missing = [term for term in keys if term not in shares]
    if missing:
        lowest, top = document_id_range()
        span = top - lowest + 1 if top else 0  # ids in use: the count, or more after deletions
        if span < SHARE_MIN_DOCUMENTS:  # too few documents to call any common
            fresh = dict.fromkeys(missing, 0.0)
        elif is_sqlite():
            fresh = _sqlite_shares(missing, top, span)
        else:
            fresh = _postgresql_shares(missing)
        cache.set_many({keys[term]: share for term, share in fresh.items()}, SHARE_SECONDS)
        shares.update(fresh)
    return shares


def _sqlite_shares(terms: list[str], top: int, span: int) -> dict[str, float]:
    sample = min(SHARE_SAMPLE, span) or 1
    counts = " UNION ALL ".join(
        ["SELECT %s, count(*) FROM search_fts WHERE search_fts MATCH %s AND rowid > %s"]
        * len(terms)
    )
    params = [value for term in terms for value in (term, fts5_query([term], "all"), top - sample)]
    with connection.cursor() as cursor:
        cursor.execute(counts, params)
        found = dict(cursor.fetchall())
    return {term: found.get(term, 0) / sample for term in terms}


def _postgresql_shares(terms: list[str]) -> dict[str, float]:
    common = cache.get("search:share:pg_stats")
    if common is None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
                "WHERE tablename = %s AND attname = 'search_vector'",
                [TABLE],
            )
            row = cursor.fetchone()
        words, freqs = row if row and row[0] else ([], [])
        common = dict(zip(words, freqs, strict=False))  # freqs ends with three summary values
        cache.set("search:share:pg_stats", common, SHARE_SECONDS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT t, tsvector_to_array(to_tsvector('{PG_CONFIG}', t)) FROM unnest(%s::text[]) t",
            [terms],
        )
        lexemes = dict(cursor.fetchall())
    return {
        term: max((common.get(lexeme, 0.0) for lexeme in lexemes.get(term) or ()), default=0.0)
        for term in terms
    }


def _read_recent_floor() -> tuple[int | None]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = %s AND indexname = %s",
            [TABLE, RECENT_INDEX],
        )
        row = cursor.fetchone()
    found = _RECENT_FLOOR.search(row[0]) if row else None
    return (int(found.group(1)) if found else None,)


# Asked of the catalog at most once a minute per process (in a 1-tuple: never None itself).
_recent_floor = Snapshot(_read_recent_floor, _read_recent_floor, recheck_seconds=60.0)


def recent_floor() -> int | None:
    """The id above which PostgreSQL's recent index holds every document; None on SQLite or
    without the index."""
    return None if is_sqlite() else _recent_floor.get()[0]


def recent_index_due(newest_id: int, floor: int | None = None) -> bool:
    """Whether documents up to ``newest_id`` leave the recent index (floor ``floor``, by default
    as this process last read it: a minute late does no harm) holding more than twice
    ``RECENT_DOCUMENTS`` ids."""
    floor = recent_floor() if floor is None else floor
    return floor is not None and newest_id - floor > 2 * RECENT_DOCUMENTS


def refresh_recent_index(*, force: bool = False) -> int | None:
    """Build PostgreSQL's recent index again with its floor ``RECENT_DOCUMENTS`` ids below the
    newest, when it is due (or ``force``); returns the new floor, None if nothing was done.

    The new index is built beside the old one and swapped in; outside a transaction both are
    built and dropped CONCURRENTLY, so members go on writing and searching meanwhile. One
    process at a time (an advisory lock); a SQLite database has nothing to do.
    """
    if is_sqlite():
        return None
    _lowest, top = document_id_range()
    floor = _read_recent_floor()[0]
    if not force and floor is not None and not recent_index_due(top, floor):
        return None
    new_floor = max(top - RECENT_DOCUMENTS, 0)
    concurrently = "" if connection.in_atomic_block else " CONCURRENTLY"
    building = f"{RECENT_INDEX}_new"
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [_RECENT_LOCK])
        if not cursor.fetchone()[0]:
            return None  # another process is at it
        try:
            cursor.execute(f"DROP INDEX{concurrently} IF EXISTS {building}")
            cursor.execute(
                f"CREATE INDEX{concurrently} {building} ON {TABLE} "
                f"USING gin (search_vector) WHERE id > {new_floor:d}"
            )
            cursor.execute(f"DROP INDEX{concurrently} IF EXISTS {RECENT_INDEX}")
            cursor.execute(f"ALTER INDEX {building} RENAME TO {RECENT_INDEX}")
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [_RECENT_LOCK])
    _recent_floor.clear()
    return new_floor


def document_id_range() -> tuple[int, int]:
    """The lowest and highest document ids ((0, 0) without documents), read from the ends of
    the primary key. PostgreSQL's window slices start at the highest and end at the lowest:
    ids need not start near 1 (a sequence never goes back, even after deletions)."""
    with connection.cursor() as cursor:
        # Two subqueries: SQLite reads MIN or MAX from the end of the key only when it is the
        # query's one aggregate; both in one SELECT would scan every row.
        cursor.execute(
            f"SELECT COALESCE((SELECT MIN(id) FROM {TABLE}), 0), "
            f"COALESCE((SELECT MAX(id) FROM {TABLE}), 0)"
        )
        lowest, highest = cursor.fetchone()
        return int(lowest), int(highest)


def _window(
    where: str,
    visible_sql: str,
    columns: str,
    *,
    size: int,
    window: Sequence[int] | None = None,
) -> tuple[str, Callable[[list[Any], Sequence[Any]], list[Any]]]:
    """SQL selecting ``columns`` of the newest ``size`` visible matches, and a function that
    lays out its parameters from the match's and the visibility filter's.

    Ranking, counting or faceting every match cannot stay fast once a word is in most documents
    (a common word matches hundreds of thousands): each would read every match's row. Taking
    matches newest first stops after ``size`` of them, so the cost is bounded whatever the
    query; a query with fewer matches is ranked, counted and faceted exactly.

    SQLite's full-text index yields matches in rowid order, newest first if asked, so each
    query takes its own window. On PostgreSQL the window's ids come from ``match_window``
    (``window``), found once per search, and the SQL reads those rows by id.
    """
    if is_sqlite():
        sql = (
            f"SELECT {columns} FROM {where} AND ({visible_sql}) "
            f"ORDER BY search_fts.rowid DESC LIMIT {size:d}"
        )
        return sql, lambda match_params, visible_params: [*match_params, *visible_params]
    ids = list(window or ())[:size]
    sql = f"SELECT {columns} FROM {where} AND ({visible_sql}) AND {TABLE}.id = ANY(%s)"
    return sql, lambda match_params, visible_params: [*match_params, *visible_params, ids]


def match_window(matching: Matching, *, size: int | None = None) -> list[tuple[int, str]] | None:
    """(id, kind) of the newest ``size`` (by default ``CANDIDATES`` + 1) visible matches, newest
    first, on PostgreSQL; None on SQLite, where each query finds its own window (``_window``).

    PostgreSQL's GIN index yields an unordered set, and reading every matching row to sort them
    costs as much as ranking them, so the newest ``PG_FIRST_SLICE`` ids are searched first;
    if they hold too few matches, the next slice is sized from how many they held (half as
    much again as that density needs), at most seven times what was scanned so far (so with
    no match yet). At most ``PG_SLICES`` queries, the last over the rest of the ids; each
    reads only its own slice. A slice reaching below the recent index's floor
    (``RECENT_DOCUMENTS``) stops at it, so the newest slices read only that small index.
    """
    if is_sqlite():
        return None
    size = size or CANDIDATES + 1
    where, params, _score = _match(matching)
    visible_sql, visible_params = matching.visible_sql, matching.visible_params
    bottom, top = document_id_range()
    floor = recent_floor()
    found: list[tuple[int, str]] = []
    upper: int | None = None
    lower = top - PG_FIRST_SLICE
    with connection.cursor() as cursor:
        for step in range(PG_SLICES):
            if floor is not None and lower < floor < (top if upper is None else upper):
                lower = floor  # the part above the floor is read from the recent index
            last = step == PG_SLICES - 1 or lower < bottom
            # Bounds as numbers: PostgreSQL estimates each slice from its statistics, and reads
            # a slice with few matches through the full-text index.
            bounds = "" if upper is None else f" AND {TABLE}.id <= {upper:d}"
            bounds += "" if last else f" AND {TABLE}.id > {lower:d}"
            cursor.execute(
                f"SELECT {TABLE}.id, {TABLE}.kind FROM {where} AND ({visible_sql}){bounds} "
                f"ORDER BY {TABLE}.id DESC LIMIT {size - len(found):d}",
                [*params, *visible_params],
            )
            found.extend(cursor.fetchall())
            if last or len(found) >= size:
                break
            scanned = top - lower
            # At most seven times what was scanned: a slice's matches are all read before its
            # newest are kept, and a word in a few percent of documents has thousands of them.
            span = scanned * 7
            if found:
                needed = (size - len(found)) * scanned / len(found) * 1.5
                span = min(max(scanned, int(needed)), span)
            upper, lower = lower, lower - span
    return found


def ranked(
    matching: Matching,
    *,
    limit: int,
    offset: int = 0,
    snippets: bool = True,
    candidates: int | None = None,
    window: Sequence[int] | None = None,
) -> list[dict[str, Any]]:
    """The best-ranked visible documents matching the terms, with highlighted title and snippet,
    among the newest ``candidates`` matches (see ``_window``; on PostgreSQL ``window`` gives
    their ids, else they are found here)."""
    size = candidates or CANDIDATES
    if window is None and not is_sqlite():
        window = [pk for pk, _kind in match_window(matching, size=size) or ()]
    where, params, score = _match(matching, matched=window is not None)
    visible_sql, visible_params = matching.visible_sql, matching.visible_params
    columns = ", ".join(
        f"{TABLE}.{c}" for c in ("id", "kind", "object_id", "url", "tags", "created_at", "title")
    )
    # PostgreSQL's parsed query travels with each row, for the headlines.
    kept = "rid, score" if is_sqlite() else "rid, score, q"
    selected = f"{TABLE}.id AS rid, {score} AS score" + ("" if is_sqlite() else ", q")
    window_sql, window_params = _window(where, visible_sql, selected, size=size, window=window)
    top = f"SELECT {kept} FROM ({window_sql}) w ORDER BY score DESC, rid LIMIT %s OFFSET %s"
    top_params = [*window_params(params, visible_params), limit, offset]
    ctes = ""
    terms = matching.terms
    scoring = scoring_terms(terms) if is_sqlite() and matching.mode == "all" else terms
    if len(scoring) < len(terms):
        # bm25() counts the documents of every word it scores by reading the word's whole list
        # of documents (milliseconds for a word in most of them). The window is chosen with
        # every word, then scored with the words that tell documents apart (scoring_terms): a
        # second pass over the full-text index from the window's lowest rowid.
        ids, ids_params = _window(where, visible_sql, f"{TABLE}.id AS rid", size=size)
        ctes = f"win AS MATERIALIZED ({ids}), "
        top = (
            f"SELECT search_fts.rowid AS rid, {score} AS score "
            "FROM search_fts CROSS JOIN win ON win.rid = +search_fts.rowid "
            "WHERE search_fts MATCH %s AND search_fts.rowid >= (SELECT MIN(rid) FROM win) "
            "ORDER BY score DESC, rid LIMIT %s OFFSET %s"
        )
        top_params = [
            *ids_params(params, visible_params),
            fts5_query(scoring, "all"),
            limit,
            offset,
        ]
    if not snippets and is_sqlite():
        sql = (
            f"WITH {ctes}top AS ({top}) SELECT {columns}, top.score FROM top "
            f"JOIN {TABLE} ON {TABLE}.id = top.rid ORDER BY top.score DESC, top.rid"
        )
        all_params = top_params
    elif not snippets:
        sql = (
            f"SELECT {columns}, top.score FROM ({top}) top "
            f"JOIN {TABLE} ON {TABLE}.id = top.rid ORDER BY top.score DESC, top.rid"
        )
        all_params = top_params
    elif is_sqlite():
        # Rank first, then mark up only the rows of this page (SQLite would otherwise compute a
        # snippet for every match before sorting), in one pass over the matches from the
        # page's lowest rowid on (within the window, however common the words): the full-text
        # table stays the outer loop (CROSS JOIN), never probed once per row, which would read
        # the words' whole doclists again for each.
        sql = (
            f"WITH {ctes}top AS ({top}) "
            f"SELECT {columns}, "
            f"highlight(search_fts, 0, '{MARK_START}', '{MARK_END}'), "
            f"snippet(search_fts, 1, '{MARK_START}', '{MARK_END}', ' … ', {SNIPPET_WORDS}), "
            "top.score FROM search_fts CROSS JOIN top ON top.rid = +search_fts.rowid "
            f"CROSS JOIN {TABLE} ON {TABLE}.id = top.rid "
            "WHERE search_fts MATCH %s AND search_fts.rowid >= (SELECT MIN(rid) FROM top) "
            f"ORDER BY top.score DESC, {TABLE}.id"
        )
        all_params = [*top_params, *params]
    else:
        # Headlines are costly: compute them only for the rows of this page.
        sql = (
            f"SELECT {columns}, "
            f"ts_headline('{PG_CONFIG}', {TABLE}.title, top.q, %s), "
            f"ts_headline('{PG_CONFIG}', left({TABLE}.body, 20000), top.q, %s), top.score "
            f"FROM ({top}) top JOIN {TABLE} ON {TABLE}.id = top.rid "
            "ORDER BY top.score DESC, top.rid"
        )
        all_params = [PG_TITLE_HEADLINE, PG_HEADLINE, *top_params]
    with connection.cursor() as cursor:
        cursor.execute(sql, all_params)
        rows = cursor.fetchall()
    results = []
    for row in rows:
        item = {
            "id": row[0],
            "kind": row[1],
            "object_id": row[2],
            "url": row[3],
            "tags": row[4],
            "created_at": row[5],
            "title": row[6],
            "score": float(row[-1]),
            "title_marked": row[7] if snippets else row[6],
            "snippet_marked": row[8] if snippets else "",
        }
        results.append(item)
    return results


def kind_counts(
    matching: Matching,
    *,
    candidates: int | None = None,
    window: Sequence[tuple[int, str]] | None = None,
) -> dict[str, int]:
    """How many visible documents of each kind match, among the newest ``candidates`` + 1
    matches: counts adding up to more than ``candidates`` mean "more than that". On
    PostgreSQL they are counted from ``match_window``'s (id, kind) pairs (``window``)."""
    size = (candidates or CANDIDATES) + 1
    if not is_sqlite():
        if window is None:
            window = match_window(matching, size=size)
        return dict(Counter(kind for _pk, kind in (window or ())[:size]))
    where, params, _score = _match(matching)
    window_sql, window_params = _window(
        where, matching.visible_sql, f"{TABLE}.kind AS kind", size=size
    )
    sql = f"SELECT kind, COUNT(*) FROM ({window_sql}) w GROUP BY kind"
    with connection.cursor() as cursor:
        cursor.execute(sql, window_params(params, matching.visible_params))
        return dict(cursor.fetchall())


def tag_counts(
    matching: Matching,
    *,
    candidates: int | None = None,
    window: Sequence[int] | None = None,
) -> list[tuple[str, str, str, int]]:
    """(kind, slug, name, count) of the tags on matching visible documents, among the newest
    ``candidates`` matches (on PostgreSQL, the documents of ``window``'s ids)."""
    size = candidates or CANDIDATES
    group = (
        "AND {kind} IN ('subject', 'grade', 'habit', 'free') "
        "GROUP BY t.kind, t.slug ORDER BY COUNT(*) DESC, t.slug"
    )
    select = "SELECT t.kind, t.slug, MIN(t.name), COUNT(*) FROM search_searchdocumenttag t "
    if is_sqlite():
        where, params, _score = _match(matching)
        window_sql, window_params = _window(where, matching.visible_sql, f"{TABLE}.id", size=size)
        # The window's ids lead: SQLite would rather walk the (kind, slug) index, which gives
        # the grouping's order, through every tag of those kinds; "+" stops it using that index.
        sql = select + f"WHERE t.document_id IN ({window_sql}) " + group.format(kind="+t.kind")
        all_params = window_params(params, matching.visible_params)
    else:
        if window is None:
            window = [pk for pk, _kind in match_window(matching, size=size) or ()]
        sql = select + "WHERE t.document_id = ANY(%s) " + group.format(kind="t.kind")
        all_params = [list(window)[:size]]
    with connection.cursor() as cursor:
        cursor.execute(sql, all_params)
        return [(k, s, n, c) for k, s, n, c in cursor.fetchall()]


def term_has_documents(term: str) -> bool:
    """Whether any document at all holds the word (visibility aside)."""
    with connection.cursor() as cursor:
        if is_sqlite():
            cursor.execute(
                "SELECT 1 FROM search_fts WHERE search_fts MATCH %s LIMIT 1",
                [fts5_query([term], "all")],
            )
        else:
            # Planned apart from the LIMIT (a materialized CTE), PostgreSQL reads the full-text
            # index; with it, it would expect to stop early in a scan of every row, and for a
            # word nothing holds (the reason to ask) read all of them.
            cursor.execute(
                f"WITH m AS MATERIALIZED (SELECT 1 FROM {TABLE} WHERE search_vector @@ "
                f"plainto_tsquery('{PG_CONFIG}', %s)) SELECT 1 FROM m LIMIT 1",
                [term],
            )
        return cursor.fetchone() is not None


def vocabulary_near(term: str, *, limit: int = 5000) -> list[str]:
    """Indexed words starting with the same letter and of about the same length, most common
    first (for "did you mean").

    Cached for an hour per letter and length band: listing them reads much of the index (on
    PostgreSQL, the words of the newest ``VOCABULARY_DOCUMENTS`` documents: ``ts_stat`` over
    every document would take seconds on a large community).
    """
    first = term[:1]
    low, high = max(2, len(term) - 3), len(term) + 3
    key = f"search:vocabulary:{connection.vendor}:{ord(first) if first else 0}:{low}:{high}:{limit}"
    words: list[str] | None = cache.get(key)
    if words is not None:
        return words
    with connection.cursor() as cursor:
        if is_sqlite():
            cursor.execute(
                "SELECT term FROM search_fts_vocab WHERE term >= %s AND term < %s "
                "AND length(term) BETWEEN %s AND %s AND NOT term GLOB 'f[sghfk]*0' "
                "ORDER BY doc DESC LIMIT %s",
                [first, first + "\U0010ffff", low, high, limit],
            )
        else:
            newest = (
                f"SELECT search_vector FROM {TABLE} WHERE id > "
                f"(SELECT MAX(id) FROM {TABLE}) - {VOCABULARY_DOCUMENTS:d}"
            )
            cursor.execute(
                "SELECT word FROM ts_stat(%s) "
                "WHERE left(word, 1) = %s AND length(word) BETWEEN %s AND %s "
                "AND word !~ %s ORDER BY ndoc DESC LIMIT %s",
                [newest, first, low, high, f"^{_FACET_SHAPED.pattern}$", limit],
            )
        words = [row[0] for row in cursor.fetchall()]
    cache.set(key, words, VOCABULARY_SECONDS)
    return words
