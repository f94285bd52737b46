"""The e-mails notifications send: one per notification, or a daily digest."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import ngettext

from kindling.notifications.models import Notification, NotificationSettings

SUBJECT_PREFIX = "[Kindling] "


def absolute_url(path: str) -> str:
    """A site path as a full link for an e-mail (SITE_URL in front)."""
    if path.startswith(("https://", "http://")):
        return path
    return settings.SITE_URL + path


def unsubscribe_url(row: NotificationSettings) -> str:
    return absolute_url(reverse("notifications:unsubscribe", args=[row.unsubscribe_token]))


def _subject(text: str) -> str:
    # A member's title must never break the header onto a second line.
    return SUBJECT_PREFIX + " ".join(text.split())


def _message(
    row: NotificationSettings, subject: str, template: str, context: dict[str, Any]
) -> EmailMultiAlternatives:
    unsubscribe = unsubscribe_url(row)
    context = {
        **context,
        "unsubscribe_url": unsubscribe,
        "settings_url": absolute_url(reverse("notifications:settings")),
        "notifications_url": absolute_url(reverse("notifications:list")),
    }
    message = EmailMultiAlternatives(
        subject=_subject(subject),
        body=render_to_string(f"notifications/email/{template}.txt", context),
        to=[row.user.email],
        headers={
            # RFC 8058 one-click unsubscribe: mail clients POST to the link without a session.
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(
        render_to_string(f"notifications/email/{template}.html", context), "text/html"
    )
    return message


def notification_message(notification: Notification) -> EmailMultiAlternatives:
    """One notification, for a member who chose e-mail right away."""
    row = notification.recipient.notification_settings
    return _message(
        row,
        notification.headline,
        "notification",
        {"notification": notification, "link": absolute_url(notification.target_url)},
    )


def digest_message(
    row: NotificationSettings, notifications: list[Notification], *, total: int
) -> EmailMultiAlternatives:
    """The daily digest: the newest unread notifications, with a link to the rest."""
    subject = ngettext("%(count)d new notification", "%(count)d new notifications", total) % {
        "count": total
    }
    items = [(n, absolute_url(n.target_url)) for n in notifications]
    return _message(
        row,
        subject,
        "digest",
        {
            "items": items,
            "total": total,
            "more": total - len(items),
            "name": row.user.get_full_name(),
        },
    )
