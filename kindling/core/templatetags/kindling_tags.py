"""Template helpers used across apps."""

from datetime import datetime

from django import template
from django.http import HttpRequest
from django.utils.safestring import SafeString

from kindling.core.markdown import render_markdown, render_plain_excerpt
from kindling.core.moments import ago

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context: template.Context, number: int) -> str:
    """The current URL's query string with only the page number changed."""
    request: HttpRequest = context["request"]
    params = request.GET.copy()
    params["page"] = str(number)
    return "?" + params.urlencode()


@register.filter(name="markdown")
def markdown_filter(value: object) -> SafeString:
    """Member-written Markdown as sanitised HTML: ``{{ resource.body|markdown }}``."""
    return render_markdown("" if value is None else str(value))


@register.filter(name="excerpt")
def excerpt_filter(value: object, length: int | str) -> str:
    """Markdown as plain text, at most ``length`` characters: ``{{ need.body|excerpt:200 }}``.

    The result is plain text, so autoescaping applies to it as usual.
    """
    return render_plain_excerpt("" if value is None else str(value), int(length))


@register.filter(name="in_set")
def in_set_filter(value: object, collection: object) -> bool:
    """Whether ``value`` is in a set passed from the view: ``{% if pk|in_set:voted %}``."""
    try:
        return value in collection  # type: ignore[operator]
    except TypeError:
        return False


@register.filter(name="get_item")
def get_item_filter(mapping: object, key: object) -> object:
    """A dictionary lookup with a variable key: ``{{ profiles|get_item:user_id }}``."""
    try:
        return mapping[key]  # type: ignore[index]
    except (KeyError, TypeError, IndexError):
        return None


@register.filter(name="ago")
def ago_filter(value: object) -> str:
    """How long ago a moment was: "just now", "3 days ago" ("" for no moment)."""
    return ago(value) if isinstance(value, datetime) else ""
