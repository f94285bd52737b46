"""Every write in the member space: posting, editing, responding, voting, collecting."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from kindling.commons.attachments import AttachmentFacts
from kindling.commons.models import (
    Circle,
    CircleMembership,
    Collection,
    CollectionItem,
    Comment,
    Lineage,
    Need,
    NeedInvitation,
    NeedStatus,
    Resource,
    ResourceAttachment,
    ResourceLink,
    ResourceRevision,
    Response,
    Tag,
    TagKind,
    UsefulVote,
)
from kindling.commons.querysets import is_moderator

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from kindling.accounts.models import User


class EditConflict(Exception):
    """Someone else saved the resource after this editor opened it."""

    def __init__(self, current: Resource):
        super().__init__("edit conflict")
        self.current = current


def _check_can_post(
    author: User, *, texts: tuple[str, ...] = (), links: int = 0, files: int = 0
) -> None:
    from kindling.moderation.trust import check_can_post, count_links

    check_can_post(author, links=count_links(*texts) + links, attachments=files)


def _check_not_blocked(owner_id: int, actor: User) -> None:
    from kindling.moderation.queries import has_blocked

    if has_blocked(owner_id, actor.pk):
        raise PermissionDenied(_("You cannot reply to this member."))


def _check_circle(author: User, circle: Circle | None) -> None:
    if (
        circle is not None
        and not CircleMembership.objects.filter(circle=circle, user=author).exists()
    ):
        raise PermissionDenied(_("You can only share in circles you belong to."))


def _free_tags(names: list[str]) -> list[Tag]:
    tags = []
    for name in names:
        slug = slugify(name)[:60]
        tag, _created = Tag.objects.get_or_create(
            kind=TagKind.FREE, slug=slug, defaults={"name": name[:60]}
        )
        tags.append(tag)
    return tags


def _set_tags(obj: Resource | Need, fixed: list[Tag], free_names: list[str]) -> None:
    obj.tags.set([*fixed, *_free_tags(free_names)])


def _save_attachment(
    resource: Resource, upload: UploadedFile, facts: AttachmentFacts, uploader: User
) -> ResourceAttachment:
    original = (upload.name or "file").rsplit("/", 1)[-1][:200]
    upload.name = f"file.{facts.extension}"
    return ResourceAttachment.objects.create(
        resource=resource,
        file=upload,
        original_name=original,
        content_type=facts.content_type,
        size=upload.size or 0,
        uploaded_by=uploader,
    )


def _notify(name: str, *args: Any) -> None:
    from kindling.notifications import actions as notifications

    # robust: the post is saved by then; a failing notifier is logged, never a 500 afterwards.
    transaction.on_commit(lambda: getattr(notifications, name)(*args), robust=True)


def _recompute_expertise(user_ids: list[int]) -> None:
    from kindling.expertise.tasks import recompute_expertise_task

    # After commit: the task reads what this transaction wrote (votes, marks, lineage).
    ids = sorted(set(user_ids))
    transaction.on_commit(lambda: recompute_expertise_task.enqueue(ids), robust=True)


@transaction.atomic
def create_resource(
    author: User,
    *,
    title: str,
    body: str,
    links: Sequence[tuple[str, str]] = (),
    fixed_tags: Sequence[Tag] = (),
    free_tags: Sequence[str] = (),
    built_on: Sequence[Resource] = (),
    co_authors: Sequence[User] = (),
    circle: Circle | None = None,
    attachment: UploadedFile | None = None,
    attachment_facts: AttachmentFacts | None = None,
) -> Resource:
    """Publish a resource with its first revision, lineage, links and attachment."""
    _check_can_post(author, texts=(body,), links=len(links), files=1 if attachment else 0)
    _check_circle(author, circle)
    now = timezone.now()
    resource = Resource.objects.create(
        author=author, title=title, body=body, circle=circle, created_at=now, updated_at=now
    )
    ResourceRevision.objects.create(
        resource=resource, number=1, title=title, body=body, edited_by=author, created_at=now
    )
    ResourceLink.objects.bulk_create(
        ResourceLink(resource=resource, url=url, label=label, position=i)
        for i, (url, label) in enumerate(links)
    )
    _set_tags(resource, list(fixed_tags), list(free_tags))
    resource.co_authors.set(co_authors)
    Lineage.objects.bulk_create(Lineage(resource=resource, builds_on=p) for p in built_on)
    if attachment is not None and attachment_facts is not None:
        _save_attachment(resource, attachment, attachment_facts, author)
    _notify("notify_new_resource", resource)
    if built_on:
        _notify("notify_built_on", resource, list(built_on))
    _recompute_expertise([author.pk, *(p.author_id for p in built_on)])
    return resource


def can_edit_resource(
    user: User, resource: Resource, *, co_authors: Sequence[User] | None = None
) -> bool:
    """Whether ``user`` may edit ``resource``; ``co_authors``, when given, are its co-authors
    as already loaded (else ``resource.co_authors``, which pages prefetch)."""
    if is_moderator(user):
        return True
    if resource.is_locked or resource.is_hidden:
        return resource.author_id == user.pk and not resource.is_locked
    if resource.author_id == user.pk:
        return True
    if co_authors is None:
        co_authors = list(resource.co_authors.all())
    return any(co_author.pk == user.pk for co_author in co_authors)


@transaction.atomic
def update_resource(
    resource: Resource,
    *,
    editor: User,
    expected_version: int | None,
    title: str,
    body: str,
    note: str = "",
    links: Sequence[tuple[str, str]] = (),
    fixed_tags: Sequence[Tag] = (),
    free_tags: Sequence[str] = (),
    built_on: Sequence[Resource] = (),
    co_authors: Sequence[User] = (),
    attachment: UploadedFile | None = None,
    attachment_facts: AttachmentFacts | None = None,
) -> Resource:
    """Save a new revision; refuses (EditConflict) if someone saved since the editor loaded it."""
    current = Resource.objects.select_for_update().get(pk=resource.pk)
    if not can_edit_resource(editor, current):
        raise PermissionDenied(_("You cannot edit this resource."))
    if expected_version is not None and expected_version != current.version:
        raise EditConflict(current)
    _check_can_post(editor, texts=(body,), links=len(links), files=1 if attachment else 0)
    now = timezone.now()
    old_parents = set(
        Lineage.objects.filter(resource=current).values_list("builds_on_id", flat=True)
    )
    current.title = title
    current.body = body
    current.version = F("version") + 1
    current.updated_at = now
    current.save(update_fields=["title", "body", "version", "updated_at"])
    current.refresh_from_db(fields=["version"])
    ResourceRevision.objects.create(
        resource=current,
        number=current.version,
        title=title,
        body=body,
        note=note,
        edited_by=editor,
        created_at=now,
    )
    current.links.all().delete()
    ResourceLink.objects.bulk_create(
        ResourceLink(resource=current, url=url, label=label, position=i)
        for i, (url, label) in enumerate(links)
    )
    _set_tags(current, list(fixed_tags), list(free_tags))
    if editor.pk == current.author_id or is_moderator(editor):
        current.co_authors.set(co_authors)
    new_ids = {p.pk for p in built_on}
    Lineage.objects.filter(resource=current).exclude(builds_on_id__in=new_ids).delete()
    added = [p for p in built_on if p.pk not in old_parents]
    Lineage.objects.bulk_create(Lineage(resource=current, builds_on=p) for p in added)
    if attachment is not None and attachment_facts is not None:
        _save_attachment(current, attachment, attachment_facts, editor)
    if added:
        _notify("notify_built_on", current, added)
    _recompute_expertise([current.author_id, *(p.author_id for p in built_on)])
    return current


@transaction.atomic
def delete_attachment(attachment: ResourceAttachment, *, by: User) -> None:
    """Remove a file from a resource (and from storage once committed)."""
    if not can_edit_resource(by, attachment.resource):
        raise PermissionDenied(_("You cannot edit this resource."))
    storage, name = attachment.file.storage, attachment.file.name or ""
    attachment.delete()
    # The resource's page caches its files under a key made of updated_at (queries.resource_extras).
    Resource.objects.filter(pk=attachment.resource_id).update(updated_at=timezone.now())
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def create_need(
    author: User,
    *,
    title: str,
    details: str,
    fixed_tags: Sequence[Tag] = (),
    free_tags: Sequence[str] = (),
    circle: Circle | None = None,
) -> Need:
    """State a need others can respond to."""
    _check_can_post(author, texts=(title, details))
    _check_circle(author, circle)
    now = timezone.now()
    need = Need.objects.create(
        author=author,
        title=title,
        details=details,
        circle=circle,
        created_at=now,
        updated_at=now,
        last_activity_at=now,
    )
    _set_tags(need, list(fixed_tags), list(free_tags))
    from kindling.notifications.actions import follow

    follow(author, "need", need.pk)
    _notify("notify_new_need", need)
    return need


@transaction.atomic
def update_need(
    need: Need,
    *,
    editor: User,
    title: str,
    details: str,
    fixed_tags: Sequence[Tag] = (),
    free_tags: Sequence[str] = (),
) -> Need:
    """Change a need's wording or tags (its author, or a moderator)."""
    if not (need.author_id == editor.pk and not need.is_locked) and not is_moderator(editor):
        raise PermissionDenied(_("You cannot edit this need."))
    _check_can_post(editor, texts=(title, details))
    need.title = title
    need.details = details
    need.updated_at = timezone.now()
    need.save(update_fields=["title", "details", "updated_at"])
    _set_tags(need, list(fixed_tags), list(free_tags))
    return need


