"""PostgreSQL's second, partial full-text index of the newest documents (``fulltext.
RECENT_DOCUMENTS``): searches read across its floor, and writing past it raises the floor."""

from __future__ import annotations

import pytest
from django.db import connection

from kindling.commons.tests.factories import ResourceFactory
from kindling.search import fulltext
from kindling.search.queries import search

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's partial GIN index"
)


def test_sqlite_has_no_recent_index_to_keep(alice):  # type: ignore[no-untyped-def]
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    ResourceFactory(title="Kite science")
    assert fulltext.recent_floor() is None
    assert fulltext.recent_index_due(10**9) is False
    assert fulltext.refresh_recent_index(force=True) is None


@postgresql_only
def test_the_migration_made_the_recent_index(alice):  # type: ignore[no-untyped-def]
    assert fulltext.recent_floor() is not None


@postgresql_only
def test_searches_find_documents_on_both_sides_of_the_floor(alice, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(fulltext, "RECENT_DOCUMENTS", 4)
    kites = [ResourceFactory(title=f"Kite plan {n}") for n in range(10)]
    floor = fulltext.refresh_recent_index()
    _lowest, top = fulltext.document_id_range()
    assert floor == top - 4
    assert fulltext.recent_floor() == floor
    results = search(alice, "kite")
    assert {hit.object_id for hit in results.hits} == {k.pk for k in kites}
    assert results.total == 10
    # The newest first, across the floor: the slice above it, then the one below.
    monkeypatch.setattr(fulltext, "CANDIDATES", 6)
    window = search(alice, "kite")
    assert window.capped
    assert {hit.object_id for hit in window.hits} == {k.pk for k in kites[-6:]}


@postgresql_only
def test_the_floor_moves_only_when_due(alice, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(fulltext, "RECENT_DOCUMENTS", 4)
    for n in range(10):
        ResourceFactory(title=f"Kite plan {n}")
    floor = fulltext.refresh_recent_index()
    assert floor is not None
    assert fulltext.refresh_recent_index() is None  # it holds 4 ids: not due
    assert fulltext.recent_index_due(floor + 8) is False
    assert fulltext.recent_index_due(floor + 9) is True
    assert fulltext.refresh_recent_index(force=True) == floor


@postgresql_only
def test_writing_past_due_raises_the_floor_after_commit(  # type: ignore[no-untyped-def]
    alice, monkeypatch, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    monkeypatch.setattr(fulltext, "RECENT_DOCUMENTS", 2)
    before = fulltext.recent_floor()
    assert before is not None
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(8):
            ResourceFactory(title=f"Kite plan {n}")
    _lowest, top = fulltext.document_id_range()
    assert fulltext.recent_floor() == top - 2 > before
    assert {hit.object_id for hit in search(alice, "kite").hits} != set()
