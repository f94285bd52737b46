"""The search page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from kindling.search.forms import SearchForm
from kindling.search.models import DocumentKind
from kindling.search.queries import FACET_KINDS, KINDS, search


@require_safe
@login_required
def search_page(request: HttpRequest) -> HttpResponse:
    """Ranked, highlighted, faceted results for ?q=, filtered by type and tags."""
    form = SearchForm(request.GET or None)
    results = None
    kinds = [k for k in request.GET.getlist("type") if k in KINDS]
    filters = {key: request.GET.get(key, "") for key in FACET_KINDS}
    if form.is_bound and form.is_valid() and form.cleaned_data["q"]:
        results = search(
            request.user,
            form.cleaned_data["q"],
            kinds=kinds,
            filters=filters,
            page=request.GET.get("page"),
        )
    active_filters = {k: v for k, v in filters.items() if v}
    # Tag facets, each with whether its filter is set; a set filter is named as its facet is
    # (else by its slug).
    facets = [
        (facet, active_filters.get(facet.filter_key) == facet.slug)
        for facet in (results.tag_facets if results else [])
    ]
    named = {facet.filter_key: facet for facet, is_set in facets if is_set}
    removable = [(key, named.get(key), value) for key, value in active_filters.items()]
    return render(
        request,
        "search/search.html",
        {
            "form": form,
            "results": results,
            "page": results.page if results else None,
            "kinds": kinds,
            "kind_labels": list(DocumentKind.choices),
            "active_filters": active_filters,
            "facets": facets,
            "removable": removable,
        },
    )
