"""Whatever a member types, search answers sensibly and never errs, on both databases."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kindling.commons.tests.factories import NeedFactory, ResourceFactory
from kindling.search.queries import related_content, search

pytestmark = pytest.mark.django_db

AWKWARD_QUERIES = [
    "",
    " ",
    "a",
    "é",
    "x" * 10_000,
    "rubric " * 2_000,
    "!!!",
    "?*&^%$#@",
    '"',
    '"rubric',
    'rubric"',
    "'; DROP TABLE search_searchdocument; --",
    "rubric*",
    "*",
    "rubric NEAR feedback",
    "NEAR(rubric feedback, 2)",
    "-rubric",
    "rubric -feedback",
    "(rubric",
    "rubric)",
    "rubric AND",
    "OR rubric",
    "NOT",
    "rubric NOT feedback",
    "title:rubric",
    "{title body}: rubric",
    "^rubric",
    "rubric:*",
    "rubric & feedback | !peer",
    "<->",
    "\\",
    "\x00rubric",
    "rubric\ue000x\ue001",
    "ルーブリック",
    "rúbrica",
    "12",
    "7th-grade",
]


@pytest.mark.parametrize("query", AWKWARD_QUERIES)
def test_awkward_queries_never_fail(alice, query):  # type: ignore[no-untyped-def]
    ResourceFactory(title="A rubric for peer feedback", body="Rubric rows and feedback.")
    results = search(alice, query)
    assert results.total == len(results.hits) or results.total > len(results.hits)
    related_content(alice, query)


@pytest.mark.parametrize("query", AWKWARD_QUERIES)
def test_the_search_page_answers_awkward_queries(alice_client, query):  # type: ignore[no-untyped-def]
    response = alice_client.get(reverse("search:search"), {"q": query.replace("\x00", "")})
    assert response.status_code == 200


def test_syntax_characters_are_searched_as_words(alice):  # type: ignore[no-untyped-def]
    resource = ResourceFactory(title="A rubric for peer feedback")
    assert [h.object_id for h in search(alice, "rubric*").hits] == [resource.pk]
    assert [h.object_id for h in search(alice, "(rubric:").hits] == [resource.pk]
    assert [h.object_id for h in search(alice, '"peer" -feedback').hits] == [resource.pk]
    assert search(alice, "title:rubric").total == 0  # "title" is a word, in no document


def test_a_too_long_query_gets_a_clear_message(alice_client):  # type: ignore[no-untyped-def]
    response = alice_client.get(reverse("search:search"), {"q": "x" * 10_000})
    assert "Please shorten your search" in response.content.decode()
    assert "x" * 300 in response.content.decode()  # what the member typed is kept


def test_a_one_letter_query_asks_for_more(alice_client):  # type: ignore[no-untyped-def]
    response = alice_client.get(reverse("search:search"), {"q": "a"})
    assert "at least two letters" in response.content.decode()


@pytest.mark.parametrize("page", ["abc", "-1", "0", "999999", "1.5", ""])
def test_any_page_number_shows_a_page(alice_client, page):  # type: ignore[no-untyped-def]
    for number in range(3):
        NeedFactory(title=f"Rubric question {number}")
    response = alice_client.get(reverse("search:search"), {"q": "rubric", "page": page})
    assert response.status_code == 200
    assert "<mark>Rubric</mark> question" in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"type": "nonsense"},
        {"type": ["need", "bogus"]},
        {"subject": "no-such-subject"},
        {"grade": "x" * 500},
        {"habit": ""},
        {"tag": "<script>"},
        {"unknown": "value"},
    ],
)
def test_unknown_filters_are_harmless(alice_client, params):  # type: ignore[no-untyped-def]
    NeedFactory(title="Rubric question")
    response = alice_client.get(reverse("search:search"), {"q": "rubric", **params})
    assert response.status_code == 200


def test_posting_to_search_is_not_allowed(alice_client):  # type: ignore[no-untyped-def]
    assert alice_client.post(reverse("search:search"), {"q": "rubric"}).status_code == 405


def test_an_unknown_facet_finds_nothing_at_once(alice, django_assert_num_queries):  # type: ignore[no-untyped-def]
    ResourceFactory(title="A rubric for peer feedback")
    with django_assert_num_queries(1):  # the facet's tag is looked up, and nothing else
        results = search(alice, "rubric", filters={"subject": "no-such-subject"})
    assert results.total == 0
    assert results.hits == []
