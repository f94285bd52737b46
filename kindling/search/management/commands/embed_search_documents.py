"""Compute the semantic vectors of resources and needs (the ``semantic`` extra) in batches."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kindling.search import semantic


class Command(BaseCommand):
    help = (
        "Compute missing or stale semantic vectors of resources and needs, in batches "
        "(needs the semantic extra; run rebuild_search_index first on a new database)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=semantic.BATCH_SIZE)
        parser.add_argument(
            "--all", action="store_true", help="Recompute every vector, changed or not."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if semantic.encoder() is None:
            raise CommandError(
                "Semantic search is off: set SEMANTIC_SEARCH=true and install the extra "
                '(pip install -e ".[semantic]").'
            )
        started = time.monotonic()
        verbose = options["verbosity"] > 1
        written = semantic.embed_all(
            batch_size=max(1, options["batch_size"]),
            force=options["all"],
            log=self.stdout.write if verbose else None,
        )
        for kind, count in written.items():
            self.stdout.write(f"{kind}: {count}")
        total = sum(written.values())
        self.stdout.write(f"Wrote {total} vectors in {time.monotonic() - started:.1f} s.")
