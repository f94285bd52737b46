import pytest
from django.test import override_settings

from kindling.commons import actions as commons
from kindling.commons.tests.factories import FreeTagFactory, NeedFactory, ResourceFactory
from kindling.expertise.actions import recompute_all_expertise, recompute_expertise
from kindling.expertise.models import Expertise, HelperProfile

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def tag():
    return FreeTagFactory(slug="formative-assessment", name="formative assessment")


@pytest.fixture
def need(alice, tag):
    need = NeedFactory(author=alice, title="Exit tickets that tell me something")
    need.tags.add(tag)
    return need


def _expertise(user, tag):
    return Expertise.objects.get(user=user, tag=tag)


@override_settings(TASKS=IMMEDIATE)
def test_responding_gives_a_little_expertise_in_the_needs_tags(
    need, bob, tag, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        commons.respond_to_need(need, author=bob, body="Ask one question about the rubric.")
    row = _expertise(bob, tag)
    assert row.responses == 1
    assert row.helpful_responses == 0
    assert HelperProfile.objects.get(user=bob).terms["rubric"] == 1


@override_settings(TASKS=IMMEDIATE)
def test_marking_a_response_helpful_raises_its_authors_expertise(
    need, alice, bob, tag, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = commons.respond_to_need(need, author=bob, body="Try a two-question exit ticket.")
    before = _expertise(bob, tag).score
    with django_capture_on_commit_callbacks(execute=True):
        commons.set_helpful(response, by=alice, helped=True)
    row = _expertise(bob, tag)
    assert row.helpful_responses == 1
    assert row.score > before


@override_settings(TASKS=IMMEDIATE)
def test_useful_votes_on_a_resource_count_in_its_tags(
    alice, bob, tag, django_capture_on_commit_callbacks
):
    resource = ResourceFactory(author=bob)
    resource.tags.add(tag)
    with django_capture_on_commit_callbacks(execute=True):
        commons.toggle_useful(alice, "resource", resource)
    assert _expertise(bob, tag).useful_votes == 1
    with django_capture_on_commit_callbacks(execute=True):
        commons.toggle_useful(alice, "resource", resource)
    assert not Expertise.objects.filter(user=bob).exists()


@override_settings(TASKS=IMMEDIATE)
def test_building_on_a_resource_credits_its_author(
    alice, bob, tag, django_capture_on_commit_callbacks
):
    original = ResourceFactory(author=bob)
    original.tags.add(tag)
    with django_capture_on_commit_callbacks(execute=True):
        commons.create_resource(
            alice, title="A remix", body="Built on Bob's rubric.", built_on=[original]
        )
    assert _expertise(bob, tag).built_on == 1


def test_building_on_your_own_resource_is_no_evidence(alice, tag):
    original = ResourceFactory(author=alice)
    original.tags.add(tag)
    remix = ResourceFactory(author=alice)
    remix.built_on.add(original)
    recompute_expertise([alice.pk])
    assert not Expertise.objects.filter(user=alice, built_on__gt=0).exists()


def test_content_in_invite_only_circles_is_no_public_evidence(need, bob, tag):
    from kindling.commons.tests.factories import CircleFactory, ResponseFactory

    need.circle = CircleFactory(visibility="invite")
    need.save()
    ResponseFactory(need=need, author=bob, helped=True)
    recompute_expertise([bob.pk])
    assert not Expertise.objects.filter(user=bob).exists()


def test_recompute_all_returns_the_rows_it_wrote(need, bob, tag):
    from kindling.commons.tests.factories import ResponseFactory

    ResponseFactory(need=need, author=bob, helped=True, useful_count=2)
    assert recompute_all_expertise() == 2  # one expertise row and one helper profile
    row = _expertise(bob, tag)
    assert (row.helpful_responses, row.useful_votes, row.responses) == (1, 2, 1)