@transaction.atomic
def set_need_status(need: Need, *, by: User, status: str) -> Need:
    """Close a need (or open it again): its asker only."""
    if need.author_id != by.pk and not is_moderator(by):
        raise PermissionDenied(_("Only the member who asked can close or reopen this need."))
    need.status = status
    need.closed_at = timezone.now() if status == NeedStatus.CLOSED else None
    need.save(update_fields=["status", "closed_at"])
    return need


@transaction.atomic
def respond_to_need(
    need: Need, *, author: User, body: str, resource: Resource | None = None
) -> Response:
    """Add a response to an open need."""
    if need.is_locked:
        raise PermissionDenied(_("This need is locked: no new responses."))
    if not need.is_open:
        raise PermissionDenied(_("This need is closed: no new responses."))
    _check_not_blocked(need.author_id, author)
    _check_can_post(author, texts=(body,))
    now = timezone.now()
    response = Response.objects.create(
        need=need, author=author, body=body, resource=resource, created_at=now, updated_at=now
    )
    Need.objects.filter(pk=need.pk).update(
        response_count=F("response_count") + 1, last_activity_at=now
    )
    _notify("notify_new_response", response)
    _recompute_expertise([author.pk])
    return response


MAX_INVITATIONS_PER_NEED = 10


@transaction.atomic
def invite_to_need(need: Need, invited: User, *, by: User) -> NeedInvitation:
    """The asker invites a member to help; inviting the same member again changes nothing."""
    from kindling.moderation.queries import has_blocked

    if need.author_id != by.pk:
        raise PermissionDenied(_("Only the member who asked can invite others to help."))
    if not need.is_open or need.is_locked:
        raise PermissionDenied(_("This need is not open for new responses."))
    if invited.pk == by.pk or not invited.is_active:
        raise ValidationError(_("You cannot invite this member."))
    if has_blocked(invited.pk, by.pk) or has_blocked(by.pk, invited.pk):
        raise ValidationError(_("You cannot invite this member."))
    if not Need.objects.visible_to(invited).filter(pk=need.pk).exists():
        raise ValidationError(_("This member cannot see your need (it is in a private circle)."))
    invitation, created = NeedInvitation.objects.get_or_create(
        need=need, invited=invited, defaults={"invited_by": by}
    )
    if created:
        if NeedInvitation.objects.filter(need=need).count() > MAX_INVITATIONS_PER_NEED:
            raise ValidationError(
                _("You can invite at most %(n)d members to one need.")
                % {"n": MAX_INVITATIONS_PER_NEED}
            )
        _notify("notify_need_invitation", invitation)
    return invitation


