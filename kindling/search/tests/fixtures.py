"""Fixtures for tests of semantic similarity, shared by the search and expertise apps.

The root ``conftest.py`` loads this module as a pytest plugin, so every test can ask for them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest


@pytest.fixture
def semantic_on(  # type: ignore[no-untyped-def]
    settings, django_capture_on_commit_callbacks
) -> Callable[..., Any]:
    """The model on, and tasks run as soon as the writing transaction commits. Returns
    ``committed(factory, **kwargs)``: the factory's object, with its vectors written."""
    settings.SEMANTIC_SEARCH = True
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

    def committed(factory, **kwargs):  # type: ignore[no-untyped-def]
        with django_capture_on_commit_callbacks(execute=True):
            return factory(**kwargs)

    return committed
