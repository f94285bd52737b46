"""Writing the audit log."""

from __future__ import annotations

from typing import Any

from django.db import models

from kindling.core.models import AuditEntry


def record_audit(
    actor: Any,
    action: str,
    *,
    target: models.Model | None = None,
    target_kind: str = "",
    reason: str = "",
    **details: Any,
) -> AuditEntry:
    """Append one entry; ``target`` may be any model with a KIND (or give target_kind)."""
    if not target_kind and target is not None:
        target_kind = getattr(target, "KIND", "") or str(target._meta.model_name)
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        target_kind=target_kind,
        target_id=target.pk if target is not None else None,
        reason=reason[:500],
        details=details,
    )
