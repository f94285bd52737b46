import uuid

import pytest
from django.urls import reverse

from kindling.commons.models import Comment, Need, Resource, Response
from kindling.commons.tests.factories import NeedFactory, ResourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def members_are_trusted(settings):
    settings.TRUST_LEVEL_UP_DAYS = 0
    settings.TRUST_LEVEL_UP_CONTRIBUTIONS = 0


def test_submitting_a_resource_twice_publishes_it_once(alice_client):
    data = {"title": "Exit tickets", "body": "Three questions.", "submission": str(uuid.uuid4())}
    first = alice_client.post(reverse("commons:resource_create"), data)
    second = alice_client.post(reverse("commons:resource_create"), data, follow=True)
    assert Resource.objects.count() == 1
    assert first["Location"] == Resource.objects.get().get_absolute_url()
    assert "already published" in second.content.decode()


def test_submitting_a_need_twice_posts_it_once(alice_client):
    data = {"title": "A rubric by tomorrow", "details": "", "submission": str(uuid.uuid4())}
    alice_client.post(reverse("commons:need_create"), data)
    alice_client.post(reverse("commons:need_create"), data)
    assert Need.objects.count() == 1


def test_a_double_submitted_response_and_comment_count_once(bob_client, alice):
    need = NeedFactory(author=alice)
    token = str(uuid.uuid4())
    for _ in range(2):
        bob_client.post(
            reverse("commons:need_respond", args=[need.pk]),
            {"body": "Try this.", "submission": token},
        )
    need.refresh_from_db()
    assert Response.objects.count() == 1
    assert need.response_count == 1
    resource = ResourceFactory(author=alice)
    token = str(uuid.uuid4())
    for _ in range(2):
        bob_client.post(
            reverse("commons:comment_add", args=["resource", resource.pk]),
            {"body": "Thanks", "submission": token},
        )
    assert Comment.objects.count() == 1


def test_another_members_token_cannot_redirect_or_block_a_post(alice_client, bob_client):
    token = str(uuid.uuid4())
    alice_client.post(
        reverse("commons:need_create"), {"title": "Alice's need", "submission": token}
    )
    bob_client.post(reverse("commons:need_create"), {"title": "Bob's need", "submission": token})
    assert sorted(Need.objects.values_list("title", flat=True)) == ["Alice's need", "Bob's need"]


def test_blank_forms_carry_a_fresh_token(alice_client):
    first = alice_client.get(reverse("commons:need_create")).content.decode()
    second = alice_client.get(reverse("commons:need_create")).content.decode()
    assert 'name="submission"' in first
    assert (
        first.split('name="submission" value="')[1][:36]
        != second.split('name="submission" value="')[1][:36]
    )
