import pytest
from django.urls import reverse

from kindling.accounts.tests.factories import UserFactory
from kindling.commons.models import NeedInvitation
from kindling.commons.tests.factories import CircleFactory, CircleMembershipFactory, NeedFactory
from kindling.moderation.models import Block
from kindling.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_the_asker_invites_a_member_who_is_notified_once(
    alice_client, alice, bob, django_capture_on_commit_callbacks
):
    need = NeedFactory(author=alice)
    url = reverse("commons:need_invite", args=[need.pk])
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(url, {"member": bob.pk})
        alice_client.post(url, {"member": bob.pk})
    assert NeedInvitation.objects.filter(need=need, invited=bob).count() == 1
    assert Notification.objects.filter(recipient=bob, verb="need_invitation").count() == 1


def test_only_the_asker_can_invite(bob_client, alice):
    need = NeedFactory(author=alice)
    other = UserFactory()
    response = bob_client.post(
        reverse("commons:need_invite", args=[need.pk]), {"member": other.pk}, follow=True
    )
    assert "Only the member who asked can invite" in response.content.decode()
    assert not NeedInvitation.objects.exists()


def test_inviting_someone_who_cannot_see_the_need_is_refused(alice_client, alice, bob):
    circle = CircleFactory(visibility="invite")
    CircleMembershipFactory(circle=circle, user=alice)
    need = NeedFactory(author=alice, circle=circle)
    response = alice_client.post(
        reverse("commons:need_invite", args=[need.pk]), {"member": bob.pk}, follow=True
    )
    assert "cannot see your need" in response.content.decode()
    assert not NeedInvitation.objects.exists()


def test_blocked_members_cannot_be_invited_and_bad_ids_are_handled(alice_client, alice, bob):
    need = NeedFactory(author=alice)
    Block.objects.create(blocker=bob, blocked=alice)
    url = reverse("commons:need_invite", args=[need.pk])
    assert (
        "You cannot invite this member."
        in alice_client.post(url, {"member": bob.pk}, follow=True).content.decode()
    )
    assert (
        "Choose a member to invite."
        in alice_client.post(url, {"member": "abc"}, follow=True).content.decode()
    )
    assert (
        "Choose a member to invite."
        in alice_client.post(url, {"member": "999999"}, follow=True).content.decode()
    )
    assert not NeedInvitation.objects.exists()


def test_suggestions_while_typing_need_a_signed_in_member(client, alice_client):
    response = client.get(reverse("commons:need_suggest"), {"title": "rubric for projects"})
    assert response.status_code == 302
    response = alice_client.get(reverse("commons:need_suggest"), {"title": "x"})
    assert response.status_code == 200
    assert 'id="need-suggestions"' in response.content.decode()


def test_suggestions_while_typing_show_related_posts_and_helpers_with_reasons(
    alice_client, alice, bob, settings
):
    from kindling.commons.models import Tag
    from kindling.commons.tests.factories import ResourceFactory, ResponseFactory
    from kindling.expertise.actions import recompute_all_expertise

    rubrics = Tag.objects.create(kind="free", slug="rubrics", name="rubrics")
    resource = ResourceFactory(author=bob, title="Co-written rubric for science projects")
    resource.tags.add(rubrics)
    for index in range(3):
        need = NeedFactory(author=UserFactory(), title=f"Rubric for a science project {index}")
        need.tags.add(rubrics)
        ResponseFactory(need=need, author=bob, body="Co-write the rubric criteria.", helped=True)
    recompute_all_expertise()
    page = alice_client.get(
        reverse("commons:need_suggest"),
        {"title": "A rubric for my science project", "details": "co-written criteria"},
    ).content.decode()
    assert "Co-written rubric for science projects" in page
    assert "Members who can help" in page
    assert bob.profile.display_name in page
