"""Migrations that rewrite the full-text index keep documents already indexed findable."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from kindling.accounts.tests.factories import UserFactory
from kindling.commons.tests.factories import NeedFactory, ResourceFactory
from kindling.search import fulltext
from kindling.search.queries import search

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _empty_index():  # type: ignore[no-untyped-def]
    # Django's flush between transactional tests leaves SQLite's FTS5 table alone.
    fulltext.clear()
    yield
    fulltext.clear()


def _migrate(target: str) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([("search", target)])


def test_kind_words_are_added_to_documents_indexed_before_them() -> None:
    viewer = UserFactory()
    resource = ResourceFactory(title="Kite diagrams")
    need = NeedFactory(title="Kite diagrams for grade 4")
    try:
        _migrate("0006_pg_facet_words")
        # Without its kind's word, a document is not found by a type filter...
        assert search(viewer, "kite", kinds=["resource"]).hits == []
        assert {h.object_id for h in search(viewer, "kite").hits} == {resource.pk, need.pk}
    finally:
        _migrate("0007_kind_words")
    # ...and the migration gives every document already indexed its word.
    assert [(h.kind, h.object_id) for h in search(viewer, "kite", kinds=["resource"]).hits] == [
        ("resource", resource.pk)
    ]
    assert [(h.kind, h.object_id) for h in search(viewer, "kite", kinds=["need"]).hits] == [
        ("need", need.pk)
    ]
