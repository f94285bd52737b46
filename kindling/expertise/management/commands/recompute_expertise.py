"""``manage.py recompute_expertise``: recompute every member's expertise (after an import)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from kindling.expertise.actions import recompute_all_expertise


class Command(BaseCommand):
    help = "Recompute every member's computed expertise and helper profile."

    def handle(self, *args: Any, **options: Any) -> None:
        written = recompute_all_expertise()
        self.stdout.write(f"Recomputed expertise: {written} rows written.")
