"""Computed expertise per member per tag, and each member's text profile for "who can help"."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Expertise(models.Model):
    """A member's computed expertise in one tag, with the evidence counts behind the score."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="expertise"
    )
    tag = models.ForeignKey("commons.Tag", on_delete=models.CASCADE, related_name="expertise")
    score = models.FloatField(default=0.0)
    helpful_responses = models.PositiveIntegerField(default=0)
    useful_votes = models.PositiveIntegerField(default=0)
    built_on = models.PositiveIntegerField(default=0)
    responses = models.PositiveIntegerField(default=0)
    last_evidence_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-score"]
        constraints = [
            models.UniqueConstraint(fields=["user", "tag"], name="expertise_unique_user_tag")
        ]
        indexes = [models.Index(fields=["tag", "-score"], name="expertise_tag_score_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.tag_id}: {self.score:.2f}"


class HelperProfile(models.Model):
    """What a member has written about (term frequencies) and how active they are, for ranking."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="helper_profile"
    )
    terms = models.JSONField(default=dict)
    doc_length = models.PositiveIntegerField(default=0)
    responses = models.PositiveIntegerField(default=0)
    last_active_at = models.DateTimeField(null=True, blank=True)
    # Contributions, each halving in weight every 30 days, summed as of ``computed_at``.
    activity = models.FloatField(default=0.0)
    computed_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"helper profile of {self.user_id}"
