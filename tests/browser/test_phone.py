"""Kindling on a phone (360 px wide): nothing scrolls sideways, and axe is still clean."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from kindling.accounts.tests.factories import PASSWORD, UserFactory
from tests.browser.checks import JOURNEY, check_page, sign_in

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = JOURNEY

PHONE_WIDTH = 360


def assert_fits_the_screen(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{page.url} is {width}px wide on a {PHONE_WIDTH}px screen"


@pytest.mark.browser
def test_home_and_member_list_fit_a_phone(phone_page):
    page = phone_page
    assert page.viewport_size["width"] == PHONE_WIDTH
    UserFactory(
        email="ana@example.org",
        profile__display_name="Ana Lucía Featherstonehaugh-Montgomery",
        profile__pronouns="she/her",
        profile__pronunciation="AH-nah loo-SEE-ah FAN-shaw MONT-gum-ree",
        profile__languages=["en", "es", "qu"],
        profile__subjects=["science", "computer_science", "english_learners"],
    )
    UserFactory(
        email="kwame@example.org", profile__display_name="Kwame Mensah", profile__role="coach"
    )

    page.goto("/")
    check_page(page)
    assert_fits_the_screen(page)

    sign_in(page, "kwame@example.org", PASSWORD)
    assert_fits_the_screen(page)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Members").click()
    page.wait_for_url("**/members/")
    check_page(page)
    assert_fits_the_screen(page)
    assert page.get_by_role("link", name="Ana Lucía Featherstonehaugh-Montgomery").is_visible()
    assert page.get_by_text("2 members").is_visible()


@pytest.mark.browser
def test_search_results_come_before_the_filters_on_a_phone(phone_page):
    from kindling.commons.tests.factories import ResourceFactory

    page = phone_page
    UserFactory(email="kwame@example.org", profile__display_name="Kwame Mensah")
    for n in range(3):
        ResourceFactory(title=f"Kite diagrams {n}", body="Wind and kites.")

    sign_in(page, "kwame@example.org", PASSWORD)
    page.goto("/search/?q=kite")
    check_page(page)
    assert_fits_the_screen(page)
    first_hit = page.locator(".search-hit").first.bounding_box()
    filters = page.get_by_role("complementary", name="Refine").bounding_box()
    assert first_hit is not None
    assert filters is not None
    assert first_hit["y"] < filters["y"]
    page.get_by_role("link", name="Refine by type and tag").click()
    page.wait_for_url("**#refine")
    assert (
        page.get_by_role("complementary", name="Refine")
        .get_by_role("link", name="Resources")
        .is_visible()
    )
