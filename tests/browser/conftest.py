"""Chromium and pages for the browser journeys.

The journeys drive Debian's Chromium (``/usr/bin/chromium``) through Playwright's sync API
against pytest-django's ``live_server``; ``checks.check_page`` is run on every page they visit.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from importlib import import_module
from typing import TYPE_CHECKING

import pytest

from tests.browser.checks import CHROMIUM, assert_no_browser_problems, watch

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, ViewportSize
    from pytest_django.live_server_helper import LiveServer

# Playwright's sync API keeps an event loop running in this thread; Django would otherwise
# refuse database access from the tests ("You cannot call this from an async context").
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
]
DESKTOP: ViewportSize = {"width": 1280, "height": 800}
PHONE: ViewportSize = {"width": 360, "height": 740}


@pytest.fixture(autouse=True)
def fresh_site(transactional_db: None) -> None:
    """Start each journey from a site as the migrations left it, whatever ran before.

    Transactional tests flush the database, so the data migrations load (the sixteen habits and
    the fixed subject, grade-band and habit tags) are put back; the cache is emptied so other tests' rate limits and e-mail cool-downs (allauth sends
    one confirmation per address per few minutes) do not leak in. The flush leaves SQLite's
    full-text table (not a model) as it was: it is emptied too, or another journey's documents
    would count in this one's ranking, and match under the ids this one's documents reuse.
    """
    from django.apps import apps
    from django.core.cache import cache

    from kindling.search import fulltext

    fulltext.clear()

    habits = import_module("kindling.habits.migrations.0002_load_the_sixteen_habits")
    habits.load_habits(apps, None)
    tags = import_module("kindling.commons.migrations.0002_load_fixed_tags")
    tags.load_tags(apps, None)
    cache.clear()


@pytest.fixture
def established_members(settings):  # type: ignore[no-untyped-def]
    """Members who have taken part for a while: no new-member limits (they have their own
    journeys)."""
    settings.TRUST_LEVEL_UP_DAYS = 0
    settings.TRUST_LEVEL_UP_CONTRIBUTIONS = 0


@pytest.fixture
def lan(db):  # type: ignore[no-untyped-def]
    """A science teacher of grades 6 to 8, with a name written with diacritics."""
    from kindling.accounts.tests.factories import UserFactory

    return UserFactory(
        email="lan@example.org",
        profile__display_name="Nguyễn Thị Lan",
        profile__subjects=["science"],
        profile__grade_bands=["6-8"],
    )


@pytest.fixture
def kwame(db):  # type: ignore[no-untyped-def]
    """A colleague who writes resources and answers needs."""
    from kindling.accounts.tests.factories import UserFactory

    return UserFactory(email="kwame@example.org", profile__display_name="Kwame Mensah")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the whole session."""
    if not CHROMIUM.exists():
        pytest.skip(f"Debian's Chromium ({CHROMIUM}) is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


def _open_page(browser: Browser, live_server: LiveServer, viewport: ViewportSize) -> Iterator[Page]:
    context = browser.new_context(
        locale="en-US", viewport=viewport, base_url=live_server.url, permissions=["microphone"]
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    watch(page)
    try:
        yield page
        # A JavaScript error after the journey's last check (say, from a final click) counts too.
        assert_no_browser_problems(page)
    finally:
        context.close()


@pytest.fixture
def page(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    """A fresh desktop-sized page (1280x800, en-US) with its own cookies."""
    yield from _open_page(browser, live_server, DESKTOP)


@pytest.fixture
def phone_page(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    """A fresh phone-sized page (360x740, en-US) with its own cookies."""
    yield from _open_page(browser, live_server, PHONE)
