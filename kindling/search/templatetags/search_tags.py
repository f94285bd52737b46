"""Links that change one filter of the current search."""

from __future__ import annotations

from urllib.parse import urlencode

from django import template
from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from kindling.commons.models import Tag

register = template.Library()


@register.simple_tag(takes_context=True)
def search_url(context: template.Context, key: str, value: str = "") -> str:
    """The current search with ``key`` set to ``value`` (or removed when empty) in its place,
    on page one. (Built from the query's lists: a page of results asks for some sixty links,
    and copying the QueryDict for each cost a millisecond and a half.)"""
    request: HttpRequest = context["request"]
    params: list[tuple[str, list[str]]] = []
    for name, values in request.GET.lists():
        if name == key:
            if value:
                params.append((name, [value]))
        elif name != "page":
            params.append((name, values))
    if value and key not in request.GET:
        params.append((key, [value]))
    return "?" + urlencode(params, doseq=True)


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


_KIND_LABELS = {
    "resource": gettext_lazy("Resource"),
    "need": gettext_lazy("Need"),
    "response": gettext_lazy("Response"),
    "circle": gettext_lazy("Circle"),
    "person": gettext_lazy("Member"),
}


@register.filter
def kind_label(kind: str) -> str:
    """The singular, translated name of a kind of result."""
    label = _KIND_LABELS.get(kind)
    return str(label) if label is not None else kind
