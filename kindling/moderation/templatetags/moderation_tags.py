"""Template helpers for the flag and block forms other apps' pages include."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from kindling.core.urlcache import plain_url
from kindling.moderation import content
from kindling.moderation.models import FlagReason
from kindling.moderation.queries import has_blocked
from kindling.moderation.trust import PostingLimits, posting_limits

register = template.Library()


@register.simple_tag(takes_context=True)
def flag_link(
    context: template.Context, kind: str, object_id: int, author_id: int | None = None
) -> SafeString:
    """A link to the flag form for one post in a list (responses, comments): one link each
    instead of a whole form, so a long thread stays light. The viewer's own posts get none.
    ``{% flag_link "response" response.pk response.author_id %}``"""
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or user is None or not user.is_authenticated or author_id == user.pk:
        return SafeString()
    # The parts every link of this page shares, escaped once per page.
    cache_key = f"flag_link:{kind}"
    shared = context.render_context.get(cache_key)
    if shared is None:
        shared = context.render_context[cache_key] = (
            format_html(
                '<a class="flag-link" href="{}?{}',
                plain_url("moderation:flag"),
                urlencode({"kind": kind, "next": request.get_full_path()}),
            ),
            format_html("%23{}-", kind),  # the fragment, urlencoded, continues "next"
            format_html('">{}</a>', _("Flag for moderators")),
        )
    start, fragment, end = shared
    object_id = int(object_id)
    return SafeString(f"{start}{fragment}{object_id}&amp;object_id={object_id}{end}")


@register.simple_tag
def flag_reasons() -> list[tuple[str, Any]]:
    """The reasons a member can give for a flag: ``{% flag_reasons as reasons %}``."""
    return list(FlagReason.choices)


@register.simple_tag(takes_context=True)
def viewer_has_blocked(context: template.Context, member_id: int | None) -> bool:
    """Whether the signed-in viewer has blocked this member (one query)."""
    request = context.get("request")
    viewer_id = getattr(getattr(request, "user", None), "pk", None)
    return has_blocked(viewer_id, member_id)


@register.filter
def content_title(obj: Any) -> str:
    """A post's title, or what it answers or comments on."""
    return content.title_of(obj)


@register.filter
def content_body(obj: Any) -> str:
    """A post's Markdown text (render it with ``|markdown`` or ``|excerpt``)."""
    return content.body_of(obj)


@register.filter
def content_url(obj: Any) -> str:
    """Where members read the post ("" when it has no page)."""
    return content.public_url_of(obj)


@register.filter
def kind_label(kind: str) -> str:
    """A kind of post named for people."""
    return content.kind_label(kind)


@register.simple_tag(takes_context=True)
def viewer_posting_limits(context: template.Context) -> PostingLimits | None:
    """The signed-in viewer's posting limits (two queries), or None for a visitor."""
    user = getattr(context.get("request"), "user", None)
    if user is None or not user.is_authenticated:
        return None
    return posting_limits(user)


@register.filter
def is_content_kind(kind: str) -> bool:
    """Whether an audit entry's target is a post (so it has a review page)."""
    return kind in content.BODY_FIELDS
