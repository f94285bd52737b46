"""Records of what came into Kindling from elsewhere (a Stack Exchange dump, for now)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportedRecord(models.Model):
    """One row of an outside source and the Kindling object it became, so imports can rerun."""

    site = models.CharField(_("site"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20)
    source_id = models.BigIntegerField(_("id at the source"))
    object_id = models.PositiveBigIntegerField(_("id in Kindling"))
    imported_at = models.DateTimeField(_("last imported"), default=timezone.now)

    class Meta:
        verbose_name = _("imported record")
        verbose_name_plural = _("imported records")
        constraints = [
            models.UniqueConstraint(
                fields=["site", "kind", "source_id"], name="imported_record_unique_source"
            )
        ]
        indexes = [models.Index(fields=["kind", "object_id"], name="imported_record_object_idx")]

    def __str__(self) -> str:
        return f"{self.site} {self.kind} {self.source_id} → {self.object_id}"
