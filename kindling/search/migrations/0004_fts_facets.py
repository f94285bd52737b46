# ruff: noqa: S608 - constant SQL, no values.
"""SQLite: a fifth FTS5 column holding each document's facets as words (see
``kindling.search.fulltext.FACET_WORD_SQL``), filled from the documents already indexed.

A facet filter then becomes part of the full-text match instead of a test of every match. The
copy reads every document once: on a large index (400,000 documents) it takes a few minutes.
Nothing changes on PostgreSQL.
"""

from django.db import migrations

from kindling.search.migrations._vendor import run_sql

FACET_WORD = "'f' || substr(t.kind, 1, 1) || lower(hex(t.slug)) || '0'"
TOKENIZE = "tokenize = 'porter unicode61 remove_diacritics 2'"
DROP = ["DROP TABLE IF EXISTS search_fts_vocab", "DROP TABLE IF EXISTS search_fts"]
VOCABULARY = "CREATE VIRTUAL TABLE search_fts_vocab USING fts5vocab(search_fts, 'row')"
FORWARD = [
    *DROP,
    f"CREATE VIRTUAL TABLE search_fts USING fts5(title, body, tags, answers, facets, {TOKENIZE})",
    VOCABULARY,
    "INSERT INTO search_fts(rowid, title, body, tags, answers, facets) "
    "SELECT d.id, d.title, d.body, d.tags, d.answers, "
    f"(SELECT group_concat({FACET_WORD}, ' ') FROM search_searchdocumenttag t "
    "WHERE t.document_id = d.id) FROM search_searchdocument d",
    "INSERT INTO search_fts(search_fts) VALUES ('optimize')",
]
BACKWARD = [
    *DROP,
    f"CREATE VIRTUAL TABLE search_fts USING fts5(title, body, tags, answers, {TOKENIZE})",
    VOCABULARY,
    "INSERT INTO search_fts(rowid, title, body, tags, answers) "
    "SELECT id, title, body, tags, answers FROM search_searchdocument",
]


class Migration(migrations.Migration):
    dependencies = [("search", "0003_semantic_vectors")]

    operations = [migrations.RunPython(run_sql({"sqlite": FORWARD}), run_sql({"sqlite": BACKWARD}))]
