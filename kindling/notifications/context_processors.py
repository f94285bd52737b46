"""The unread-notification count in every page's header."""

from __future__ import annotations

from django.http import HttpRequest

from kindling.accounts.models import User
from kindling.notifications.queries import unread_count


class UnreadCount:
    """Counts on first use in a template, once per request (pages without a header pay nothing)."""

    def __init__(self, user: User) -> None:
        self.user = user
        self.value: int | None = None

    def __call__(self) -> int:
        if self.value is None:
            self.value = unread_count(self.user)
        return self.value


def unread_notifications(request: HttpRequest) -> dict[str, object]:
    """Add ``unread_notification_count`` (one query, when used) for signed-in members."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notification_count": UnreadCount(user)}
