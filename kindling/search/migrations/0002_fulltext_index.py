"""The full-text index itself: an FTS5 table on SQLite, a GIN index on PostgreSQL."""

from django.db import migrations

from kindling.search.migrations._vendor import run_sql

SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "title, body, tags, answers, tokenize = 'porter unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE search_fts_vocab USING fts5vocab(search_fts, 'row')",
]
SQLITE_DROP = ["DROP TABLE IF EXISTS search_fts_vocab", "DROP TABLE IF EXISTS search_fts"]
POSTGRES_CREATE = [
    "CREATE INDEX search_document_vector_idx ON search_searchdocument USING gin (search_vector)"
]
POSTGRES_DROP = ["DROP INDEX IF EXISTS search_document_vector_idx"]


class Migration(migrations.Migration):
    dependencies = [("search", "0001_search_documents")]

    operations = [
        migrations.RunPython(
            run_sql({"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}),
            run_sql({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        )
    ]
