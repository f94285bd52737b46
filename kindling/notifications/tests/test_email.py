"""Notification e-mail: right away, as a daily digest, and the one-click unsubscribe."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from kindling.commons.tests.factories import CircleFactory, NeedFactory
from kindling.notifications import actions
from kindling.notifications.models import Notification, NotificationSettings
from kindling.notifications.tests.factories import (
    FollowFactory,
    NotificationFactory,
    NotificationSettingsFactory,
)

pytestmark = pytest.mark.django_db


# --- Right away -------------------------------------------------------------------------------


def test_a_member_who_chose_right_away_gets_an_email_through_the_task(
    alice, bob, immediate_tasks, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://kindling.example.org"
    row = NotificationSettingsFactory(user=bob, email_mode="immediate")
    FollowFactory(user=bob, kind="user", object_id=alice.pk)
    need = NeedFactory(author=alice, title="Project rubric by tomorrow")

    with django_capture_on_commit_callbacks(execute=True):
        actions.notify_new_need(need)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [bob.email]
    assert message.subject == "[Kindling] Alice Martín posted a need: “Project rubric by tomorrow”"
    unsubscribe = f"https://kindling.example.org/notifications/unsubscribe/{row.unsubscribe_token}/"
    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"https://kindling.example.org{need.get_absolute_url()}" in message.body
    assert unsubscribe in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert unsubscribe in html
    assert Notification.objects.get().emailed_at is not None


def test_members_on_the_daily_digest_or_off_get_no_email_right_away(
    alice, bob, carol, immediate_tasks, django_capture_on_commit_callbacks
):
    NotificationSettingsFactory(user=bob, email_mode="daily")
    NotificationSettingsFactory(user=carol, email_mode="off")
    FollowFactory(user=bob, kind="user", object_id=alice.pk)
    FollowFactory(user=carol, kind="user", object_id=alice.pk)

    with django_capture_on_commit_callbacks(execute=True):
        actions.notify_new_need(NeedFactory(author=alice))

    assert mail.outbox == []
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 2


def test_the_email_task_sends_each_notification_only_once(alice, bob):
    NotificationSettingsFactory(user=bob, email_mode="immediate")
    notification = NotificationFactory(recipient=bob)

    assert actions.send_notification_emails([notification.pk]) == 1
    assert actions.send_notification_emails([notification.pk]) == 0
    assert len(mail.outbox) == 1


def test_a_notification_read_before_the_task_runs_is_not_emailed(bob):
    NotificationSettingsFactory(user=bob, email_mode="immediate")
    notification = NotificationFactory(recipient=bob, read_at=timezone.now())

    assert actions.send_notification_emails([notification.pk]) == 0


def test_a_title_with_a_line_break_cannot_break_the_subject_header(alice, bob):
    NotificationSettingsFactory(user=bob, email_mode="immediate")
    notification = NotificationFactory(recipient=bob, summary="Line one\r\nBcc: x@example.org")

    actions.send_notification_emails([notification.pk])

    assert "\n" not in mail.outbox[0].subject


# --- Daily digest -----------------------------------------------------------------------------


@pytest.fixture
def send_digests(django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """Run the digests as the command does, with their after-commit e-mail."""

    def send(**kwargs):  # type: ignore[no-untyped-def]
        with django_capture_on_commit_callbacks(execute=True):
            return actions.send_daily_digests(**kwargs)

    return send


def test_the_daily_digest_groups_unread_notifications_into_one_email(
    alice, bob, carol, send_digests
):
    NotificationSettingsFactory(user=bob, email_mode="daily")
    first = NotificationFactory(recipient=bob, need=NeedFactory(author=alice, title="First need"))
    second = NotificationFactory(recipient=bob, need=NeedFactory(author=carol, title="Second need"))
    NotificationFactory(recipient=bob, read_at=timezone.now())

    assert send_digests() == 1

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [bob.email]
    assert message.subject == "[Kindling] 2 new notifications"
    assert "First need" in message.body
    assert "Second need" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.emailed_at is not None
    assert second.emailed_at is not None
    assert NotificationSettings.objects.get(user=bob).last_digest_at is not None


def test_running_the_digest_twice_sends_nothing_the_second_time(
    bob, django_capture_on_commit_callbacks
):
    NotificationSettingsFactory(user=bob, email_mode="daily")
    NotificationFactory(recipient=bob)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_digests", stdout=StringIO())
        call_command("send_digests", stdout=StringIO())

    assert len(mail.outbox) == 1


def test_the_next_days_digest_has_only_what_arrived_since(bob, send_digests):
    NotificationSettingsFactory(user=bob, email_mode="daily")
    NotificationFactory(recipient=bob, summary="Yesterday's need")
    now = timezone.now()
    send_digests(now=now)
    NotificationFactory(recipient=bob, summary="Today's need")

    assert send_digests(now=now + timedelta(hours=2)) == 0
    assert send_digests(now=now + timedelta(days=1)) == 1

    assert len(mail.outbox) == 2
    assert "Today's need" in mail.outbox[1].body
    assert "Yesterday's need" not in mail.outbox[1].body


def test_nothing_waiting_means_no_digest(bob, send_digests):
    NotificationSettingsFactory(user=bob, email_mode="daily")
    NotificationFactory(recipient=bob, read_at=timezone.now())

    assert send_digests() == 0
    assert mail.outbox == []


def test_members_who_chose_right_away_or_no_email_get_no_digest(bob, carol, send_digests):
    NotificationSettingsFactory(user=bob, email_mode="immediate")
    NotificationSettingsFactory(user=carol, email_mode="off")
    NotificationFactory(recipient=bob, emailed_at=None)
    NotificationFactory(recipient=carol)

    assert send_digests() == 0


def test_the_digest_leaves_out_circles_the_member_has_left(alice, bob, send_digests):
    NotificationSettingsFactory(user=bob, email_mode="daily")
    private = CircleFactory(visibility="invite")
    NotificationFactory(
        recipient=bob, need=NeedFactory(author=alice, circle=private, title="Secret")
    )
    NotificationFactory(recipient=bob, need=NeedFactory(author=alice, title="Public need"))

    send_digests()

    assert "Public need" in mail.outbox[0].body
    assert "Secret" not in mail.outbox[0].body
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


def test_a_long_digest_lists_the_newest_and_links_to_the_rest(bob, monkeypatch, send_digests):
    monkeypatch.setattr(actions, "DIGEST_MAX_ITEMS", 2)
    NotificationSettingsFactory(user=bob, email_mode="daily")
    for _ in range(5):
        NotificationFactory(recipient=bob)

    send_digests()

    assert mail.outbox[0].subject == "[Kindling] 5 new notifications"
    assert "…and 3 more" in mail.outbox[0].body


# --- Unsubscribe ------------------------------------------------------------------------------


def test_the_unsubscribe_link_asks_before_turning_email_off(client, bob):
    row = NotificationSettingsFactory(user=bob, email_mode="immediate")

    response = client.get(reverse("notifications:unsubscribe", args=[row.unsubscribe_token]))

    assert response.status_code == 200
    assert b"Stop the e-mails" in response.content
    row.refresh_from_db()
    assert row.email_mode == "immediate"


def test_one_click_unsubscribe_works_without_a_session_or_csrf_token(bob):
    from django.test import Client

    row = NotificationSettingsFactory(user=bob, email_mode="daily")
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        reverse("notifications:unsubscribe", args=[row.unsubscribe_token]),
        {"List-Unsubscribe": "One-Click"},
    )

    assert response.status_code == 200
    row.refresh_from_db()
    assert row.email_mode == "off"


def test_an_unknown_unsubscribe_token_gets_a_friendly_404(client, db):
    response = client.get(reverse("notifications:unsubscribe", args=["not-a-real-token"]))

    assert response.status_code == 404
    assert b"This unsubscribe link does not work" in response.content
    assert client.post(reverse("notifications:unsubscribe", args=["nope"])).status_code == 404


def test_unsubscribing_twice_is_harmless(client, bob):
    row = NotificationSettingsFactory(user=bob, email_mode="daily")
    url = reverse("notifications:unsubscribe", args=[row.unsubscribe_token])

    assert client.post(url).status_code == 200
    assert client.post(url).status_code == 200
    row.refresh_from_db()
    assert row.email_mode == "off"


def test_an_unsubscribe_link_opened_again_says_email_is_already_off(client, bob):
    row = NotificationSettingsFactory(user=bob, email_mode="off")

    response = client.get(reverse("notifications:unsubscribe", args=[row.unsubscribe_token]))

    assert b"already unsubscribed" in response.content
    assert b"Stop the e-mails" not in response.content
