"""Run the background worker for whichever task backend is configured."""

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Run background tasks (e-mail, notifications) with the configured task backend."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch", action="store_true", help="Run the tasks waiting now, then exit."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.TASK_BACKEND == "rq":
            extra = ["--burst"] if options["batch"] else []
            # django-tasks-rq's own Job class turns an RQ job back into a Django task.
            call_command(
                "rqworker", "default", "--job-class", "django_tasks_rq.backend.Job", *extra
            )
        elif settings.TASK_BACKEND == "database":
            extra = ["--batch"] if options["batch"] else []
            call_command("db_worker", *extra)
        else:
            self.stdout.write("TASK_BACKEND=immediate runs tasks as they are queued; no worker.")
