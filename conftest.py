"""Personas shared by every test.

Alice is a teacher with a complete profile; Bob is another member who can see Alice's profile;
an anonymous visitor can see neither.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from kindling.accounts.models import User
from kindling.accounts.tests.factories import UserFactory
from kindling.core import snapshot
from kindling.core.snapshot import clear_all as clear_snapshots

# Fixtures more than one app's tests use.
pytest_plugins = ["kindling.search.tests.fixtures"]

# Snapshots are built again in the asking thread: a test's writes sit in a transaction that
# a building thread's own connection would not see (the background path has its own tests).
snapshot.BACKGROUND = False


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    # A request in Spanish leaves Spanish active in this thread (LocaleMiddleware activates it and
    # nothing resets it), so each test starts and ends in the default language.
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    # Each test starts with an empty cache: a card cached by an earlier test for a row that had
    # the same id (the database reuses them after a rollback) must not show up in this one.
    # The same goes for values each process keeps (who can help's index, need vectors).
    cache.clear()
    clear_snapshots()


@pytest.fixture
def alice(db: None) -> User:
    return UserFactory(
        email="alice@example.org",
        profile__display_name="Alice Martín",
        profile__pronunciation="AL-iss mar-TEEN",
        profile__languages=["en", "es"],
        profile__subjects=["science"],
        profile__grade_bands=["6-8"],
    )


@pytest.fixture
def bob(db: None) -> User:
    return UserFactory(email="bob@example.org", profile__display_name="Bob Okafor")


@pytest.fixture
def alice_client(alice):  # type: ignore[no-untyped-def]
    # Each persona gets their own browser, so a test can act as both.
    client = Client()
    client.force_login(alice)
    return client


@pytest.fixture
def bob_client(bob):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(bob)
    return client
