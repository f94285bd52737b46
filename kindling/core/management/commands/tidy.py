"""Delete what is no longer needed; cron runs this once a day."""

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from kindling.core.submissions import TOKEN_DAYS, forget_old_tokens

# Finished background tasks kept in the database (TASK_BACKEND=database) are kept this long.
TASK_RESULT_DAYS = 14


class Command(BaseCommand):
    help = (
        "Delete expired sessions, posting forms' one-time tokens older than "
        f"{TOKEN_DAYS} days and, with tasks in the database, finished tasks older than "
        f"{TASK_RESULT_DAYS} days. Safe to run again at any time."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("clearsessions")
        tokens = forget_old_tokens()
        self.stdout.write(f"Deleted expired sessions and {tokens} old form token(s).")
        if settings.TASK_BACKEND == "database":
            call_command(
                "prune_db_task_results",
                min_age_days=TASK_RESULT_DAYS,
                queue_name="*",
                verbosity=options["verbosity"],
            )
