"""Keeping the search index in step with what members write (called from signals, in the
writer's transaction) and rebuilding it from scratch."""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.db import transaction
from django.db.models import Max, Prefetch
from django.urls import reverse

from kindling.accounts.models import GradeBand, Profile, Subject
from kindling.commons.models import Circle, Need, Resource, Response, Tag
from kindling.core.urlcache import url_with_id
from kindling.search import fulltext
from kindling.search.models import DocumentKind, SearchDocument, SearchDocumentTag
from kindling.search.text import clean_text, markdown_text

PLAIN_TEXT_LIMIT = 1_000_000
BATCH_SIZE = 500


# A need's document holds its responses' text, and each response has its own: the cache lets
# indexing a need and then its responses (a rebuild, a new response) convert each body once.
@lru_cache(maxsize=1024)
def plain_text(markdown: str) -> str:
    """Markdown as indexed: plain words, no markup, no highlight markers."""
    return clean_text(markdown_text(markdown[:PLAIN_TEXT_LIMIT])) if markdown else ""


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
            "url": url_with_id("commons:resource", resource.pk),
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
            "url": url_with_id("commons:need", need.pk),
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
            # Response.get_absolute_url(), without resolving the URL again.
            "url": f"{url_with_id('commons:need', response.need_id)}#response-{response.pk}",
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
            "url": url_with_id("accounts:profile", profile.pk),
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
    _refresh_recent_index_when_due([document.pk])
    return document


def _refresh_recent_index_when_due(ids: Sequence[int]) -> None:
    """Once PostgreSQL's index of the newest documents holds too many (``fulltext.
    RECENT_DOCUMENTS``), raise its floor in a background task after this transaction."""
    if ids and fulltext.recent_index_due(max(ids)):
        from kindling.search.tasks import refresh_recent_index_task

        transaction.on_commit(refresh_recent_index_task.enqueue)


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


@transaction.atomic
def index_objects(
    *, need_ids: Iterable[int] = (), profile_ids: Iterable[int] = (), batch_size: int = BATCH_SIZE
) -> int:
    """Index needs (with their responses) and members' profiles written in bulk, without the
    signals (an import), the way a rebuild does; returns how many documents were written."""
    sources = _sources()
    written = 0
    for kind, ids in (("need", sorted(set(need_ids))), ("person", sorted(set(profile_ids)))):
        queryset, build = sources[kind]
        for start in range(0, len(ids), batch_size):
            documents = [
                document
                for obj in queryset.filter(pk__in=ids[start : start + batch_size])
                for document in build(obj)
            ]
            _replace_documents(documents)
            written += len(documents)
    return written


def _replace_documents(documents: list[DocumentData]) -> None:
    """Write these documents in place of any their objects have, in a few statements."""
    keys: dict[str, list[int]] = defaultdict(list)
    for data in documents:
        keys[data.kind].append(data.object_id)
    previous = [pk for kind, ids in keys.items() for pk in fulltext.document_ids(kind, ids)]
    fulltext.delete_document_rows(previous)
    ids = fulltext.reserve_document_ids(len(documents))
    fulltext.insert_documents(
        [
            (pk, d.kind, d.object_id, *(d.fields[name] for name in fulltext.DOCUMENT_FIELDS))
            for pk, d in zip(ids, documents, strict=True)
        ],
        [
            (pk, kind, slug[:60], name[:60])
            for pk, d in zip(ids, documents, strict=True)
            for kind, slug, name in d.tags
        ],
    )
    _refresh_recent_index_when_due(ids)


def _sources() -> dict[str, tuple[Any, Callable[[Any], Iterable[DocumentData]]]]:
    """For each kind of object indexed: its queryset, and its documents from one object."""
    responses = Prefetch(
        "responses",
        queryset=Response.objects.only(
            "id", "need_id", "body", "is_hidden", "author_id", "created_at"
        ).order_by("pk"),
    )

    def need_and_responses(need: Need) -> Iterator[DocumentData]:
        # A need, then its responses: their plain text (cached) is computed once for both.
        yield need_document(need)
        for response in need.responses.all():
            yield response_document(response)

    return {
        "resource": (Resource.objects.prefetch_related("tags"), lambda r: [resource_document(r)]),
        "need": (Need.objects.prefetch_related("tags", responses), need_and_responses),
        "circle": (Circle.objects.all(), lambda c: [circle_document(c)]),
        "person": (Profile.objects.select_related("user"), lambda p: [profile_document(p)]),
    }


def rebuild_index(
    *, batch_size: int = BATCH_SIZE, log: Callable[[str], None] | None = None
) -> dict[str, int]:
    """Rebuild the whole index from the database, in batches; returns counts by kind.

    Objects are indexed oldest first, all kinds together (a need with its responses), so
    document ids follow the order things were written, as when they are indexed one by one:
    search takes its candidates newest id first (``fulltext._window``). Each batch replaces
    its objects' documents in its own transaction, and documents whose object is gone are
    removed at the end: search keeps answering while the index is rebuilt, and what members
    write meanwhile (indexed by the signals) is kept. ``log`` hears progress.
    """
    say = log or (lambda message: None)
    started = time.monotonic()
    stale_up_to = SearchDocument.objects.aggregate(top=Max("pk"))["top"] or 0
    sources = _sources()
    order = sorted(
        (created_at, kind, pk)
        for kind, (queryset, _build) in sources.items()
        for pk, created_at in queryset.model.objects.values_list("pk", "created_at").iterator()
    )
    say(f"{len(order)} objects to index, in the order they were written")
    counts: Counter[str] = Counter({str(kind): 0 for kind in DocumentKind.values})
    for start in range(0, len(order), batch_size):
        chunk = order[start : start + batch_size]
        wanted: dict[str, list[int]] = defaultdict(list)
        for _at, kind, pk in chunk:
            wanted[kind].append(pk)
        loaded = {
            (kind, obj.pk): obj
            for kind, pks in wanted.items()
            for obj in sources[kind][0].filter(pk__in=pks)
        }
        documents = [
            document
            for _at, kind, pk in chunk
            if (kind, pk) in loaded  # not deleted meanwhile
            for document in sources[kind][1](loaded[(kind, pk)])
        ]
        with transaction.atomic():
            _replace_documents(documents)
        counts.update(str(d.kind) for d in documents)
        if (start // batch_size) % 50 == 49:
            say(f"{start + len(chunk)} objects in {time.monotonic() - started:.0f} s")
    say(f"{sum(counts.values())} documents written in {time.monotonic() - started:.1f} s")
    with transaction.atomic():
        # Every object that still exists has a newer document by now.
        fulltext.delete_document_rows(up_to=stale_up_to)
    fulltext.optimize()
    say(f"old documents removed and the index optimised in {time.monotonic() - started:.1f} s")
    return dict(counts)
