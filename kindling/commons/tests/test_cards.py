"""Cached cards: always what the row shows now, and never a way around visibility."""

import pytest
from django.urls import reverse

from kindling.accounts.tests.factories import UserFactory
from kindling.commons import actions
from kindling.commons.cards import card_refs, cards_for
from kindling.commons.models import Need, Resource
from kindling.commons.queries import need_list, resource_list
from kindling.commons.tests.factories import (
    CircleFactory,
    CircleMembershipFactory,
    NeedFactory,
    ResourceFactory,
)
from kindling.moderation.actions import hide_content

pytestmark = pytest.mark.django_db


def cards(viewer, model=Resource):
    queryset = (resource_list if model is Resource else need_list)(viewer).order_by("-created_at")
    return cards_for(queryset, list(card_refs(queryset)))


def test_cards_come_in_the_queries_order_with_their_rows_content(alice, bob):
    older = ResourceFactory(author=alice, title="Older rubric")
    newer = ResourceFactory(author=alice, title="Newer rubric")
    Resource.objects.filter(pk=older.pk).update(created_at=newer.created_at.replace(year=2020))
    found = cards(bob)
    assert [card.pk for card in found] == [newer.pk, older.pk]
    assert "Newer rubric" in found[0].html
    assert "Alice Martín" in found[0].html


def test_a_vote_shows_on_the_cached_card(alice, bob, django_assert_num_queries):
    resource = ResourceFactory(author=alice)
    assert "0 found it useful" in cards(bob)[0].html
    with django_assert_num_queries(1):  # cached: the ids query only
        cards(bob)
    actions.toggle_useful(bob, "resource", resource)
    assert "1 found it useful" in cards(bob)[0].html


def test_closing_and_answering_a_need_show_on_its_card(alice, bob):
    need = NeedFactory(author=alice)
    assert "closed" not in cards(bob, Need)[0].html
    actions.respond_to_need(need, author=bob, body="Try exit tickets.")
    assert "1 response" in cards(bob, Need)[0].html
    actions.set_need_status(need, by=alice, status="closed")
    assert "closed" in cards(bob, Need)[0].html


def test_an_edit_shows_on_the_cached_card(alice, bob, client):
    resource = ResourceFactory(author=alice, title="First title")
    assert "First title" in cards(bob)[0].html
    client.force_login(alice)
    client.post(
        reverse("commons:resource_edit", args=[resource.pk]),
        {"title": "Second title", "body": resource.body, "version": resource.version},
    )
    resource.refresh_from_db()
    assert resource.title == "Second title"
    assert "Second title" in cards(bob)[0].html


def test_cached_cards_do_not_show_what_the_viewer_may_not_see(alice, bob):
    secret_circle = CircleFactory(visibility="invite")
    CircleMembershipFactory(circle=secret_circle, user=alice)
    secret = ResourceFactory(author=alice, circle=secret_circle, title="Circle-only plan")
    assert [card.pk for card in cards(alice)] == [secret.pk]  # cached now
    assert cards(bob) == []
    moderator = UserFactory(is_moderator=True)
    public = ResourceFactory(author=alice, title="Soon hidden")
    assert public.pk in [card.pk for card in cards(bob)]  # cached now
    hide_content(public, moderator=moderator, reason="spam")
    assert public.pk not in [card.pk for card in cards(bob)]


def test_cards_follow_the_readers_language(alice, bob_client):
    NeedFactory(author=alice, title="Ayuda con rúbricas")
    english = bob_client.get(reverse("commons:need_list")).content.decode()
    spanish = bob_client.get(
        reverse("commons:need_list"), HTTP_ACCEPT_LANGUAGE="es"
    ).content.decode()
    assert "0 responses" in english
    assert "0 respuestas" in spanish


def test_a_threads_cached_responses_show_help_hiding_and_edits(alice, bob):
    from kindling.commons.cards import response_html
    from kindling.commons.queries import responses_for
    from kindling.moderation.actions import edit_content

    need = NeedFactory(author=alice)
    response = actions.respond_to_need(need, author=bob, body="Try **exit tickets**.")

    def shown():
        return response_html(responses_for(need, alice))[response.pk]

    assert "<strong>exit tickets</strong>" in shown()
    assert "Helped the asker" not in shown()
    actions.set_helpful(response, by=alice, helped=True)
    assert "Helped the asker" in shown()
    moderator = UserFactory(is_moderator=True)
    edit_content(response, moderator=moderator, body="Try exit slips.", reason="typo")
    assert "exit slips" in shown()
    hide_content(response, moderator=moderator, reason="spam")
    assert "Hidden by moderators." in response_html(responses_for(need, moderator))[response.pk]


def test_a_hidden_response_shows_only_to_its_author_and_moderators(alice, bob):
    from kindling.commons.queries import responses_for

    need = NeedFactory(author=alice)
    shown = actions.respond_to_need(need, author=bob, body="Try exit tickets.")
    hidden = actions.respond_to_need(need, author=bob, body="Buy my course.")
    moderator = UserFactory(is_moderator=True)
    hide_content(hidden, moderator=moderator, reason="spam")
    assert [r.pk for r in responses_for(need, alice)] == [shown.pk]
    assert [r.pk for r in responses_for(need, bob)] == [shown.pk, hidden.pk]
    assert [r.pk for r in responses_for(need, moderator)] == [shown.pk, hidden.pk]
    actions.set_helpful(shown, by=alice, helped=False)
    actions.set_helpful(hidden, by=alice, helped=True)  # helpful first
    assert [r.pk for r in responses_for(need, moderator)] == [hidden.pk, shown.pk]


def test_voted_pairs_are_the_viewers_own_votes_of_each_kind(alice, bob):
    from kindling.commons.queries import voted_pairs

    need = NeedFactory(author=alice)
    first = actions.respond_to_need(need, author=alice, body="One idea.")
    second = actions.respond_to_need(need, author=alice, body="Another idea.")
    resource = ResourceFactory(author=alice, pk=need.pk)  # the same id, another kind
    actions.toggle_useful(bob, "need", need)
    actions.toggle_useful(bob, "response", second)
    actions.toggle_useful(UserFactory(), "response", first)
    wanted = {"need": [need.pk], "response": [first.pk, second.pk], "resource": [resource.pk]}
    assert voted_pairs(bob, wanted) == {("need", need.pk), ("response", second.pk)}
    assert voted_pairs(alice, wanted) == set()
    assert voted_pairs(bob, {"need": [], "response": []}) == set()


def test_a_cards_key_follows_its_bylines_ago_text_in_the_readers_language():
    from datetime import timedelta

    from django.utils import timezone, translation
    from django.utils.timesince import timesince

    from kindling.commons.cards import _ago

    created = timezone.now() - timedelta(days=3, hours=2, minutes=30)  # not near a boundary
    assert _ago(created) == timesince(created) == "3\xa0days, 2\xa0hours"
    with translation.override("es"):
        assert _ago(created) == timesince(created) != "3\xa0days, 2\xa0hours"
    assert _ago(timezone.now() - timedelta(days=10)) != _ago(created)
