"""Search finds what members may see, ranked and highlighted, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kindling.accounts.tests.factories import UserFactory
from kindling.commons.models import Tag
from kindling.commons.tests.factories import (
    CircleFactory,
    CircleMembershipFactory,
    FreeTagFactory,
    NeedFactory,
    ResourceFactory,
    ResponseFactory,
)
from kindling.search import fulltext
from kindling.search.models import SearchDocument
from kindling.search.queries import related_content, search

pytestmark = pytest.mark.django_db

# Session, user, unread notifications; then kind counts, the page of hits, tag facets (and on
# PostgreSQL first the lowest and highest document ids, between which its candidate windows lie).
EXPECTED_PAGE_QUERIES = 6


def found(viewer, query, **kwargs):  # type: ignore[no-untyped-def]
    return {(hit.kind, hit.object_id) for hit in search(viewer, query, **kwargs).hits}


def test_a_new_resource_is_found_by_a_word_of_its_body(alice):  # type: ignore[no-untyped-def]
    resource = ResourceFactory(title="Photosynthesis lab", body="Leaves and **sunlight** data.")
    assert found(alice, "sunlight") == {("resource", resource.pk)}


def test_an_edited_resource_is_found_by_its_new_words_only(alice):  # type: ignore[no-untyped-def]
    resource = ResourceFactory(title="Volcano model", body="Baking soda eruption.")
    resource.body = "A paper mache cone."
    resource.save()
    assert found(alice, "eruption") == set()
    assert found(alice, "mache") == {("resource", resource.pk)}


def test_a_deleted_need_leaves_the_index(alice):  # type: ignore[no-untyped-def]
    need = NeedFactory(title="Seating chart ideas")
    need.delete()
    assert found(alice, "seating") == set()
    assert not SearchDocument.objects.filter(kind="need").exists()


def test_a_need_is_found_by_its_responses_words(alice):  # type: ignore[no-untyped-def]
    need = NeedFactory(title="Quiet classroom", details="Too loud.")
    response = ResponseFactory(need=need, body="Use a noise meter on the board.")
    assert found(alice, "noise meter") == {("need", need.pk), ("response", response.pk)}


def test_tags_added_later_are_searchable(alice):  # type: ignore[no-untyped-def]
    resource = ResourceFactory(title="Fractions game", body="Cards.")
    resource.tags.add(FreeTagFactory(slug="gamification", name="gamification"))
    assert found(alice, "gamification") == {("resource", resource.pk)}


def test_hidden_content_is_found_only_by_moderators(alice):  # type: ignore[no-untyped-def]
    resource = ResourceFactory(title="Hidden gem rubric")
    resource.is_hidden = True
    resource.save()
    moderator = UserFactory(is_moderator=True)
    assert found(alice, "gem") == set()
    assert found(moderator, "gem") == {("resource", resource.pk)}


def test_responses_to_a_hidden_need_are_hidden_too(alice):  # type: ignore[no-untyped-def]
    need = NeedFactory(title="Homework policy")
    ResponseFactory(need=need, body="Limit homework to practice.")
    need.is_hidden = True
    need.save()
    assert found(alice, "homework") == set()


def test_invite_only_circle_content_is_found_only_by_its_members(alice, bob):  # type: ignore[no-untyped-def]
    circle = CircleFactory(visibility="invite", name="Secret garden")
    CircleMembershipFactory(circle=circle, user=alice)
    resource = ResourceFactory(title="Composting with kids", circle=circle)
    assert found(alice, "composting") == {("resource", resource.pk)}
    assert found(bob, "composting") == set()
    # Its name and purpose are listed to everyone, like the circle list does.
    assert found(bob, "secret garden") == {("circle", circle.pk)}


def test_anonymous_visitors_find_nothing(db):  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import AnonymousUser

    ResourceFactory(title="Open rubric")
    assert found(AnonymousUser(), "rubric") == set()


def test_inactive_members_are_not_found(alice):  # type: ignore[no-untyped-def]
    carol = UserFactory(profile__display_name="Carolina Zapata")
    assert found(alice, "zapata") == {("person", carol.profile.pk)}
    carol.is_active = False
    carol.save()
    assert found(alice, "zapata") == set()


def test_html_in_content_stays_escaped_around_highlights(alice):  # type: ignore[no-untyped-def]
    ResourceFactory(title="<script>alert(1)</script> planner", body="<b>bold</b> planner text")
    hit = search(alice, "planner").hits[0]
    assert "<script>" not in hit.title_html
    assert "&lt;script&gt;" in hit.title_html
    assert "<mark>planner</mark>" in hit.title_html
    assert "<b>" not in hit.snippet_html


def test_kind_and_tag_facets_count_what_matches(alice):  # type: ignore[no-untyped-def]
    science = Tag.objects.get_or_create(
        kind="subject", slug="science", defaults={"name": "Science"}
    )[0]
    first = ResourceFactory(title="Density tower")
    first.tags.add(science)
    ResourceFactory(title="Density of rocks")
    need = NeedFactory(title="Density demo needed")
    results = search(alice, "density")
    assert results.kind_counts == {"resource": 2, "need": 1}
    assert [(f.kind, f.slug, f.count) for f in results.tag_facets] == [("subject", "science", 1)]
    filtered = search(alice, "density", filters={"subject": "science"})
    assert [(h.kind, h.object_id) for h in filtered.hits] == [("resource", first.pk)]
    assert found(alice, "density", kinds=["need"]) == {("need", need.pk)}


def test_a_misspelled_word_suggests_the_indexed_one(alice):  # type: ignore[no-untyped-def]
    ResourceFactory(title="Photosynthesis investigation")
    results = search(alice, "photosinthesis")
    assert results.total == 0
    assert results.suggestion == "photosynthesis"  # as written, not the index's stem


def test_did_you_mean_keeps_the_words_that_were_right_and_writes_words_whole(alice):  # type: ignore[no-untyped-def]
    ResourceFactory(title="Students design an inquiry", body="Inquiry projects for students.")
    assert search(alice, "students inquirry").suggestion == "students inquiry"


def test_related_content_finds_similar_needs_and_resources(alice):  # type: ignore[no-untyped-def]
    resource = ResourceFactory(title="Peer feedback protocol", body="Warm and cool feedback.")
    NeedFactory(title="Field trip permission slips")
    hits = related_content(alice, "How do I run peer feedback in my class?")
    assert [(h.kind, h.object_id) for h in hits] == [("resource", resource.pk)]


def test_the_search_page_shows_ranked_highlighted_results(alice_client):  # type: ignore[no-untyped-def]
    ResourceFactory(title="Socratic seminar guide")
    response = alice_client.get(reverse("search:search"), {"q": "socratic"})
    assert response.status_code == 200
    assert "<mark>Socratic</mark>" in response.content.decode()


def test_visitors_are_sent_to_sign_in(client, db):  # type: ignore[no-untyped-def]
    response = client.get(reverse("search:search"), {"q": "rubric"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_common_words_do_not_have_to_match(alice):  # type: ignore[no-untyped-def]
    resource = ResourceFactory(title="Writing a rubric")
    assert found(alice, "how to write the rubric") == {("resource", resource.pk)}


@pytest.fixture
def _distant_ids(db: None) -> None:
    # Document ids far from 1, as after deletions and in a long test run (a PostgreSQL sequence
    # never goes back): a small index must still be searched in one slice.
    fulltext.reserve_document_ids(3 * fulltext.PG_FIRST_SLICE)


@pytest.mark.usefixtures("_distant_ids")  # before alice's document is written
def test_the_search_page_keeps_a_fixed_number_of_queries(  # type: ignore[no-untyped-def]
    alice_client, django_assert_num_queries
):
    science = Tag.objects.get_or_create(
        kind="subject", slug="science", defaults={"name": "Science"}
    )[0]
    for number in range(25):
        resource = ResourceFactory(title=f"Rubric number {number}")
        resource.tags.add(science)
        NeedFactory(title=f"Rubric need {number}")
    alice_client.get(reverse("search:search"), {"q": "rubric"})  # warm the session
    expected = EXPECTED_PAGE_QUERIES + (0 if connection.vendor == "sqlite" else 1)
    with django_assert_num_queries(expected):
        response = alice_client.get(reverse("search:search"), {"q": "rubric", "page": "2"})
    assert response.context["results"].total == 50
    assert len(response.context["results"].hits) == 20


def test_rebuilding_the_index_restores_every_document(alice):  # type: ignore[no-untyped-def]
    from io import StringIO

    from django.core.management import call_command

    resource = ResourceFactory(title="Kite science")
    SearchDocument.objects.all().delete()
    assert found(alice, "kite") == set()
    out = StringIO()
    call_command("rebuild_search_index", "--batch-size", "2", stdout=out)
    assert "resource: 1" in out.getvalue()
    assert found(alice, "kite") == {("resource", resource.pk)}


def test_a_moderator_hiding_and_restoring_a_need_is_reflected_at_once(alice):  # type: ignore[no-untyped-def]
    from kindling.moderation.actions import hide_content, restore_content

    moderator = UserFactory(is_moderator=True)
    need = NeedFactory(title="Grading rubric for debates")
    response = ResponseFactory(need=need, body="Score the rebuttals separately.")
    hide_content(need, moderator=moderator, reason="Spam")
    assert found(alice, "rebuttals") == set()
    restore_content(need, moderator=moderator, reason="Not spam")
    assert found(alice, "rebuttals") == {("need", need.pk), ("response", response.pk)}


def test_a_circle_turning_invite_only_hides_its_content_from_outsiders(bob):  # type: ignore[no-untyped-def]
    circle = CircleFactory(visibility="open")
    resource = ResourceFactory(title="Makerspace inventory", circle=circle)
    assert found(bob, "makerspace") == {("resource", resource.pk)}
    circle.visibility = "invite"
    circle.save()
    assert found(bob, "makerspace") == set()


def test_the_search_box_is_not_called_optional(alice_client):  # type: ignore[no-untyped-def]
    page = alice_client.get(reverse("search:search")).content.decode()
    assert '<label for="id_q">Search</label>' in page
    assert "(optional)" not in page


def test_a_response_is_listed_as_a_reply_to_its_need(alice_client):  # type: ignore[no-untyped-def]
    need = NeedFactory(title="Quiet <classroom>", details="Too loud.")
    ResponseFactory(need=need, body="Use a noise meter on the board.")
    page = alice_client.get(reverse("search:search"), {"q": "noise meter"}).content.decode()
    assert "In reply to “Quiet &lt;classroom&gt;”" in page  # the need's title, escaped
    assert page.count("Quiet &lt;classroom&gt;") == 2  # the need's own hit, and the reply's


def test_the_search_page_suggests_a_spelling_that_finds_something(alice_client):  # type: ignore[no-untyped-def]
    ResourceFactory(title="Photosynthesis investigation")
    response = alice_client.get(reverse("search:search"), {"q": "photosinthesis"})
    page = response.content.decode()
    assert "Did you mean:" in page
    assert 'class="search-count"' not in page  # no "(0)" beside every type when nothing matched


def test_did_you_mean_keeps_the_type_and_tag_filters(alice_client):  # type: ignore[no-untyped-def]
    grade = Tag.objects.get_or_create(kind="grade", slug="6-8", defaults={"name": "Grades 6–8"})[0]
    ResourceFactory(title="Photosynthesis investigation").tags.add(grade)
    response = alice_client.get(
        reverse("search:search"),
        {"q": "photosinthesis", "type": "resource", "grade": "6-8", "page": "2"},
    )
    assert response.context["results"].suggestion == "photosynthesis"
    page = response.content.decode()
    assert 'href="?q=photosynthesis&amp;type=resource&amp;grade=6-8"' in page
    assert "Remove filter “6-8”" in page  # no facet to name it by: its slug


def test_a_tag_filter_in_use_is_marked_and_named_not_offered_again(alice_client):  # type: ignore[no-untyped-def]
    grade = Tag.objects.get_or_create(kind="grade", slug="6-8", defaults={"name": "Grades 6–8"})[0]
    science = Tag.objects.get_or_create(
        kind="subject", slug="science", defaults={"name": "Science"}
    )[0]
    ResourceFactory(title="Kite plan").tags.add(grade, science)
    response = alice_client.get(reverse("search:search"), {"q": "kite", "grade": "6-8"})
    page = response.content.decode()
    assert '<li aria-current="true"><strong>Grades 6–8</strong>' in page
    assert page.count('href="?q=kite&amp;grade=6-8"') == 1  # "Everything", not the grade again
    assert 'href="?q=kite"' in page
    assert "Remove filter “Grades 6–8”" in page
    assert 'href="?q=kite&amp;grade=6-8&amp;subject=science">Science</a>' in page


def test_a_misspelling_found_only_in_hidden_content_suggests_nothing(alice):  # type: ignore[no-untyped-def]
    resource = ResourceFactory(title="Xylophone lesson")
    resource.is_hidden = True
    resource.save()
    assert search(alice, "xylophome").suggestion == ""


def test_a_query_matching_more_than_the_candidates_ranks_the_newest(alice, monkeypatch):  # type: ignore[no-untyped-def]
    # Past fulltext.CANDIDATES matches, search ranks, counts and facets the newest of them only,
    # and says there are more: the cost stays bounded however common the word.
    from kindling.search import fulltext

    monkeypatch.setattr(fulltext, "CANDIDATES", 3)
    monkeypatch.setattr(fulltext, "PG_FIRST_SLICE", 2)
    old = [ResourceFactory(title=f"Rubric rubric rubric {n}") for n in range(3)]
    new = [ResourceFactory(title=f"Rubric idea {n}") for n in range(3)]
    results = search(alice, "rubric")
    assert results.capped
    assert results.total == 3
    assert {hit.object_id for hit in results.hits} == {r.pk for r in new}
    assert not {hit.object_id for hit in results.hits} & {r.pk for r in old}
    assert search(alice, "idea").capped is False


def test_a_type_filter_finds_its_kind_beyond_the_newest_matches_of_every_kind(alice, monkeypatch):  # type: ignore[no-untyped-def]
    # The newest matches are all needs; the resources asked for are older than all of them.
    monkeypatch.setattr(fulltext, "CANDIDATES", 3)
    monkeypatch.setattr(fulltext, "PG_FIRST_SLICE", 2)
    resources = [ResourceFactory(title=f"Kite plan {n}") for n in range(2)]
    for n in range(5):
        NeedFactory(title=f"Kite question {n}")
    results = search(alice, "kite", kinds=["resource"])
    assert {hit.object_id for hit in results.hits} == {r.pk for r in resources}
    assert results.total == 2
    assert not results.capped  # every resource that matches was counted
    assert results.kind_counts == {"resource": 2}  # only the kinds asked for are counted
    assert search(alice, "kite", kinds=["need"]).capped


def test_the_type_facet_counts_only_the_chosen_type_once_one_is_chosen(alice_client):  # type: ignore[no-untyped-def]
    ResourceFactory(title="Kite plan")
    NeedFactory(title="Kite question")
    page = alice_client.get(reverse("search:search"), {"q": "kite"}).content.decode()
    assert page.count('class="search-count"') == 5  # every type, counted
    page = alice_client.get(reverse("search:search"), {"q": "kite", "type": "need"})
    assert page.content.decode().count('class="search-count"') == 1
    assert page.context["results"].kind_counts == {"need": 1}


def test_the_search_page_says_when_there_are_more_results(alice_client, monkeypatch):  # type: ignore[no-untyped-def]
    from kindling.search import fulltext

    monkeypatch.setattr(fulltext, "CANDIDATES", 2)
    for n in range(3):
        ResourceFactory(title=f"Rubric {n}")
    response = alice_client.get(reverse("search:search"), {"q": "rubric"})
    assert "More than 2 results" in response.content.decode()


def test_facet_filters_hold_after_tag_changes_and_a_rebuild(alice):  # type: ignore[no-untyped-def]
    from kindling.search import fulltext
    from kindling.search.actions import rebuild_index

    grade = Tag.objects.get_or_create(kind="grade", slug="6-8", defaults={"name": "Grades 6–8"})[0]
    free = FreeTagFactory(slug="hands-on-maths", name="hands-on maths")
    tagged = ResourceFactory(title="Fraction strips")
    tagged.tags.add(grade, free)
    ResourceFactory(title="Fraction wall").tags.add(grade)
    both = {"grade": "6-8", "tag": "hands-on-maths"}
    assert found(alice, "fraction", filters=both) == {("resource", tagged.pk)}
    rebuild_index()
    assert found(alice, "fraction", filters=both) == {("resource", tagged.pk)}
    assert len(found(alice, "fraction", filters={"grade": "6-8"})) == 2
    tagged.tags.remove(free)
    assert found(alice, "fraction", filters=both) == set()
    # Facets and kinds are words of the index (a hidden column on SQLite): searching for one
    # finds nothing.
    assert found(alice, fulltext.facet_word("grade", "6-8")) == set()
    assert found(alice, fulltext.kind_word("resource")) == set()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's scoring shortcut")
def test_a_word_in_most_documents_filters_but_is_not_scored_by(alice, monkeypatch):  # type: ignore[no-untyped-def]
    from kindling.search import fulltext

    monkeypatch.setattr(fulltext, "SHARE_MIN_DOCUMENTS", 1)
    for i in range(6):
        ResourceFactory(title=f"Students project {i}", body="Plain students work.")
    wanted = ResourceFactory(title="Students rubric", body="A rubric for students, rubric first.")
    other = ResourceFactory(title="Rubric", body="Only a rubric.")
    assert fulltext.scoring_terms(["student", "rubric"]) == ["rubric"]
    assert fulltext.scoring_terms(["student"]) == ["student"]
    hits = search(alice, "students rubric").hits
    assert [(h.kind, h.object_id) for h in hits] == [("resource", wanted.pk)]
    assert "<mark>" in hits[0].title_html  # every word is still marked
    assert found(alice, "rubric") == {("resource", wanted.pk), ("resource", other.pk)}


def test_words_in_most_documents_are_left_out_of_related_content(alice, monkeypatch):  # type: ignore[no-untyped-def]
    from kindling.search import fulltext
    from kindling.search.queries import _telling_terms

    monkeypatch.setattr(fulltext, "SHARE_MIN_DOCUMENTS", 10**12)
    assert fulltext.term_shares(["plain"]) == {"plain": 0.0}  # too few documents to tell
    monkeypatch.setattr(fulltext, "SHARE_MIN_DOCUMENTS", 1)
    for i in range(8):
        ResourceFactory(title=f"Students project {i}", body="Plain students work.")
    fractions = ResourceFactory(title="Fraction strips", body="Students fold fraction strips.")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # the shares come from the planner's statistics
            cursor.execute("ANALYZE search_searchdocument")
    shares = fulltext.term_shares(["student", "fraction"])
    assert shares["student"] > fulltext.COMMON_SHARE >= shares["fraction"]
    assert _telling_terms(["student", "fraction"]) == ["fraction"]
    assert _telling_terms(["student"]) == ["student"]  # the rarest are kept if all are common
    related = related_content(alice, "How do students fold fraction strips?")
    assert [(hit.kind, hit.object_id) for hit in related] == [("resource", fractions.pk)]


def test_facet_words_are_never_offered_as_spellings(alice):  # type: ignore[no-untyped-def]
    # Facets are words of the full-text index on both databases, never of the vocabulary.
    resource = ResourceFactory(title="Kite science")
    resource.tags.add(Tag.objects.get_or_create(kind="subject", slug="arts", name="Arts")[0])
    word = fulltext.facet_word("subject", "arts")
    assert found(alice, "kite", filters={"subject": "arts"}) == {("resource", resource.pk)}
    assert word not in fulltext.vocabulary_near(word[:-1] + "1")
    assert not [w for w in fulltext.vocabulary_near("fs") if w.startswith("fs6")]


def test_the_document_id_range_is_read_from_the_ends_of_the_key(alice):  # type: ignore[no-untyped-def]
    ResourceFactory(title="Kite diagrams")
    NeedFactory(title="Kite diagrams for grade 4")
    ids = list(SearchDocument.objects.values_list("id", flat=True))
    with CaptureQueriesContext(connection) as queries:
        assert fulltext.document_id_range() == (min(ids), max(ids))
    if connection.vendor == "sqlite":  # PostgreSQL plans a small table as it likes
        (query,) = queries.captured_queries
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + query["sql"])
            plan = " | ".join(str(row[-1]) for row in cursor.fetchall())
        # Not "SCAN search_searchdocument …", a read of every row (MIN and MAX in one SELECT).
        assert "SCAN search_searchdocument" not in plan, plan


def test_facets_and_types_filter_without_changing_scores(alice):  # type: ignore[no-untyped-def]
    grade = Tag.objects.get_or_create(kind="grade", slug="3-5", defaults={"name": "Grades 3–5"})[0]
    for n in range(3):
        ResourceFactory(title=f"Kite diagrams {n}", body="kite " * n + "wind tunnel").tags.add(
            grade
        )
        NeedFactory(title=f"Kite diagrams needed {n}", details="kite " * n + "and wind")

    def scores(query, **kwargs):  # type: ignore[no-untyped-def]
        return {(h.kind, h.object_id): h.score for h in search(alice, query, **kwargs).hits}

    def related(**kwargs):  # type: ignore[no-untyped-def]
        return {
            (h.kind, h.object_id): h.score
            for h in related_content(alice, "kite wind diagrams tunnel", limit=10, **kwargs)
        }

    every = scores("kite wind")
    resources = scores("kite wind", kinds=["resource"])
    graded = scores("kite wind", filters={"grade": "3-5"})
    assert len(resources) == 3
    assert graded == resources == {key: every[key] for key in resources}
    everything = related(kinds=("resource", "need", "response", "circle", "person"))
    needs = related(kinds=("need",))
    assert len(needs) == 3
    assert needs == {key: everything[key] for key in needs}


def test_search_links_change_one_filter_in_its_place_and_go_to_page_one(rf):  # type: ignore[no-untyped-def]
    from django.template import Context

    from kindling.search.templatetags.search_tags import search_url

    request = rf.get("/search/", {"q": "kite & wind", "type": ["need", "resource"], "page": "3"})
    context = Context({"request": request})
    assert search_url(context, "q", "kites") == "?q=kites&type=need&type=resource"
    assert search_url(context, "type", "circle") == "?q=kite+%26+wind&type=circle"
    assert search_url(context, "type") == "?q=kite+%26+wind"
    assert (
        search_url(context, "grade", "6-8") == "?q=kite+%26+wind&type=need&type=resource&grade=6-8"
    )
