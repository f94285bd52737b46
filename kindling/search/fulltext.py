# ruff: noqa: S608 - SQL is assembled from constants and Django-compiled subqueries; every
# value, including the already tokenized search terms, goes in as a query parameter.
"""The two full-text backends behind one interface: SQLite FTS5 and PostgreSQL text search.

Every function takes a list of already-tokenized terms (see ``kindling.search.text``) and the
SQL of a subquery of visible document ids; nothing typed by a member is interpolated into SQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from django.db import connection

from kindling.search.text import MARK_END, MARK_START, fts5_all, fts5_any

Mode = Literal["all", "any"]
PG_CONFIG = "english"
SNIPPET_WORDS = 28
# Column weights: title, body, tags, answers (SQLite bm25; PostgreSQL weights A, C, B, D).
# Chosen with evaluate_related on the Cardano dump (64 queries; see the commit message): a need's
# answers say as much about it as its own text, and the title most.
SQLITE_WEIGHTS = (3.0, 1.0, 1.0, 1.5)
PG_WEIGHTS = "{0.5, 0.33, 0.33, 1.0}"  # D (answers), C (body), B (tags), A (title)
PG_HEADLINE = (
    f'StartSel="{MARK_START}", StopSel="{MARK_END}", MaxWords={SNIPPET_WORDS}, MinWords=12, '
    'MaxFragments=2, FragmentDelimiter=" … "'
)
PG_TITLE_HEADLINE = f'StartSel="{MARK_START}", StopSel="{MARK_END}", HighlightAll=true'
TABLE = "search_searchdocument"


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
# The weighted vector of a document, from its four texts (columns or parameters).
PG_VECTOR = (
    "setweight(to_tsvector('{config}', {title}), 'A') || "
    "setweight(to_tsvector('{config}', {tags}), 'B') || "
    "setweight(to_tsvector('{config}', left({body}, 200000)), 'C') || "
    "setweight(to_tsvector('{config}', left({answers}, 200000)), 'D')"
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
                config=PG_CONFIG, title="title", tags="tags", body="body", answers="answers"
            )
            cursor.execute(
                f"UPDATE {TABLE} SET search_vector = {vector} WHERE id IN ({marks})", params
            )


def _copy_to_fts(cursor: Any, marks: str, params: list[Any]) -> None:
    cursor.execute(
        "INSERT INTO search_fts(rowid, title, body, tags, answers) "
        f"SELECT id, title, body, tags, answers FROM {TABLE} WHERE id IN ({marks})",
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


def insert_documents(rows: Sequence[Sequence[Any]]) -> None:
    """Insert new documents, rows of (id, kind, object_id, *DOCUMENT_FIELDS), into the table and
    the full-text index, with one prepared statement per table run for every row.

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
            ids, id_params = _ids_param([row[0] for row in rows])
            _copy_to_fts(cursor, ids, id_params)
            return
        vector = PG_VECTOR.format(config=PG_CONFIG, title="%s", tags="%s", body="%s", answers="%s")
        texts = [DOCUMENT_FIELDS.index(name) + 3 for name in ("title", "tags", "body", "answers")]
        cursor.executemany(
            f"INSERT INTO {TABLE} ({columns}, search_vector) VALUES ({marks}, {vector})",
            [[*value, *(value[i] for i in texts)] for value in values],
        )


def insert_document_tags(rows: Sequence[tuple[int, str, str, str]]) -> None:
    """Insert facet rows (document id, kind, slug, name) in one prepared statement."""
    if rows:
        with connection.cursor() as cursor:
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
    """After many writes: merge SQLite's full-text segments (fewer to read for each search), and
    refresh PostgreSQL's planner statistics for the documents."""
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


def _match(terms: list[str], mode: Mode) -> tuple[str, list[Any], str]:
    """(FROM/WHERE fragment, its parameters, score expression; higher is better)."""
    if is_sqlite():
        query = fts5_all(terms) if mode == "all" else fts5_any(terms)
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
        rank = f"ts_rank_cd('{PG_WEIGHTS}', {TABLE}.search_vector, q, 1)"
    else:
        # Terms are plain words (letters and digits only), so "a or b" can only mean OR.
        tsquery = f"websearch_to_tsquery('{PG_CONFIG}', %s)"
        text = " or ".join(t for t in terms if t != "or")
        rank = f"ts_rank('{PG_WEIGHTS}', {TABLE}.search_vector, q, 1)"
    return f"{TABLE}, {tsquery} q WHERE {TABLE}.search_vector @@ q", [text], rank


