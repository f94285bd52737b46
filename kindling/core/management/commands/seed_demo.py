"""Fill the database with a believable demo community (safe to run again)."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from kindling.accounts import demo as accounts_demo


class Command(BaseCommand):
    help = "Create the demo community: members with varied roles, subjects and languages."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already has members.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from kindling.accounts.models import User

        if options["if_empty"] and User.objects.exists():
            self.stdout.write("The database already has members; no demo data was added.")
            if not User.objects.filter(email__endswith=accounts_demo.DEMO_DOMAIN).exists():
                return
            emails = [
                accounts_demo.demo_email(p[0], i) for i, p in enumerate(accounts_demo.PEOPLE, 1)
            ]
            admin_email = f"admin@{accounts_demo.DEMO_DOMAIN}"
        else:
            from kindling.commons.demo import seed_commons

            created, emails = accounts_demo.seed_members()
            admin_email = accounts_demo.seed_admin()
            members = list(User.objects.filter(email__in=emails).order_by("email"))
            commons = seed_commons(members)
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo community ready: {len(emails)} members ({created} new), an admin, "
                    f"{commons['resources']} new resources and {commons['needs']} new needs."
                )
            )
        self.stdout.write(
            f"\nSign in at {settings.SITE_URL}/accounts/login/ with any of these:\n"
            f"  member: {emails[0]}\n"
            f"  member: {emails[1]}\n"
            f"  admin:  {admin_email} (also opens /admin/)\n"
            f"  password for every demo account: {accounts_demo.DEMO_PASSWORD}\n"
        )
