"""One way to read and change the four kinds of posts (resource, need, response, comment).

The moderation queue, the review page and moderator edits treat every kind alike; the fields
differ (a need's text is ``details``, responses and comments have no title), so the differences
are kept here.
"""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch
from django.utils.translation import gettext as _

from kindling.commons.kinds import ContentObject
from kindling.commons.models import Comment, Need, Resource, Response

__all__ = [
    "BODY_FIELDS",
    "LOCKABLE_KINDS",
    "TITLED_KINDS",
    "body_of",
    "kind_label",
    "public_url_of",
    "title_of",
]

BODY_FIELDS = {
    Resource.KIND: "body",
    Need.KIND: "details",
    Response.KIND: "body",
    Comment.KIND: "body",
}
TITLED_KINDS = frozenset({Resource.KIND, Need.KIND})
LOCKABLE_KINDS = frozenset({Resource.KIND, Need.KIND})
# Related rows each kind's title, link and author need, fetched with it in one query.
RELATED = {
    Resource.KIND: ("author__profile",),
    Need.KIND: ("author__profile",),
    Response.KIND: ("author__profile", "need"),
    Comment.KIND: ("author__profile", "resource", "need"),
}


def kind_label(kind: str) -> str:
    """The kind's name for people."""
    labels = {
        Resource.KIND: _("Resource"),
        Need.KIND: _("Need"),
        Response.KIND: _("Response"),
        Comment.KIND: _("Comment"),
    }
    return labels.get(kind, kind)


def body_of(obj: ContentObject) -> str:
    """The Markdown text of a post."""
    return str(getattr(obj, BODY_FIELDS[obj.KIND]) or "")


def title_of(obj: ContentObject) -> str:
    """A heading for a post: its own title, or what it answers or comments on."""
    if isinstance(obj, Resource | Need):
        return obj.title
    if isinstance(obj, Response):
        return _("Response to “%(title)s”") % {"title": obj.need.title}
    parent: Any = obj.parent
    return _("Comment on “%(title)s”") % {"title": parent.title if parent else ""}


def public_url_of(obj: ContentObject) -> str:
    """Where members read the post, or "" when the commons has no page for it."""
    try:
        return obj.get_absolute_url()
    except NoReverseMatch:
        # Moderation works on (kind, id) alone and must not fail because a page is not routed.
        return ""
