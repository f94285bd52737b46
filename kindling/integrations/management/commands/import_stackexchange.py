"""manage.py import_stackexchange DUMP_DIR: bring a Stack Exchange community into Kindling."""

from __future__ import annotations

from argparse import ArgumentParser, ArgumentTypeError
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from kindling.integrations.stackexchange.importer import import_dump


def aware_datetime(value: str) -> datetime:
    """An ISO date or date-time from the command line; UTC when it names no zone."""
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ArgumentTypeError(
            f"{value!r} is not a date; write it like 2021-09-01 or 2021-09-01T12:00:00+00:00"
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


class Command(BaseCommand):
    help = (
        "Import a Stack Exchange data dump (a folder with Users.xml, Posts.xml and optionally "
        "Comments.xml, Votes.xml, Tags.xml, PostLinks.xml). Running it again updates what it "
        "imported before. Nothing is written if a file cannot be read."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("dump_dir", type=Path, help="Folder of the unpacked dump.")
        parser.add_argument(
            "--until",
            type=aware_datetime,
            help="Import only what was posted strictly before this moment (UTC by default).",
        )
        parser.add_argument(
            "--site",
            help="Host name of the community, e.g. cardano.stackexchange.com "
            "(default: from the dump's README or folder name).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        verbose = options["verbosity"] > 1
        report = import_dump(
            options["dump_dir"],
            until=options["until"],
            site=options["site"],
            log=(lambda message: self.stderr.write(message)) if verbose else None,
        )
        for line in report.summary_lines():
            self.stdout.write(line)