@transaction.atomic
def set_helpful(response: Response, *, by: User, helped: bool) -> Response:
    """The asker marks (or unmarks) a response as one that helped; several may be marked."""
    need = response.need
    if need.author_id != by.pk:
        raise PermissionDenied(_("Only the member who asked can mark what helped."))
    if response.helped == helped:
        return response
    response.helped = helped
    response.marked_helpful_at = timezone.now() if helped else None
    response.save(update_fields=["helped", "marked_helpful_at"])
    Need.objects.filter(pk=need.pk).update(helped_count=F("helped_count") + (1 if helped else -1))
    if helped and response.author_id != by.pk:
        _notify("notify_response_helped", response)
    _recompute_expertise([response.author_id])
    return response


@transaction.atomic
def add_comment(parent: Resource | Need, *, author: User, body: str) -> Comment:
    """Comment on a resource or a need."""
    if parent.is_locked:
        raise PermissionDenied(_("This is locked: no new comments."))
    _check_not_blocked(parent.author_id, author)
    _check_can_post(author, texts=(body,))
    field = "resource" if isinstance(parent, Resource) else "need"
    comment = Comment.objects.create(author=author, body=body, **{field: parent})
    type(parent).objects.filter(pk=parent.pk).update(comment_count=F("comment_count") + 1)
    _notify("notify_new_comment", comment)
    return comment


