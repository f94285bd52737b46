"""The admin lists imported records; they are written only by the import commands."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from kindling.integrations.models import ImportedRecord


@admin.register(ImportedRecord)
class ImportedRecordAdmin(admin.ModelAdmin):
    list_display = ["site", "kind", "source_id", "object_id", "imported_at"]
    list_filter = ["site", "kind"]
    search_fields = ["site", "=source_id", "=object_id"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
