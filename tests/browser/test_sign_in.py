"""Signing in and out as an existing member."""

from __future__ import annotations

import pytest

from kindling.accounts.tests.factories import PASSWORD, UserFactory
from tests.browser.checks import JOURNEY, check_page

pytestmark = JOURNEY


@pytest.mark.browser
def test_a_member_signs_in_and_out(page):
    UserFactory(email="mara@example.org", profile__display_name="Mara Lindqvist")
    page.goto("/")
    check_page(page)
    page.get_by_role("main").get_by_role("link", name="Sign in").click()
    page.wait_for_url("**/accounts/login/")
    check_page(page)

    page.get_by_label("Email").fill("mara@example.org")
    page.get_by_label("Password", exact=False).first.fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    check_page(page)
    account = page.get_by_role("navigation", name="Account")
    assert account.get_by_role("button", name="Sign out").is_visible()
    account.get_by_role("link", name="My profile").click()
    page.wait_for_url("**/members/*/")
    check_page(page)
    assert page.get_by_role("heading", level=1).inner_text() == "Mara Lindqvist"

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state("load")
    check_page(page)
    assert (
        page.get_by_role("navigation", name="Account")
        .get_by_role("link", name="Sign in")
        .is_visible()
    )
    assert not page.get_by_role("button", name="Sign out").count()


@pytest.mark.browser
def test_a_wrong_password_is_refused_with_an_explanation(page):
    UserFactory(email="mara@example.org")
    page.goto("/accounts/login/")
    check_page(page)
    page.get_by_label("Email").fill("mara@example.org")
    page.get_by_label("Password", exact=False).first.fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("load")
    check_page(page)

    assert "/accounts/login/" in page.url
    assert page.get_by_text("not correct").is_visible()
    assert page.get_by_label("Email").input_value() == "mara@example.org"
    assert (
        page.get_by_role("navigation", name="Account")
        .get_by_role("link", name="Sign in")
        .is_visible()
    )
