"""The notification list, reading, e-mail settings, follow buttons and the header count."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from kindling.accounts.tests.factories import UserFactory
from kindling.commons.tests.factories import (
    CircleFactory,
    CircleMembershipFactory,
    FreeTagFactory,
    NeedFactory,
)
from kindling.notifications.models import Follow, Notification, NotificationSettings
from kindling.notifications.queries import followed_ids, is_following
from kindling.notifications.tests.factories import (
    FollowFactory,
    NotificationFactory,
    NotificationSettingsFactory,
)

pytestmark = pytest.mark.django_db

LIST = reverse("notifications:list")
SETTINGS = reverse("notifications:settings")
FOLLOW = reverse("notifications:follow")
UNFOLLOW = reverse("notifications:unfollow")


# --- Anonymous visitors -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", LIST),
        ("post", reverse("notifications:read", args=[1])),
        ("post", reverse("notifications:read_all")),
        ("get", SETTINGS),
        ("post", FOLLOW),
        ("post", UNFOLLOW),
    ],
)
def test_anonymous_visitors_are_sent_to_sign_in(client, method, url):
    response = getattr(client, method)(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_anonymous_visitors_see_no_notification_link(client, db):
    assert b"Notifications" not in client.get(reverse("home")).content


# --- The list ---------------------------------------------------------------------------------


def test_the_list_shows_newest_first_with_unread_marked(alice_client, alice, bob):
    older = NotificationFactory(
        recipient=alice, need=NeedFactory(author=bob, title="Older need"), read_at=timezone.now()
    )
    newer = NotificationFactory(recipient=alice, need=NeedFactory(author=bob, title="Newer need"))

    response = alice_client.get(LIST)

    assert response.status_code == 200
    assert [n.pk for n in response.context["page"].object_list] == [newer.pk, older.pk]
    html = response.content.decode()
    assert html.index("Newer need") < html.index("Older need")
    assert "notification--unread" in html
    assert reverse("notifications:read", args=[newer.pk]) in html
    assert f'href="{older.target_url}"' in html


def test_members_see_only_their_own_notifications(alice_client, alice, bob):
    NotificationFactory(recipient=bob, summary="For Bob only")

    response = alice_client.get(LIST)

    assert b"For Bob only" not in response.content
    assert b"Nothing yet" in response.content


def test_the_list_hides_notifications_from_an_invite_only_circle_the_member_left(
    alice_client, alice, bob
):
    circle = CircleFactory(visibility="invite")
    NotificationFactory(
        recipient=alice, need=NeedFactory(author=bob, circle=circle, title="Secret")
    )
    joined = CircleFactory(visibility="invite")
    CircleMembershipFactory(circle=joined, user=alice)
    NotificationFactory(
        recipient=alice, need=NeedFactory(author=bob, circle=joined, title="Shared")
    )

    response = alice_client.get(LIST)

    assert b"Secret" not in response.content
    assert b"Shared" in response.content


def test_the_list_takes_a_fixed_number_of_queries(
    alice_client, alice, bob, django_assert_num_queries
):
    for _ in range(3):
        NotificationFactory(recipient=alice)
    # session, user, count, page, unread count in the header
    with django_assert_num_queries(5):
        alice_client.get(LIST)
    for _ in range(20):
        NotificationFactory(recipient=alice, actor=UserFactory())
    with django_assert_num_queries(5):
        alice_client.get(LIST)


def test_the_list_is_paginated(alice_client, alice):
    for _ in range(31):
        NotificationFactory(recipient=alice)

    response = alice_client.get(LIST, {"page": 2})

    assert len(response.context["page"].object_list) == 1


# --- Reading ----------------------------------------------------------------------------------


def test_opening_a_notification_marks_it_read_and_goes_to_its_target(alice_client, alice):
    notification = NotificationFactory(recipient=alice)

    response = alice_client.post(reverse("notifications:read", args=[notification.pk]))

    assert response.status_code == 302
    assert response["Location"] == notification.target_url
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_members_cannot_mark_someone_elses_notification(alice_client, bob):
    notification = NotificationFactory(recipient=bob)

    response = alice_client.post(reverse("notifications:read", args=[notification.pk]))

    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_reading_needs_a_post(alice_client, alice):
    notification = NotificationFactory(recipient=alice)

    assert (
        alice_client.get(reverse("notifications:read", args=[notification.pk])).status_code == 405
    )


def test_marking_all_read_leaves_others_notifications_alone(alice_client, alice, bob):
    NotificationFactory(recipient=alice)
    NotificationFactory(recipient=alice)
    NotificationFactory(recipient=bob)

    response = alice_client.post(reverse("notifications:read_all"))

    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=alice, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=bob, read_at__isnull=True).count() == 1


def test_the_list_heading_keeps_its_actions_in_one_block(alice_client, alice):
    # Not a <p>: a form inside a paragraph ends it when parsed, scattering the actions.
    NotificationFactory(recipient=alice)
    page = alice_client.get(reverse("notifications:list")).content.decode()
    assert '<p class="notifications__actions">' not in page
    actions = page.split('<div class="notifications__actions">', 1)[1].split("</div>", 1)[0]
    assert "E-mail settings" in actions
    assert "Mark all as read" in actions


# --- Header count -----------------------------------------------------------------------------


def test_the_header_shows_the_unread_count_for_screen_readers_too(alice_client, alice):
    NotificationFactory(recipient=alice)
    NotificationFactory(recipient=alice)
    NotificationFactory(recipient=alice, read_at=timezone.now())

    html = alice_client.get(reverse("accounts:me"), follow=True).content.decode()

    assert '<span class="notification-badge">2<span class="visually-hidden"> unread</span>' in html


def test_the_header_shows_no_badge_when_everything_is_read(alice_client, alice):
    NotificationFactory(recipient=alice, read_at=timezone.now())

    html = alice_client.get(LIST).content.decode()

    assert "notification-badge" not in html


def test_the_unread_count_stops_counting_at_its_limit(alice, monkeypatch):
    from kindling.notifications import queries

    monkeypatch.setattr(queries, "UNREAD_COUNT_LIMIT", 3)
    NotificationFactory.create_batch(4, recipient=alice)

    assert queries.unread_count(alice) == 3


def test_the_header_count_caps_its_display_at_99_plus(alice_client, alice):
    NotificationFactory.create_batch(100, recipient=alice)

    assert b'notification-badge">99+' in alice_client.get(LIST).content


# --- E-mail settings --------------------------------------------------------------------------


def test_a_member_chooses_email_right_away(alice_client, alice):
    response = alice_client.post(SETTINGS, {"email_mode": "immediate"})

    assert response.status_code == 302
    assert NotificationSettings.objects.get(user=alice).email_mode == "immediate"


def test_the_settings_page_starts_on_the_daily_digest(alice_client, alice):
    response = alice_client.get(SETTINGS)

    assert response.status_code == 200
    assert response.context["form"]["email_mode"].value() == "daily"
    assert b'aria-current="page">Notifications' in response.content


def test_an_unknown_email_choice_is_refused_with_a_message(alice_client, alice):
    NotificationSettingsFactory(user=alice, email_mode="off")

    response = alice_client.post(SETTINGS, {"email_mode": "hourly"})

    assert response.status_code == 200
    assert response.context["form"].errors["email_mode"]
    assert NotificationSettings.objects.get(user=alice).email_mode == "off"


# --- Following --------------------------------------------------------------------------------


def test_following_a_tag_returns_to_the_page(alice_client, alice):
    tag = FreeTagFactory()

    response = alice_client.post(FOLLOW, {"kind": "tag", "object_id": tag.pk, "next": "/needs/"})

    assert response.status_code == 302
    assert response["Location"] == "/needs/"
    assert is_following(alice, "tag", tag.pk)
    assert followed_ids(alice, "tag") == {tag.pk}


def test_following_twice_is_harmless(alice_client, alice):
    tag = FreeTagFactory()
    data = {"kind": "tag", "object_id": tag.pk}

    alice_client.post(FOLLOW, data)
    alice_client.post(FOLLOW, data)

    assert Follow.objects.filter(user=alice).count() == 1


def test_next_pointing_off_site_is_ignored(alice_client):
    tag = FreeTagFactory()

    response = alice_client.post(
        FOLLOW, {"kind": "tag", "object_id": tag.pk, "next": "https://evil.example/"}
    )

    assert response["Location"] == reverse("home")


def test_with_htmx_following_returns_the_pressed_button(alice_client, alice, bob):
    response = alice_client.post(
        FOLLOW,
        {"kind": "user", "object_id": bob.pk, "next": "/members/"},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-pressed="true"' in html
    assert f'action="{UNFOLLOW}"' in html
    assert 'value="/members/"' in html


def test_unfollowing_with_htmx_returns_the_unpressed_button(alice_client, alice):
    need = NeedFactory()
    FollowFactory(user=alice, kind="need", object_id=need.pk)

    response = alice_client.post(
        UNFOLLOW, {"kind": "need", "object_id": need.pk}, headers={"HX-Request": "true"}
    )

    assert 'aria-pressed="false"' in response.content.decode()
    assert not is_following(alice, "need", need.pk)


def test_unfollowing_what_you_do_not_follow_is_harmless(alice_client):
    response = alice_client.post(UNFOLLOW, {"kind": "tag", "object_id": 999999})

    assert response.status_code == 302


def test_a_member_can_follow_an_open_circle_and_one_they_belong_to(alice_client, alice):
    open_circle = CircleFactory()
    private = CircleFactory(visibility="invite")
    CircleMembershipFactory(circle=private, user=alice)

    for circle in (open_circle, private):
        assert (
            alice_client.post(FOLLOW, {"kind": "circle", "object_id": circle.pk}).status_code == 302
        )

    assert followed_ids(alice, "circle") == {open_circle.pk, private.pk}


def test_a_member_cannot_follow_an_invite_only_circle_they_are_not_in(alice_client, alice):
    private = CircleFactory(visibility="invite")

    response = alice_client.post(FOLLOW, {"kind": "circle", "object_id": private.pk})

    assert response.status_code == 404
    assert not Follow.objects.exists()


def test_a_member_cannot_follow_a_need_they_cannot_see(alice_client, bob):
    hidden = NeedFactory(author=bob, is_hidden=True)
    private = NeedFactory(author=bob, circle=CircleFactory(visibility="invite"))

    for need in (hidden, private):
        assert alice_client.post(FOLLOW, {"kind": "need", "object_id": need.pk}).status_code == 404
    assert not Follow.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "tag", "object_id": 999999},
        {"kind": "user", "object_id": 999999},
        {"kind": "planet", "object_id": 1},
        {"kind": "tag", "object_id": "abc"},
        {"kind": "tag", "object_id": 2**70},
        {},
    ],
)
def test_following_something_unknown_is_404(alice_client, data):
    assert alice_client.post(FOLLOW, data).status_code == 404


def test_a_member_cannot_follow_themself(alice_client, alice):
    assert alice_client.post(FOLLOW, {"kind": "user", "object_id": alice.pk}).status_code == 404


def test_following_needs_a_post(alice_client):
    assert alice_client.get(FOLLOW).status_code == 405


def test_other_apps_can_include_the_follow_button(rf, alice):
    from django.template.loader import render_to_string

    request = rf.get("/needs/7/")
    request.user = alice
    html = render_to_string(
        "notifications/partials/follow_button.html",
        {"kind": "need", "object_id": 7, "following": False},
        request=request,
    )

    assert f'action="{FOLLOW}"' in html
    assert 'name="next" value="/needs/7/"' in html
    assert "Follow this need" in html


@pytest.mark.parametrize("role", ["outsider", "member", "moderator"])
def test_the_unread_count_applies_the_same_circle_rule_as_the_inbox(role):
    from kindling.notifications import queries

    reader = UserFactory(is_moderator=role == "moderator")
    secret = CircleFactory(visibility="invite")
    open_circle = CircleFactory(visibility="open")
    if role == "member":
        CircleMembershipFactory(circle=secret, user=reader)
    NotificationFactory(recipient=reader)
    NotificationFactory(recipient=reader, circle=open_circle)
    NotificationFactory.create_batch(2, recipient=reader, circle=secret)
    NotificationFactory(recipient=reader, read_at=timezone.now())
    NotificationFactory()  # someone else's

    inbox = queries.notifications_for(reader).filter(read_at__isnull=True).count()
    assert queries.unread_count(reader) == inbox == (2 if role == "outsider" else 4)
