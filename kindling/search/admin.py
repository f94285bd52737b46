from django.contrib import admin

from kindling.search.models import SearchDocument


@admin.register(SearchDocument)
class SearchDocumentAdmin(admin.ModelAdmin[SearchDocument]):
    list_display = ["kind", "object_id", "title", "is_hidden", "circle_id", "created_at"]
    list_filter = ["kind", "is_hidden"]
    search_fields = ["title"]
    readonly_fields = ["search_vector"]
