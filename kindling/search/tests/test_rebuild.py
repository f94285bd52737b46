"""Rebuilding the index: every object once, the same text as incremental indexing, fast paths
kept honest (Markdown as words, URLs without resolving), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command

from kindling.accounts.tests.factories import UserFactory
from kindling.commons.tests.factories import (
    CircleFactory,
    FreeTagFactory,
    NeedFactory,
    ResourceFactory,
    ResponseFactory,
)
from kindling.search import fulltext
from kindling.search.actions import rebuild_index
from kindling.search.models import SearchDocument, SearchDocumentTag
from kindling.search.queries import search
from kindling.search.text import markdown_text

pytestmark = pytest.mark.django_db

DOCUMENT_COLUMNS = ("kind", "object_id", "title", "body", "tags", "answers", "url", "circle_id")


def documents() -> dict[tuple[str, int], tuple[object, ...]]:
    return {
        (row[0], row[1]): row
        for row in SearchDocument.objects.values_list(*DOCUMENT_COLUMNS, "is_hidden")
    }


def found(viewer, query):  # type: ignore[no-untyped-def]
    return {(hit.kind, hit.object_id) for hit in search(viewer, query).hits}


@pytest.fixture
def community(alice):  # type: ignore[no-untyped-def]
    resource = ResourceFactory(title="Kite science", body="## Wind\n\n**Lift** and [drag](/x).")
    resource.tags.add(FreeTagFactory(slug="flight", name="flight"))
    need = NeedFactory(title="Rubric for debates", details="- rebuttals\n- *evidence*")
    ResponseFactory(need=need, body="Score the `rebuttal` separately.")
    ResponseFactory(need=need, body="Use a > quote\n\n> from the judges", is_hidden=True)
    CircleFactory(name="Physics teachers")
    return resource, need


def test_a_rebuild_writes_what_indexing_each_change_wrote(community):  # type: ignore[no-untyped-def]
    before = documents()
    facets = sorted(SearchDocumentTag.objects.values_list("document__object_id", "slug"))
    rebuild_index(batch_size=2)
    assert documents() == before
    assert sorted(SearchDocumentTag.objects.values_list("document__object_id", "slug")) == facets


def test_a_rebuild_keeps_one_document_per_object_and_drops_the_orphans(alice, community):  # type: ignore[no-untyped-def]
    resource, _need = community
    # A document whose object is gone (deleted while signals were off, say).
    orphan = SearchDocument.objects.create(kind="resource", object_id=999_999, title="Orphan kite")
    fulltext.write_documents([orphan.pk])
    count = SearchDocument.objects.count()
    rebuild_index(batch_size=2)
    rebuild_index(batch_size=1000)
    assert SearchDocument.objects.count() == count - 1
    assert found(alice, "kite") == {("resource", resource.pk)}
    assert found(alice, "orphan") == set()


def test_the_index_finds_words_once_more_after_a_rebuild(alice, community):  # type: ignore[no-untyped-def]
    resource, need = community
    rebuild_index()
    assert found(alice, "lift drag") == {("resource", resource.pk)}
    assert ("need", need.pk) in found(alice, "rebuttal")
    assert found(alice, "judges") == set()  # only in a hidden response, and not in its need
    assert found(alice, "flight") == {("resource", resource.pk)}


def test_documents_written_during_a_rebuild_are_kept(alice, community):  # type: ignore[no-untyped-def]
    # What a member writes while the rebuild runs is indexed by the signals, and the rebuild's
    # batch for that object replaces its document rather than failing on the duplicate.
    calls = []

    def log(message: str) -> None:
        calls.append(message)
        if len(calls) == 1:
            ResourceFactory(title="Glider plans written meanwhile")

    rebuild_index(batch_size=1, log=log)
    assert found(alice, "glider") != set()
    assert len(found(alice, "glider")) == 1


def test_document_urls_are_the_objects_pages(community):  # type: ignore[no-untyped-def]
    resource, need = community
    member = UserFactory()
    rebuild_index()
    rows = SearchDocument.objects.values_list("kind", "object_id", "url")
    urls = {(kind, object_id): url for kind, object_id, url in rows}
    assert urls[("resource", resource.pk)] == resource.get_absolute_url()
    assert urls[("need", need.pk)] == need.get_absolute_url()
    for response in need.responses.all():
        assert urls[("response", response.pk)] == response.get_absolute_url()
    assert urls[("person", member.profile.pk)] == member.profile.get_absolute_url()


def test_the_command_reports_what_it_indexed(community):  # type: ignore[no-untyped-def]
    from io import StringIO

    out = StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert "resource: 1" in out.getvalue()
    assert "response: 2" in out.getvalue()
    assert "11 documents written in" in out.getvalue()


def test_a_rebuild_numbers_documents_in_the_order_things_were_written(community):  # type: ignore[no-untyped-def]
    # Search takes its candidates newest id first, so ids must follow time across kinds.
    resource, need = community
    Resource = type(resource)
    Resource.objects.filter(pk=resource.pk).update(created_at=need.created_at + timedelta(days=1))
    rebuild_index(batch_size=2)
    ids = dict(
        SearchDocument.objects.filter(kind__in=["resource", "need"]).values_list("kind", "pk")
    )
    assert ids["need"] < ids["resource"]
    response_ids = SearchDocument.objects.filter(kind="response").values_list("pk", flat=True)
    assert all(ids["need"] < pk < ids["resource"] for pk in response_ids)


@pytest.mark.parametrize(
    ("markdown", "text"),
    [
        ("## Heading\n\nA **bold** and *soft* word.", "Heading A bold and soft word."),
        ("- one\n- two\n1. three\n2) four", "one two three four"),
        ("> quoted\n> > twice", "quoted twice"),
        (
            "See [the guide](https://example.org/a_(b)) and ![a chart](/c.png).",
            "See the guide and a chart.",
        ),
        ("An autolink <https://example.org/x>.", "An autolink https://example.org/x."),
        ("```python\nprint('hi')\n```", "print('hi')"),
        ("Use `snake_case` and 2*3 or a~b.", "Use snake_case and 2 3 or a b."),
        ("| a | b |\n|---|:-:|\n| 1 | 2 |", "a b 1 2"),
        ("Escaped \\*stars\\* and \\_under\\_.", "Escaped *stars* and _under_."),
        ("Fish &amp; chips &lt;b&gt;", "Fish & chips <b>"),
        ("Title\n=====\n\n***\n\nText", "Title Text"),
        ("[ref]: https://example.org\nA [link][ref].", "A link."),
        ("", ""),
    ],
)
def test_markdown_becomes_the_words_a_page_shows(markdown, text):  # type: ignore[no-untyped-def]
    assert markdown_text(markdown) == text
