"""Moderation personas: Mona moderates; Carol and Dan are two more members who can flag."""

from __future__ import annotations

import pytest

from kindling.accounts.models import User
from kindling.accounts.tests.factories import UserFactory


@pytest.fixture
def mona(db: None) -> User:
    return UserFactory(
        email="mona@example.org", is_moderator=True, profile__display_name="Mona Moderator"
    )


@pytest.fixture
def carol(db: None) -> User:
    return UserFactory(email="carol@example.org", profile__display_name="Carol Reyes")


@pytest.fixture
def dan(db: None) -> User:
    return UserFactory(email="dan@example.org", profile__display_name="Dan Ito")


@pytest.fixture
def mona_client(client, mona):  # type: ignore[no-untyped-def]
    client.force_login(mona)
    return client
