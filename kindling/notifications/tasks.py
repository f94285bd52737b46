"""Background tasks owned by the notifications app."""

from __future__ import annotations

from django_tasks import task

from kindling.notifications.actions import send_daily_digests, send_notification_emails


@task()
def email_notifications(notification_ids: list[int]) -> int:
    """E-mail each new notification to recipients who chose e-mail right away."""
    return send_notification_emails(notification_ids)


@task()
def send_digests() -> int:
    """Send the daily digests that are due (what `manage.py send_digests` runs)."""
    return send_daily_digests()
