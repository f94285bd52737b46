# ruff: noqa: S608 - constant SQL, no values.
"""PostgreSQL: each document's facet words (see ``kindling.search.fulltext.PG_FACET_WORDS``)
added to its vector, so a facet filter is part of the full-text match, as on SQLite.

Only documents with tags are rewritten (a few minutes for 300,000 of them). Nothing changes on
SQLite, whose fifth FTS5 column holds the same words (migration 0004).
"""

from django.db import migrations

from kindling.search.migrations._vendor import run_sql

WORDS = (
    "SELECT t.document_id, string_agg('f' || substr(t.kind, 1, 1) || "
    "encode(convert_to(t.slug, 'UTF8'), 'hex') || '0', ' ') AS words "
    "FROM search_searchdocumenttag t GROUP BY t.document_id"
)
FORWARD = (
    "UPDATE search_searchdocument d SET search_vector = "
    "COALESCE(d.search_vector, ''::tsvector) || to_tsvector('simple', f.words) "
    f"FROM ({WORDS}) f WHERE f.document_id = d.id"
)
BACKWARD = (
    "UPDATE search_searchdocument d SET search_vector = "
    "ts_delete(d.search_vector, string_to_array(f.words, ' ')) "
    f"FROM ({WORDS}) f WHERE f.document_id = d.id"
)


class Migration(migrations.Migration):
    dependencies = [("search", "0005_recent_index")]

    operations = [
        migrations.RunPython(
            run_sql({"postgresql": [FORWARD]}), run_sql({"postgresql": [BACKWARD]})
        )
    ]
