"""Joining Kindling: sign up, verify the e-mail address, arrive signed in."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from django.core import mail
from playwright.sync_api import expect

from kindling.accounts.models import User
from tests.browser.checks import JOURNEY, check_page

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = JOURNEY

PASSWORD = "a long and unusual phrase 42"


def open_signup_from_home(page: Page) -> None:
    page.goto("/")
    check_page(page)
    page.get_by_role("main").get_by_role("link", name="Join Kindling").click()
    page.wait_for_url("**/accounts/signup/")
    check_page(page)


@pytest.mark.browser
def test_a_visitor_joins_verifies_their_address_and_is_signed_in(page: Page):
    open_signup_from_home(page)
    password = page.get_by_label("Password", exact=True)
    # The password rules are read out with the field, not only shown under it.
    expect(password).to_have_accessible_description(re.compile("at least 8 characters"))
    page.get_by_label("Your name, as others will see it").fill("Rosa Quispe")
    page.get_by_label("Email").fill("rosa@example.org")
    password.fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_label("I have read the code of conduct and agree to follow it.").check()
    page.get_by_role("button", name="Create my account").click()
    page.wait_for_url("**/accounts/confirm-email/")
    check_page(page)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["rosa@example.org"]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body)
    assert link, message.body
    path = re.sub(r"^https?://[^/]+", "", link.group(0))
    page.goto(path)
    check_page(page)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(lambda url: "/confirm-email/" not in url)
    check_page(page)

    account = page.get_by_role("navigation", name="Account")
    assert account.get_by_role("button", name="Sign out").is_visible()
    assert account.get_by_role("link", name="My profile").is_visible()
    user = User.objects.get(email="rosa@example.org")
    assert user.emailaddress_set.get().verified
    assert user.profile.display_name == "Rosa Quispe"


@pytest.mark.browser
def test_joining_without_accepting_the_code_of_conduct_keeps_what_was_typed(page: Page):
    open_signup_from_home(page)
    page.get_by_label("Your name, as others will see it").fill("Rosa Quispe")
    page.get_by_label("Email").fill("rosa@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    page.wait_for_load_state("load")
    check_page(page)

    assert page.get_by_text("Please read and accept the code of conduct to join.").is_visible()
    assert page.get_by_label("Your name, as others will see it").input_value() == "Rosa Quispe"
    assert page.get_by_label("Email").input_value() == "rosa@example.org"
    assert not page.get_by_label(
        "I have read the code of conduct and agree to follow it."
    ).is_checked()
    assert not User.objects.filter(email="rosa@example.org").exists()
    assert mail.outbox == []
