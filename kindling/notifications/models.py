"""Follows, in-app notifications and each member's e-mail preference."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

SUMMARY_MAX = 300


class FollowKind(models.TextChoices):
    TAG = "tag", _("Tag")
    USER = "user", _("Member")
    CIRCLE = "circle", _("Circle")
    NEED = "need", _("Need")


class Follow(models.Model):
    """A member following a tag, another member, a circle or a need, to hear what happens there."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    kind = models.CharField(max_length=10, choices=FollowKind.choices)
    object_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "object_id"], name="follow_once")
        ]
        # Finding a target's followers is what every notification does.
        indexes = [models.Index(fields=["kind", "object_id"], name="follow_target_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.kind}:{self.object_id}"


class Verb(models.TextChoices):
    NEW_NEED = "new_need", _("New need")
    NEW_RESOURCE = "new_resource", _("New resource")
    BUILT_ON = "built_on", _("Built on a resource")
    NEW_RESPONSE = "new_response", _("New response")
    RESPONSE_HELPED = "response_helped", _("Response marked helpful")
    NEW_COMMENT = "new_comment", _("New comment")
    CIRCLE_INVITATION = "circle_invitation", _("Circle invitation")
    JOIN_REQUEST = "join_request", _("Request to join a circle")
    JOIN_ACCEPTED = "join_accepted", _("Join request accepted")
    JOIN_DECLINED = "join_declined", _("Join request declined")
    NEED_INVITATION = "need_invitation", _("Invitation to help with a need")


# One sentence per verb, translated when shown so each reader gets their own language.
HEADLINES: dict[str, Promise] = {
    Verb.NEW_NEED: _("%(actor)s posted a need: “%(summary)s”"),
    Verb.NEW_RESOURCE: _("%(actor)s shared a resource: “%(summary)s”"),
    Verb.BUILT_ON: _("%(actor)s built on your resource in “%(summary)s”"),
    Verb.NEW_RESPONSE: _("%(actor)s responded to “%(summary)s”"),
    Verb.RESPONSE_HELPED: _("%(actor)s marked your response to “%(summary)s” as helpful"),
    Verb.NEW_COMMENT: _("%(actor)s commented on “%(summary)s”"),
    Verb.CIRCLE_INVITATION: _("%(actor)s invited you to join the circle “%(summary)s”"),
    Verb.JOIN_REQUEST: _("%(actor)s asked to join the circle “%(summary)s”"),
    Verb.JOIN_ACCEPTED: _("Your request to join the circle “%(summary)s” was accepted"),
    Verb.JOIN_DECLINED: _("Your request to join the circle “%(summary)s” was declined"),
    Verb.NEED_INVITATION: _("%(actor)s asked for your help with “%(summary)s”"),
}


class Notification(models.Model):
    """Something that happened which one member should hear about, with a link to it."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verb = models.CharField(max_length=20, choices=Verb.choices)
    target_kind = models.CharField(max_length=20)
    target_id = models.PositiveBigIntegerField()
    target_url = models.CharField(max_length=500)
    summary = models.CharField(max_length=SUMMARY_MAX)
    # The circle the target content lives in, so visibility can be checked again when shown.
    circle = models.ForeignKey(
        "commons.Circle", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox_idx"),
            models.Index(
                fields=["recipient", "-created_at"],
                condition=Q(read_at__isnull=True),
                name="notification_unread_idx",
            ),
            models.Index(fields=["target_kind", "target_id"], name="notification_target_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.verb} for {self.recipient_id}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None

    @property
    def actor_name(self) -> str:
        if self.actor is None:
            return gettext("Someone")
        return self.actor.get_full_name()

    @property
    def headline(self) -> str:
        """The notification as one plain sentence in the reader's language."""
        template = HEADLINES.get(self.verb)
        if template is None:
            return self.summary
        return str(template) % {"actor": self.actor_name, "summary": self.summary}


class EmailMode(models.TextChoices):
    OFF = "off", _("Never: I will check Kindling myself")
    IMMEDIATE = "immediate", _("Right away: one e-mail for each notification")
    DAILY = "daily", _("Once a day: a digest of what I have not read")


def new_unsubscribe_token() -> str:
    return secrets.token_urlsafe(32)


class NotificationSettings(models.Model):
    """How a member wants to hear about notifications by e-mail."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    email_mode = models.CharField(
        _("e-mail me about notifications"),
        max_length=10,
        choices=EmailMode.choices,
        default=EmailMode.DAILY,
    )
    # The secret in one-click unsubscribe links; it can do nothing but turn e-mail off.
    unsubscribe_token = models.CharField(max_length=64, unique=True, default=new_unsubscribe_token)
    last_digest_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.email_mode}"
