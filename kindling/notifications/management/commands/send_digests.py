"""Send the daily notification digests; cron runs this once a day."""

from typing import Any

from django.core.management.base import BaseCommand

from kindling.notifications.actions import send_daily_digests


class Command(BaseCommand):
    help = (
        "E-mail each member who chose the daily digest what they have not read yet. "
        "Safe to run again: a member gets at most one digest in 20 hours."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_daily_digests()
        self.stdout.write(f"Sent {sent} digest(s).")
