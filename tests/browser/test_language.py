"""Reading Kindling in Spanish, chosen with the footer's language switcher."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.browser.checks import JOURNEY, check_page

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = JOURNEY


def switch_to_spanish(page: Page) -> None:
    page.goto("/")
    check_page(page)
    footer = page.get_by_role("contentinfo")
    footer.get_by_label("Language").select_option(label="Español")
    footer.get_by_role("button", name="Change language").click()
    page.wait_for_function("document.documentElement.lang === 'es'")
    check_page(page)


@pytest.mark.browser
def test_a_visitor_switches_to_spanish_and_it_sticks(page: Page):
    switch_to_spanish(page)
    assert page.locator("html[lang=es]").count() == 1
    assert page.locator("#language-select").input_value() == "es"

    page.locator(".site-nav a[href='/habits/']").click()
    page.wait_for_url("**/habits/")
    check_page(page)
    assert page.locator("html[lang=es]").count() == 1
    assert page.locator(".habit-cards > li").count() == 16


@pytest.mark.browser
def test_the_habits_read_in_spanish(page: Page):
    switch_to_spanish(page)
    page.goto("/habits/")
    check_page(page)
    assert page.locator("html[lang=es]").count() == 1
    # Needs the Spanish catalogue (locale/es) to be compiled.
    assert page.get_by_role("heading", level=1).inner_text() == "Hábitos de la mente"
