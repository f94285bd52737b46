"""An e-mail backend that hands every message to a background task.

Views never wait on an SMTP server: ``send()`` stores the message as a task, and the worker
delivers it through ``EMAIL_DELIVERY_BACKEND``. Attachments are not supported (Kindling sends
none); a message with one is refused loudly rather than delivered without it.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend


def serialise_message(message: EmailMessage) -> dict[str, object]:
    """Turn a message into JSON-safe data a task can carry."""
    if message.attachments:
        raise ValueError("Kindling's task e-mail backend does not carry attachments.")
    alternatives = []
    if isinstance(message, EmailMultiAlternatives):
        alternatives = [[str(content), mimetype] for content, mimetype in message.alternatives]
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": str(message.from_email),
        "to": [str(a) for a in message.to],
        "cc": [str(a) for a in message.cc],
        "bcc": [str(a) for a in message.bcc],
        "reply_to": [str(a) for a in message.reply_to],
        "headers": {str(k): str(v) for k, v in (message.extra_headers or {}).items()},
        "alternatives": alternatives,
    }


class TaskEmailBackend(BaseEmailBackend):
    """Queue each message as a ``deliver_email`` task."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        from kindling.core.tasks import deliver_email

        queued = 0
        for message in email_messages:
            if not message.recipients():
                continue
            deliver_email.enqueue(serialise_message(message))
            queued += 1
        return queued
