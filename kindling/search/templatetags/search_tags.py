"""Links that change one filter of the current search."""

from __future__ import annotations

from django import template
from django.http import HttpRequest

from kindling.commons.models import Tag

register = template.Library()


@register.simple_tag(takes_context=True)
def search_url(context: template.Context, key: str, value: str = "") -> str:
    """The current search with ``key`` set to ``value`` (or removed when empty), on page one."""
    request: HttpRequest = context["request"]
    params = request.GET.copy()
    params.pop("page", None)
    if value:
        params[key] = value
    else:
        params.pop(key, None)
    return "?" + params.urlencode()


@register.filter
def facet_name(facet: object) -> str:
    """A tag facet's name in the reader's language."""
    kind = "free" if getattr(facet, "kind", "") == "free" else getattr(facet, "kind", "")
    return Tag(
        kind=kind, slug=getattr(facet, "slug", ""), name=getattr(facet, "name", "")
    ).display_name


@register.filter
def get_count(counts: object, kind: str) -> int:
    """How many results of one kind (0 when none)."""
    return counts.get(kind, 0) if isinstance(counts, dict) else 0


@register.filter
def kind_label(kind: str) -> str:
    """The singular, translated name of a kind of result."""
    from django.utils.translation import gettext

    labels = {
        "resource": gettext("Resource"),
        "need": gettext("Need"),
        "response": gettext("Response"),
        "circle": gettext("Circle"),
        "person": gettext("Member"),
    }
    return labels.get(kind, kind)
