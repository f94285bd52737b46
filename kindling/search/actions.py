"""Keeping the search index in step with what members write (called from signals, in the
writer's transaction) and rebuilding it from scratch."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.urls import reverse

from kindling.accounts.models import GradeBand, Profile, Subject
from kindling.commons.models import Circle, Need, Resource, Response, Tag
from kindling.core.markdown import render_plain_excerpt
from kindling.search import fulltext
from kindling.search.models import DocumentKind, SearchDocument, SearchDocumentTag
from kindling.search.text import clean_text

PLAIN_TEXT_LIMIT = 1_000_000
BATCH_SIZE = 500


def plain_text(markdown: str) -> str:
    """Markdown as indexed: plain words, no markup, no highlight markers."""
    return clean_text(render_plain_excerpt(markdown, PLAIN_TEXT_LIMIT)) if markdown else ""


@dataclass
class DocumentData:
    """What one document will hold, before it is written."""

    kind: str
    object_id: int
    fields: dict[str, Any]
    tags: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, slug, name)


def _tag_fields(tags: Iterable[Tag]) -> tuple[str, list[tuple[str, str, str]]]:
    facets = [(tag.kind, tag.slug, tag.name) for tag in tags]
    words = " ".join(f"{name} {slug.replace('-', ' ')}" for _kind, slug, name in facets)
    return clean_text(words), facets


def resource_document(resource: Resource) -> DocumentData:
    tags, facets = _tag_fields(resource.tags.all())
    return DocumentData(
        DocumentKind.RESOURCE,
        resource.pk,
        {
            "title": clean_text(resource.title),
            "body": plain_text(resource.body),
            "tags": tags,
            "answers": "",
            "url": reverse("commons:resource", args=[resource.pk]),
            "circle_id": resource.circle_id,
            "is_hidden": resource.is_hidden,
            "parent_hidden": False,
            "author_id": resource.author_id,
            "need_id": None,
            "created_at": resource.created_at,
        },
        facets,
    )


def need_document(need: Need) -> DocumentData:
    tags, facets = _tag_fields(need.tags.all())
    answers = " ".join(plain_text(r.body) for r in need.responses.all() if not r.is_hidden)
    return DocumentData(
        DocumentKind.NEED,
        need.pk,
        {
            "title": clean_text(need.title),
            "body": plain_text(need.details),
            "tags": tags,
            "answers": answers,
            "url": reverse("commons:need", args=[need.pk]),
            "circle_id": need.circle_id,
            "is_hidden": need.is_hidden,
            "parent_hidden": False,
            "author_id": need.author_id,
            "need_id": None,
            "created_at": need.created_at,
        },
        facets,
    )


def response_document(response: Response) -> DocumentData:
    need = response.need
    return DocumentData(
        DocumentKind.RESPONSE,
        response.pk,
        {
            "title": clean_text(need.title),
            "body": plain_text(response.body),
            "tags": "",
            "answers": "",
            "url": response.get_absolute_url(),
            "circle_id": need.circle_id,
            "is_hidden": response.is_hidden,
            "parent_hidden": need.is_hidden,
            "author_id": response.author_id,
            "need_id": need.pk,
            "created_at": response.created_at,
        },
    )


def circle_document(circle: Circle) -> DocumentData:
    # Every circle's name and purpose are listed to all members, invite-only ones too.
    return DocumentData(
        DocumentKind.CIRCLE,
        circle.pk,
        {
            "title": clean_text(circle.name),
            "body": clean_text(circle.description),
            "tags": "",
            "answers": "",
            "url": reverse("circles:detail", args=[circle.slug]),
            "circle_id": None,
            "is_hidden": False,
            "parent_hidden": False,
            "author_id": circle.created_by_id,
            "need_id": None,
            "created_at": circle.created_at,
        },
    )


def profile_document(profile: Profile) -> DocumentData:
    subjects = dict(Subject.choices)
    grades = dict(GradeBand.choices)
    facets = [("subject", slug, str(subjects.get(slug, slug))) for slug in profile.subjects]
    facets += [("grade", slug, str(grades.get(slug, slug))) for slug in profile.grade_bands]
    words = [*(str(i) for i in profile.interests), *(name for _k, _s, name in facets)]
    return DocumentData(
        DocumentKind.PERSON,
        profile.pk,
        {
            "title": clean_text(profile.display_name),
            "body": clean_text(f"{profile.bio}\n{profile.professional_goals}"),
            "tags": clean_text(" ".join(words)),
            "answers": "",
            "url": reverse("accounts:profile", args=[profile.pk]),
            "circle_id": None,
            "is_hidden": not profile.user.is_active,
            "parent_hidden": False,
            "author_id": profile.user_id,
            "need_id": None,
            "created_at": profile.created_at,
        },
        facets,
    )


def _write(data: DocumentData) -> SearchDocument:
    document, _created = SearchDocument.objects.update_or_create(
        kind=data.kind, object_id=data.object_id, defaults=data.fields
    )
    SearchDocumentTag.objects.filter(document=document).delete()
    SearchDocumentTag.objects.bulk_create(
        SearchDocumentTag(document=document, kind=k, slug=s[:60], name=n[:60])
        for k, s, n in data.tags
    )
    fulltext.write_documents([document.pk])
    return document


@transaction.atomic
def index_resource(resource: Resource) -> None:
    """Put a resource's current text, tags and visibility in the index."""
    _write(resource_document(resource))


