import pytest
from django.urls import reverse

from kindling.accounts.tests.factories import UserFactory
from kindling.moderation import actions
from kindling.moderation.models import Block
from kindling.moderation.queries import has_blocked

pytestmark = pytest.mark.django_db


def test_profile_of_another_member_offers_to_block_them(alice_client, bob):
    page = alice_client.get(bob.profile.get_absolute_url()).content.decode()
    assert reverse("moderation:block", args=[bob.pk]) in page
    assert "Block Bob Okafor" in page


def test_own_profile_offers_no_block(alice_client, alice):
    page = alice_client.get(alice.profile.get_absolute_url()).content.decode()
    assert reverse("moderation:block", args=[alice.pk]) not in page


def test_member_blocks_another_from_their_profile(alice_client, alice, bob):
    profile_url = bob.profile.get_absolute_url()
    response = alice_client.post(reverse("moderation:block", args=[bob.pk]), {"next": profile_url})
    assert response.status_code == 302
    assert response["Location"] == profile_url
    assert has_blocked(alice.pk, bob.pk)
    page = alice_client.get(profile_url).content.decode()
    assert "Unblock Bob Okafor" in page
    assert reverse("moderation:unblock", args=[bob.pk]) in page


def test_blocking_twice_is_harmless(alice_client, alice, bob):
    url = reverse("moderation:block", args=[bob.pk])
    alice_client.post(url)
    assert alice_client.post(url).status_code == 302
    assert Block.objects.filter(blocker=alice, blocked=bob).count() == 1


def test_member_cannot_block_themselves_through_the_view(alice_client, alice):
    response = alice_client.post(reverse("moderation:block", args=[alice.pk]), follow=True)
    assert "You cannot block yourself." in response.content.decode()
    assert not Block.objects.exists()


def test_member_unblocks_from_the_profile(alice_client, alice, bob):
    actions.block_member(alice, bob)
    response = alice_client.post(reverse("moderation:unblock", args=[bob.pk]))
    assert response.status_code == 302
    assert not has_blocked(alice.pk, bob.pk)


def test_blocked_list_in_account_settings_shows_and_unblocks(alice_client, alice, bob):
    actions.block_member(alice, bob)
    url = reverse("moderation:blocked")
    page = alice_client.get(url).content.decode()
    assert "Bob Okafor" in page
    assert reverse("moderation:unblock", args=[bob.pk]) in page
    assert 'aria-current="page"' in page  # the settings navigation marks this page
    response = alice_client.post(reverse("moderation:unblock", args=[bob.pk]))
    assert response["Location"] == url
    assert "You have unblocked Bob Okafor." in alice_client.get(url).content.decode()
    assert "You have not blocked anyone." in alice_client.get(url).content.decode()


def test_blocked_list_shows_only_your_own_blocks(alice_client, bob, carol):
    actions.block_member(bob, carol)
    assert "Carol Reyes" not in alice_client.get(reverse("moderation:blocked")).content.decode()


def test_blocked_list_takes_the_same_queries_for_one_or_ten_blocks(
    alice_client, alice, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    members = UserFactory.create_batch(10)
    actions.block_member(alice, members[0])
    with CaptureQueriesContext(connection) as with_one:
        alice_client.get(reverse("moderation:blocked"))
    for member in members[1:]:
        actions.block_member(alice, member)
    with django_assert_num_queries(len(with_one)):
        alice_client.get(reverse("moderation:blocked"))


@pytest.mark.parametrize("name", ["block", "unblock"])
def test_block_views_need_a_signed_in_member_and_post(client, bob, name):
    url = reverse(f"moderation:{name}", args=[bob.pk])
    response = client.post(url)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    client.force_login(UserFactory())
    assert client.get(url).status_code == 405


def test_blocked_list_needs_a_signed_in_member(client):
    response = client.get(reverse("moderation:blocked"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


@pytest.mark.parametrize("user_id", [999999, 99999999999999999999999])
def test_blocking_no_such_member_is_404(alice_client, user_id):
    assert alice_client.post(f"/moderation/blocked/{user_id}/block").status_code == 404
    assert alice_client.post(f"/moderation/blocked/{user_id}/unblock").status_code == 404


def test_inactive_members_cannot_be_blocked(alice_client):
    gone = UserFactory(is_active=False)
    assert alice_client.post(reverse("moderation:block", args=[gone.pk])).status_code == 404


def test_block_ignores_a_next_address_on_another_site(alice_client, bob):
    response = alice_client.post(
        reverse("moderation:block", args=[bob.pk]), {"next": "//evil.example/"}
    )
    assert response["Location"] == bob.profile.get_absolute_url()
