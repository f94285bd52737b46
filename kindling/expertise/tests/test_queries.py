from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kindling.accounts.tests.factories import UserFactory
from kindling.commons.tests.factories import FreeTagFactory, NeedFactory, ResponseFactory
from kindling.expertise.actions import recompute_all_expertise
from kindling.expertise.queries import expertise_for, who_can_help
from kindling.moderation.models import Block

pytestmark = pytest.mark.django_db


@pytest.fixture
def tag():
    return FreeTagFactory(slug="formative-assessment", name="formative assessment")


def _answered(author, tag, *, helped=False, body="A rubric with clear criteria helps."):
    need = NeedFactory(title="How do I give feedback with a rubric?")
    need.tags.add(tag)
    return ResponseFactory(need=need, author=author, body=body, helped=helped)


def test_profile_shows_expertise_with_its_evidence_and_links_to_the_tag(alice_client, bob, tag):
    for _ in range(3):
        _answered(bob, tag, helped=True)
    recompute_all_expertise()
    page = alice_client.get(reverse("accounts:profile", args=[bob.profile.pk]))
    html = page.content.decode()
    assert "Expertise" in html
    assert "3 responses marked helpful" in html
    assert tag.get_absolute_url() in html


def test_profile_without_evidence_shows_no_expertise_section(alice_client, bob):
    page = alice_client.get(reverse("accounts:profile", args=[bob.profile.pk]))
    assert page.status_code == 200
    assert 'id="expertise-heading"' not in page.content.decode()


def test_signed_out_visitors_see_no_profile_expertise(client, bob):
    page = client.get(reverse("accounts:profile", args=[bob.profile.pk]))
    assert page.status_code == 302


def test_expertise_for_lists_the_strongest_tags_in_one_query(bob, tag, django_assert_num_queries):
    _answered(bob, tag, helped=True)
    _answered(bob, FreeTagFactory(slug="music"))
    recompute_all_expertise()
    with django_assert_num_queries(1):
        rows = expertise_for(bob)
    assert [row.tag.slug for row in rows] == ["formative-assessment", "music"]


def test_who_can_help_suggests_the_member_with_evidence_with_reasons(alice, bob, tag):
    _answered(bob, tag, helped=True)
    _answered(UserFactory(), FreeTagFactory(slug="music"), body="Sing it together.")
    recompute_all_expertise()
    suggestions = who_can_help(alice, "feedback rubric for my class", [tag])
    assert suggestions[0].user_id == bob.pk
    assert any("formative assessment" in reason for reason in suggestions[0].reasons)


def test_who_can_help_never_suggests_the_viewer_inactive_members_or_blockers(alice, bob, tag):
    carol = UserFactory(is_active=False)
    dan = UserFactory()
    erin = UserFactory()
    for member in (alice, bob, carol, dan, erin):
        _answered(member, tag)
    Block.objects.create(blocker=dan, blocked=alice)
    recompute_all_expertise()
    suggested = {s.user_id for s in who_can_help(alice, "rubric", ["formative-assessment"])}
    assert suggested == {bob.pk, erin.pk}
    excluded = who_can_help(alice, "rubric", [tag], exclude_user_ids=[bob.pk])
    assert {s.user_id for s in excluded} == {erin.pk}


def test_who_can_help_sees_new_evidence_once_the_process_checks_again(alice, bob, tag, monkeypatch):
    from kindling.expertise import queries

    _answered(bob, tag)
    recompute_all_expertise()
    assert who_can_help(alice, "rubric", [tag])[0].user_id == bob.pk
    carol = UserFactory()
    for _ in range(4):
        _answered(carol, tag, helped=True, body="rubric rubric criteria")
    recompute_all_expertise(now=timezone.now() + timedelta(seconds=1))
    # The index is asked whether it is current at most once a minute per process.
    assert who_can_help(alice, "rubric", [tag])[0].user_id == bob.pk
    monkeypatch.setattr(queries._helpers, "recheck_seconds", 0.0)
    assert who_can_help(alice, "rubric", [tag])[0].user_id == carol.pk