def ranked(
    terms: list[str],
    mode: Mode,
    visible_sql: str,
    visible_params: Sequence[Any],
    *,
    limit: int,
    offset: int = 0,
    snippets: bool = True,
) -> list[dict[str, Any]]:
    """The best-ranked visible documents matching the terms, with highlighted title and snippet."""
    where, params, score = _match(terms, mode)
    columns = ", ".join(
        f"{TABLE}.{c}" for c in ("id", "kind", "object_id", "url", "tags", "created_at", "title")
    )
    order = f"ORDER BY score DESC, {TABLE}.id LIMIT %s OFFSET %s"
    if not snippets:
        sql = f"SELECT {columns}, {score} AS score FROM {where} AND ({visible_sql}) {order}"
        all_params = [*params, *visible_params, limit, offset]
    elif is_sqlite():
        # Rank first, then mark up only the rows of this page (SQLite would otherwise compute a
        # snippet for every match before sorting), in one pass over the matches: the full-text
        # table stays the outer loop (CROSS JOIN), never probed once per row.
        sql = (
            f"WITH top AS (SELECT {TABLE}.id AS rid, {score} AS score FROM {where} "
            f"AND ({visible_sql}) {order}) "
            f"SELECT {columns}, "
            f"highlight(search_fts, 0, '{MARK_START}', '{MARK_END}'), "
            f"snippet(search_fts, 1, '{MARK_START}', '{MARK_END}', ' … ', {SNIPPET_WORDS}), "
            "top.score FROM search_fts CROSS JOIN top ON top.rid = +search_fts.rowid "
            f"CROSS JOIN {TABLE} ON {TABLE}.id = top.rid "
            f"WHERE search_fts MATCH %s ORDER BY top.score DESC, {TABLE}.id"
        )
        all_params = [*params, *visible_params, limit, offset, *params]
    else:
        # Headlines are costly: compute them only for the rows of this page.
        sql = (
            "SELECT top.id, top.kind, top.object_id, top.url, top.tags, top.created_at, top.title, "
            f"ts_headline('{PG_CONFIG}', top.title, top.q, %s), "
            f"ts_headline('{PG_CONFIG}', left(doc.body, 20000), top.q, %s), top.score "
            f"FROM (SELECT {columns}, q, {score} AS score FROM {where} "
            f"AND ({visible_sql}) {order}) top "
            f"JOIN {TABLE} doc ON doc.id = top.id ORDER BY top.score DESC, top.id"
        )
        all_params = [PG_TITLE_HEADLINE, PG_HEADLINE, *params, *visible_params, limit, offset]
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
    terms: list[str], mode: Mode, visible_sql: str, visible_params: Sequence[Any]
) -> dict[str, int]:
    """How many visible documents of each kind match."""
    where, params, _score = _match(terms, mode)
    sql = f"SELECT {TABLE}.kind, COUNT(*) FROM {where} AND ({visible_sql}) GROUP BY {TABLE}.kind"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *visible_params])
        return dict(cursor.fetchall())


def tag_counts(
    terms: list[str], mode: Mode, visible_sql: str, visible_params: Sequence[Any]
) -> list[tuple[str, str, str, int]]:
    """(kind, slug, name, count) of the tags on matching visible documents."""
    where, params, _score = _match(terms, mode)
    sql = (
        "SELECT t.kind, t.slug, MIN(t.name), COUNT(*) FROM search_searchdocumenttag t "
        f"WHERE t.document_id IN (SELECT {TABLE}.id FROM {where} AND ({visible_sql})) "
        "AND t.kind IN ('subject', 'grade', 'habit', 'free') "
        "GROUP BY t.kind, t.slug ORDER BY COUNT(*) DESC, t.slug"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *visible_params])
        return [(k, s, n, c) for k, s, n, c in cursor.fetchall()]


def term_has_documents(term: str) -> bool:
    """Whether any document at all holds the word (visibility aside)."""
    with connection.cursor() as cursor:
        if is_sqlite():
            cursor.execute(
                "SELECT 1 FROM search_fts WHERE search_fts MATCH %s LIMIT 1", [fts5_all([term])]
            )
        else:
            cursor.execute(
                f"SELECT 1 FROM {TABLE} WHERE search_vector @@ plainto_tsquery('{PG_CONFIG}', %s) "
                "LIMIT 1",
                [term],
            )
        return cursor.fetchone() is not None


def vocabulary_near(term: str, *, limit: int = 5000) -> list[str]:
    """Indexed words starting with the same letter and of about the same length."""
    first = term[:1]
    low, high = max(2, len(term) - 3), len(term) + 3
    with connection.cursor() as cursor:
        if is_sqlite():
            cursor.execute(
                "SELECT term FROM search_fts_vocab WHERE term >= %s AND term < %s "
                "AND length(term) BETWEEN %s AND %s ORDER BY doc DESC LIMIT %s",
                [first, first + "\U0010ffff", low, high, limit],
            )
        else:
            cursor.execute(
                f"SELECT word FROM ts_stat('SELECT search_vector FROM {TABLE}') "
                "WHERE left(word, 1) = %s AND length(word) BETWEEN %s AND %s "
                "ORDER BY ndoc DESC LIMIT %s",
                [first, low, high, limit],
            )
        return [row[0] for row in cursor.fetchall()]
