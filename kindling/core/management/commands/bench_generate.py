"""Fill an empty database with a generated community for the speed benchmarks (bench/)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Fill an EMPTY database with a generated community (default: 10,000 members, 100,000 "
        "resources and needs, 300,000 responses) for the benchmarks in bench/."
    )

    def add_arguments(self, parser: Any) -> None:
        from bench.generate import add_arguments

        add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        from bench.generate import run_from_options

        status = run_from_options(options, self.stdout.write)
        if status:
            raise CommandError("Stopped: see the message above.", returncode=status)
