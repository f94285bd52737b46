"""Template context shared by every page."""

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, object]:
    """Expose the few settings the base layout needs."""
    return {"SITE_NAME": "Kindling", "DEBUG": settings.DEBUG}
