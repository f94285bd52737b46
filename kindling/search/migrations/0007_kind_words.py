# ruff: noqa: S608 - constant SQL, no values.
"""Each document's kind as a word of the full-text index, beside its facet words (see
``kindling.search.fulltext.KIND_WORD_SQL`` and ``PG_FACET_WORDS``), so a type filter is part
of the full-text match instead of a test of every match.

SQLite copies every document into the FTS5 table again (a few minutes for 400,000 documents);
PostgreSQL adds the word to every vector (about as long).
"""

from django.db import migrations

from kindling.search.migrations._vendor import run_sql

TAG_WORD = "'f' || substr(t.kind, 1, 1) || lower(hex(t.slug)) || '0'"
SQLITE_KIND_WORD = "'fk' || lower(hex(d.kind)) || '0'"


def _sqlite_copy(kind_word: str) -> list[str]:
    tag_words = (
        f"(SELECT group_concat({TAG_WORD}, ' ') FROM search_searchdocumenttag t "
        "WHERE t.document_id = d.id)"
    )
    facets = f"{kind_word} || COALESCE(' ' || {tag_words}, '')" if kind_word else tag_words
    return [
        "DELETE FROM search_fts",
        "INSERT INTO search_fts(rowid, title, body, tags, answers, facets) "
        f"SELECT d.id, d.title, d.body, d.tags, d.answers, {facets} "
        "FROM search_searchdocument d",
        "INSERT INTO search_fts(search_fts) VALUES ('optimize')",
    ]


PG_KIND_WORD = "'fk' || encode(convert_to(kind, 'UTF8'), 'hex') || '0'"
PG_FORWARD = [
    "UPDATE search_searchdocument SET search_vector = "
    f"COALESCE(search_vector, ''::tsvector) || to_tsvector('simple', {PG_KIND_WORD})",
    "ANALYZE search_searchdocument",
]
PG_BACKWARD = [
    f"UPDATE search_searchdocument SET search_vector = ts_delete(search_vector, {PG_KIND_WORD})",
]


class Migration(migrations.Migration):
    dependencies = [("search", "0006_pg_facet_words")]

    operations = [
        migrations.RunPython(
            run_sql({"sqlite": _sqlite_copy(SQLITE_KIND_WORD), "postgresql": PG_FORWARD}),
            run_sql({"sqlite": _sqlite_copy(""), "postgresql": PG_BACKWARD}),
        )
    ]
