# ruff: noqa: S608 - constant SQL, no values.
"""PostgreSQL: each document's facet words (see ``kindling.search.fulltext.PG_FACET_WORDS``)
added to its vector, so a facet filter is part of the full-text match, as on SQLite.

Only documents with tags are rewritten (a few minutes for 300,000 of them). Nothing changes on
SQLite, whose fifth FTS5 column holds the same words (migration 0004).
"""

from typing import Any

from django.db import migrations

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


def _run(sql: str) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0005_recent_index")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
