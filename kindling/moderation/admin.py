"""Admin views of flags, blocks, suspensions and the audit log.

Changes go through the moderation pages, which ask for a reason and write the audit log, so the
admin only shows these records (and lets a superuser delete a stray flag or block).
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from kindling.core.models import AuditEntry
from kindling.moderation.models import Block, Flag, Suspension


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Flag)
class FlagAdmin(ReadOnlyAdmin):
    list_display = [
        "kind",
        "object_id",
        "reason",
        "reporter",
        "created_at",
        "resolved_at",
        "outcome",
    ]
    list_filter = ["reason", "kind", "outcome", ("resolved_at", admin.EmptyFieldListFilter)]
    search_fields = ["reporter__email", "text"]
    list_select_related = ["reporter"]
    date_hierarchy = "created_at"


@admin.register(Block)
class BlockAdmin(ReadOnlyAdmin):
    list_display = ["blocker", "blocked", "created_at"]
    search_fields = ["blocker__email", "blocked__email"]
    list_select_related = ["blocker", "blocked"]


@admin.register(Suspension)
class SuspensionAdmin(ReadOnlyAdmin):
    list_display = ["user", "reason", "starts_at", "ends_at", "lifted_at", "moderator"]
    list_filter = [("lifted_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__email", "reason"]
    list_select_related = ["user", "moderator"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "action", "actor", "target_kind", "target_id", "reason"]
    list_filter = ["action", "target_kind"]
    search_fields = ["reason", "actor__email"]
    list_select_related = ["actor"]
    date_hierarchy = "created_at"

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
