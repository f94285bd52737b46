"""How long ago something happened, in the words every byline and notice uses."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext


def ago(when: datetime, now: datetime | None = None) -> str:
    """ "just now" under a minute (``timesince`` would say "0 minutes"), else "3 days ago"."""
    now = now or timezone.now()
    if (now - when).total_seconds() < 60:
        return gettext("just now")
    return gettext("%(ago)s ago") % {"ago": timesince(when, now=now)}
