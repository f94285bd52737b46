"""Notifications: a member follows a need, hears about a response, opens it, chooses e-mail, and
unsubscribes from a link without signing in."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from kindling.accounts.tests.factories import PASSWORD, UserFactory
from kindling.commons.actions import respond_to_need
from kindling.commons.tests.factories import NeedFactory
from kindling.notifications.models import Notification, NotificationSettings
from kindling.notifications.queries import is_following
from tests.browser.checks import JOURNEY, check_page, sign_in

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = JOURNEY


@pytest.mark.browser
def test_a_follower_hears_about_a_response_and_opens_it(page: Page):
    asker = UserFactory(profile__display_name="Ana Asker")
    carol = UserFactory(email="carol@example.org", profile__display_name="Carol Follower")
    bob = UserFactory(profile__display_name="Bob Responder")
    need = NeedFactory(author=asker, title="A project rubric by tomorrow")

    sign_in(page, carol.email, PASSWORD)
    page.goto(need.get_absolute_url())
    check_page(page)
    follow = page.get_by_role("button", name="Follow this need")
    assert follow.get_attribute("aria-pressed") == "false"
    follow.click()
    page.wait_for_selector("button.follow-button[aria-pressed='true']")
    check_page(page)
    assert is_following(carol, "need", need.pk)

    respond_to_need(need, author=bob, body="Co-write the criteria with your students.")
    page.reload()
    account = page.get_by_role("navigation", name="Account")
    account.get_by_role("link", name="Notifications 1 unread").click()
    page.wait_for_url("**/notifications/")
    check_page(page)
    page.get_by_role(
        "button", name="Bob Responder responded to “A project rubric by tomorrow”"
    ).click()
    page.wait_for_url(lambda url: f"{need.get_absolute_url()}#response-" in url)
    check_page(page)
    assert Notification.objects.get(recipient=carol).read_at is not None
    assert account.get_by_role("link", name="Notifications", exact=True).count() == 1

    page.goto("/notifications/settings/")
    check_page(page)
    page.get_by_label("Right away: one e-mail for each notification").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state("load")
    check_page(page)
    row = NotificationSettings.objects.get(user=carol)
    assert row.email_mode == "immediate"

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state("load")
    page.goto(f"/notifications/unsubscribe/{row.unsubscribe_token}/")
    check_page(page)
    page.get_by_role("button", name="Stop the e-mails").click()
    page.wait_for_load_state("load")
    check_page(page)
    row.refresh_from_db()
    assert row.email_mode == "off"


@pytest.mark.browser
def test_the_notification_list_fits_a_phone(phone_page):
    page = phone_page
    member = UserFactory(email="pat@example.org")
    need = NeedFactory(title="Ideas for a very-long-worded-interdisciplinary-design-challenge")
    Notification.objects.create(
        recipient=member,
        actor=need.author,
        verb="new_need",
        target_kind="need",
        target_id=need.pk,
        target_url=need.get_absolute_url(),
        summary=need.title,
    )

    sign_in(page, member.email, PASSWORD)
    page.goto("/notifications/")
    check_page(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
