# ruff: noqa: S608 - constant SQL, no values.
"""PostgreSQL: a partial GIN index of the newest documents (see
``kindling.search.fulltext.RECENT_DOCUMENTS``), beside the index of every document.

Its floor is set here from the documents already indexed, and raised later by
``fulltext.refresh_recent_index``. Nothing changes on SQLite.
"""

from typing import Any

from django.db import migrations

# As in kindling.search.fulltext when this migration was written.
RECENT_DOCUMENTS = 65_536
INDEX = "search_document_recent_idx"


def create(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM search_searchdocument")
        floor = max(cursor.fetchone()[0] - RECENT_DOCUMENTS, 0)
    schema_editor.execute(
        f"CREATE INDEX {INDEX} ON search_searchdocument USING gin (search_vector) "
        f"WHERE id > {int(floor)}"
    )


def drop(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("search", "0004_fts_facets")]

    operations = [migrations.RunPython(create, drop)]
