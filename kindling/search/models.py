"""The search index: one row per searchable thing, mirrored into the database's full-text index.

On SQLite the text is also kept in the FTS5 table ``search_fts`` (rowid = SearchDocument.id);
on PostgreSQL in ``search_vector`` with a GIN index. Both are created by migrations guarded by
the database vendor, and kept in step with writes by ``kindling.search.actions``.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    RESOURCE = "resource", _("Resources")
    NEED = "need", _("Needs")
    RESPONSE = "response", _("Responses")
    CIRCLE = "circle", _("Circles")
    PERSON = "person", _("People")


class SearchDocument(models.Model):
    """The searchable text and visibility of one resource, need, response, circle or member."""

    kind = models.CharField(max_length=10, choices=DocumentKind.choices)
    object_id = models.PositiveBigIntegerField()
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    tags = models.TextField(blank=True)
    # A need's responses, searchable with it (lower weight) so a need is found by its answers.
    answers = models.TextField(blank=True)
    url = models.CharField(max_length=300)
    circle_id = models.PositiveBigIntegerField(null=True, blank=True)
    is_hidden = models.BooleanField(default=False)
    # A response whose need is hidden is hidden with it.
    parent_hidden = models.BooleanField(default=False)
    author_id = models.PositiveBigIntegerField(null=True, blank=True)
    need_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Filled on PostgreSQL only; an unused column on SQLite.
    search_vector = SearchVectorField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_unique")
        ]
        indexes = [
            models.Index(fields=["need_id"], name="search_document_need_idx"),
            models.Index(fields=["circle_id"], name="search_document_circle_idx"),
            models.Index(fields=["kind", "created_at"], name="search_document_kind_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}: {self.title}"


class SearchDocumentTag(models.Model):
    """A subject, grade band, habit or free tag of a document, for facets and filters."""

    document = models.ForeignKey(SearchDocument, on_delete=models.CASCADE, related_name="facets")
    kind = models.CharField(max_length=10)
    slug = models.CharField(max_length=60)
    name = models.CharField(max_length=60)

    class Meta:
        indexes = [models.Index(fields=["kind", "slug"], name="search_tag_kind_slug_idx")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.slug}"


class SemanticVector(models.Model):
    """A resource's or need's sentence embedding (see ``kindling.search.semantic``).

    Keyed by the object, not by its search document, so rebuilding the full-text index keeps
    the vectors; ``content_hash`` tells whether the text changed since it was embedded.
    """

    kind = models.CharField(max_length=10, choices=DocumentKind.choices)
    object_id = models.PositiveBigIntegerField()
    model = models.CharField(max_length=60)
    content_hash = models.CharField(max_length=64)
    # Little-endian float16 values, unit length: portable bytes on SQLite and PostgreSQL.
    vector = models.BinaryField()
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="semantic_vector_unique")
        ]
        # Per-process caches check (count, latest update) of a kind on every query: from this
        # index alone, never by reading the vectors.
        indexes = [models.Index(fields=["kind", "updated_at"], name="semantic_vector_updated_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} ({self.model})"
