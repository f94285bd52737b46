"""Rebuild the whole search index from the database."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kindling.search.actions import BATCH_SIZE, rebuild_index


class Command(BaseCommand):
    help = "Rebuild the search index (resources, needs, responses, circles, people) in batches."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        counts = rebuild_index(batch_size=max(1, options["batch_size"]), log=self.stdout.write)
        for kind, count in counts.items():
            self.stdout.write(f"{kind}: {count}")
        total = sum(counts.values())
        self.stdout.write(f"Indexed {total} documents in {time.monotonic() - started:.1f} s.")
