"""The kinds of things members post, addressable as (kind, id) by votes, flags and follows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404

from kindling.commons.models import Comment, Need, Resource, Response

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kindling.accounts.models import User

ContentObject = Resource | Need | Response | Comment
CONTENT_MODELS: dict[str, type[Resource] | type[Need] | type[Response] | type[Comment]] = {
    Resource.KIND: Resource,
    Need.KIND: Need,
    Response.KIND: Response,
    Comment.KIND: Comment,
}


def get_visible_content(user: User | AnonymousUser, kind: str, object_id: int) -> ContentObject:
    """The resource, need, response or comment, if this member may see it; else 404."""
    from kindling.commons.querysets import ContentQuerySet, is_moderator

    model = CONTENT_MODELS.get(kind)
    if model is None or not user.is_authenticated:
        raise Http404("Unknown content.")
    try:
        obj = model.objects.get(pk=object_id)
    except model.DoesNotExist:
        raise Http404("No such content.") from None
    if is_moderator(user):
        return obj
    parent: Resource | Need
    if isinstance(obj, Response):
        parent = obj.need
    elif isinstance(obj, Comment):
        parent = obj.parent
    else:
        parent = obj
    queryset: ContentQuerySet = type(parent).objects.visible_to(user)
    if not queryset.filter(pk=parent.pk).exists():
        raise Http404("No such content.")
    if obj is not parent and getattr(obj, "is_hidden", False) and obj.author_id != user.pk:
        raise Http404("No such content.")
    return obj