@transaction.atomic
def toggle_useful(user: User, kind: str, target: Any) -> bool:
    """Mark something useful, or take the mark back; returns whether it is now marked."""
    if kind not in (Resource.KIND, Need.KIND, Response.KIND):
        raise ValidationError(_("Only resources, needs and responses can be marked useful."))
    if target.author_id == user.pk:
        raise PermissionDenied(_("You cannot mark your own contribution as useful."))
    models: dict[str, type[Resource] | type[Need] | type[Response]] = {
        Resource.KIND: Resource,
        Need.KIND: Need,
        Response.KIND: Response,
    }
    model = models[kind]
    deleted, _rows = UsefulVote.objects.filter(user=user, kind=kind, object_id=target.pk).delete()
    _recompute_expertise([target.author_id])
    if deleted:
        model.objects.filter(pk=target.pk).update(useful_count=F("useful_count") - 1)
        return False
    try:
        with transaction.atomic():
            UsefulVote.objects.create(user=user, kind=kind, object_id=target.pk)
    except IntegrityError:
        return True  # a double submit: the first one counted
    model.objects.filter(pk=target.pk).update(useful_count=F("useful_count") + 1)
    return True


@transaction.atomic
def create_collection(owner: User, *, name: str, description: str, is_public: bool) -> Collection:
    """Start a named list of resources."""
    return Collection.objects.create(
        owner=owner, name=name, description=description, is_public=is_public
    )


@transaction.atomic
def add_to_collection(collection: Collection, resource: Resource, *, by: User) -> None:
    """Keep a resource in one of the member's collections (adding twice is harmless)."""
    if collection.owner_id != by.pk:
        raise PermissionDenied(_("You can only change your own collections."))
    CollectionItem.objects.get_or_create(collection=collection, resource=resource)


@transaction.atomic
def remove_from_collection(collection: Collection, resource_id: int, *, by: User) -> None:
    if collection.owner_id != by.pk:
        raise PermissionDenied(_("You can only change your own collections."))
    CollectionItem.objects.filter(collection=collection, resource_id=resource_id).delete()