@transaction.atomic
def index_need(need: Need) -> None:
    """Put a need (with its responses' text) in the index; its responses follow its visibility."""
    _write(need_document(need))
    SearchDocument.objects.filter(kind=DocumentKind.RESPONSE, need_id=need.pk).update(
        parent_hidden=need.is_hidden, circle_id=need.circle_id
    )


@transaction.atomic
def index_response(response: Response) -> None:
    """Put a response in the index, and refresh its need's text, which includes it."""
    _write(response_document(response))
    need = Need.objects.filter(pk=response.need_id).first()
    if need is not None:
        _write(need_document(need))


@transaction.atomic
def index_circle(circle: Circle) -> None:
    """Put a circle's name and purpose in the index."""
    _write(circle_document(circle))


@transaction.atomic
def index_profile(profile: Profile) -> None:
    """Put a member's profile in the index (hidden while their account is inactive)."""
    _write(profile_document(profile))


@transaction.atomic
def remove_document(kind: str, object_id: int) -> None:
    """Take a deleted object out of the index."""
    ids = list(
        SearchDocument.objects.filter(kind=kind, object_id=object_id).values_list("id", flat=True)
    )
    fulltext.delete_documents(ids)
    SearchDocument.objects.filter(id__in=ids).delete()


def _batches(queryset: Any, size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for obj in queryset.iterator(chunk_size=size):
        batch.append(obj)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _write_many(documents: list[DocumentData]) -> None:
    created = SearchDocument.objects.bulk_create(
        SearchDocument(kind=d.kind, object_id=d.object_id, **d.fields) for d in documents
    )
    SearchDocumentTag.objects.bulk_create(
        SearchDocumentTag(document=doc, kind=k, slug=s[:60], name=n[:60])
        for doc, data in zip(created, documents, strict=True)
        for k, s, n in data.tags
    )
    fulltext.write_documents([doc.pk for doc in created])


def rebuild_index(*, batch_size: int = BATCH_SIZE) -> dict[str, int]:
    """Rebuild the whole index from the database, in batches; returns counts by kind."""
    sources: list[tuple[str, Any, Any]] = [
        (DocumentKind.RESOURCE, Resource.objects.prefetch_related("tags"), resource_document),
        (
            DocumentKind.NEED,
            Need.objects.prefetch_related("tags", "responses"),
            need_document,
        ),
        (DocumentKind.RESPONSE, Response.objects.select_related("need"), response_document),
        (DocumentKind.CIRCLE, Circle.objects.all(), circle_document),
        (DocumentKind.PERSON, Profile.objects.select_related("user"), profile_document),
    ]
    counts: dict[str, int] = {}
    with transaction.atomic():
        fulltext.clear()
        SearchDocument.objects.all().delete()
    for kind, queryset, build in sources:
        counts[str(kind)] = 0
        for batch in _batches(queryset.order_by("pk"), batch_size):
            with transaction.atomic():
                _write_many([build(obj) for obj in batch])
            counts[str(kind)] += len(batch)
    return counts
