"""``reverse()`` for URLs that end in an id, cheap enough to call once per row of a list.

A page with a thread of twenty responses reverses the same few URL names dozens of times, each
``reverse()`` walking the resolver again. Here each name is reversed once (per script prefix and
URLconf) with a stand-in id, and the row's id is put in its place.
"""

from __future__ import annotations

from functools import lru_cache

from django.urls import get_script_prefix, get_urlconf, reverse

__all__ = ["plain_url", "url_with_id"]

# A stand-in no real id equals while patterns are built; only ever substituted, never requested.
_STAND_IN = "9073120945"


@lru_cache(maxsize=256)
def _pattern(name: str, leading: tuple[str, ...], prefix: str, urlconf: str | None) -> str:
    url = reverse(name, args=[*leading, _STAND_IN], urlconf=urlconf)
    if url.count(_STAND_IN) != 1:  # pragma: no cover - a URL that repeats its arguments
        raise ValueError(f"{name} cannot be reversed by substitution.")
    return url


def url_with_id(name: str, *args: object) -> str:
    """``reverse(name, args=args)`` where the last argument is an integer id."""
    *leading, object_id = args
    pattern = _pattern(name, tuple(str(a) for a in leading), get_script_prefix(), get_urlconf())
    return pattern.replace(_STAND_IN, str(int(object_id)))  # type: ignore[call-overload]


@lru_cache(maxsize=256)
def _plain(name: str, prefix: str, urlconf: str | None) -> str:
    return reverse(name, urlconf=urlconf)


def plain_url(name: str) -> str:
    """``reverse(name)`` for a URL without arguments, reversed once."""
    return _plain(name, get_script_prefix(), get_urlconf())
