"""Making posting forms safe to submit twice (a double click, a resend after a slow reply).

Each posting form carries a random token. The first submit that succeeds records the token with
the URL of what it created, in the same transaction; a later submit with the same token is sent
to that URL instead of creating a duplicate.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.db import IntegrityError, transaction
from django.utils import timezone

from kindling.core.models import FormSubmission

# A form's token guards against its being sent twice: by a double click, a resend after a slow
# reply, a tab reopened days later. After this long it is forgotten (``forget_old_tokens``).
TOKEN_DAYS = 30


class SubmissionTokenField(forms.UUIDField):
    """A hidden field holding the form's one-time token (a fresh one on every blank form)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("initial", uuid.uuid4)
        super().__init__(**kwargs)


def earlier_result(user: Any, token: uuid.UUID | None) -> str | None:
    """The URL of what this token already created for this member, if anything."""
    if token is None:
        return None
    return (
        FormSubmission.objects.filter(token=token, user_id=user.pk)
        .values_list("result_url", flat=True)
        .first()
    )


def submit_once(user: Any, token: uuid.UUID | None, create: Callable[[], Any]) -> tuple[str, bool]:
    """Run ``create`` unless the token was used: (URL of what it made or made before, is new)."""
    if token is None:
        return create().get_absolute_url(), True
    done = earlier_result(user, token)
    if done is not None:
        return done, False
    try:
        with transaction.atomic():
            result = create()
            url = result.get_absolute_url()
            FormSubmission.objects.create(token=token, user=user, result_url=url)
    except IntegrityError:
        # Another request with the same token won the race: its result stands.
        winner = earlier_result(user, token)
        if winner is None:
            raise
        return winner, False
    return url, True


def forget_old_tokens(now: datetime | None = None) -> int:
    """Delete the tokens older than ``TOKEN_DAYS``; returns how many."""
    cutoff = (now or timezone.now()) - timedelta(days=TOKEN_DAYS)
    deleted, _by_model = FormSubmission.objects.filter(created_at__lt=cutoff).delete()
    return deleted
