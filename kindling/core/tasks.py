"""Background tasks owned by the core app."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django_tasks import task


@task()
def deliver_email(message: dict[str, object]) -> int:
    """Send one serialised e-mail through the delivery backend chosen by EMAIL_URL."""
    email = EmailMultiAlternatives(
        subject=str(message["subject"]),
        body=str(message["body"]),
        from_email=str(message["from_email"]),
        to=list(message["to"]),  # type: ignore[call-overload]
        cc=list(message["cc"]),  # type: ignore[call-overload]
        bcc=list(message["bcc"]),  # type: ignore[call-overload]
        reply_to=list(message["reply_to"]),  # type: ignore[call-overload]
        headers=dict(message["headers"]),  # type: ignore[call-overload]
        connection=get_connection(settings.EMAIL_DELIVERY_BACKEND),
    )
    for content, mimetype in message["alternatives"]:  # type: ignore[attr-defined]
        email.attach_alternative(content, mimetype)
    return email.send()
