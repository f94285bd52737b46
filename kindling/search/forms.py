"""The search box."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

QUERY_MAX_LENGTH = 300


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        max_length=QUERY_MAX_LENGTH,
        required=False,
        strip=True,
        error_messages={
            "max_length": _("Please shorten your search to %(limit_value)d characters or fewer.")
        },
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
