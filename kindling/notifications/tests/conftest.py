"""Personas for notifications: Alice posts, Bob follows, Carol is a third member."""

from __future__ import annotations

import pytest

from kindling.accounts.models import User
from kindling.accounts.tests.factories import UserFactory


@pytest.fixture
def carol(db: None) -> User:
    return UserFactory(email="carol@example.org", profile__display_name="Carol Nguyen")


@pytest.fixture
def immediate_tasks(settings):  # type: ignore[no-untyped-def]
    """Run background tasks as they are queued, so their e-mail lands in mail.outbox."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
