"""Pagination that stays fast on large lists.

Counting every matching row to print "Page 3 of 605" costs as much as the page itself on a big
commons; past a cap the exact total adds nothing a reader needs. ``CappedPaginator`` counts at
most ``cap + 1`` rows and says "more than N" beyond that.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.utils.functional import cached_property

COUNT_CAP = 1000


class CappedPaginator(Paginator):
    """A paginator whose total stops at ``cap`` (the last pages are reached one at a time)."""

    def __init__(
        self,
        object_list: Any,
        per_page: int,
        *,
        cap: int = COUNT_CAP,
        counted: Any = None,
        **kwargs: Any,
    ):
        """``counted``, when given, is a queryset with the same rows as ``object_list`` that the
        database counts faster (a join where the list needs an EXISTS to walk its index)."""
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap
        self.counted = counted

    @classmethod
    def for_request(
        cls, object_list: Any, per_page: int, page: str | None, *, counted: Any = None
    ) -> CappedPaginator:
        """A paginator whose cap always reaches past the requested page, so "Next" works."""
        try:
            number = max(1, int(page or 1))
        except ValueError:
            number = 1
        cap = max(COUNT_CAP, (number + 1) * per_page)
        return cls(object_list, per_page, cap=cap, counted=counted)

    @cached_property
    def count(self) -> int:
        """The number of items, or ``cap + 1`` when there are more than ``cap``."""
        object_list: Any = self.object_list if self.counted is None else self.counted
        if hasattr(object_list, "order_by"):
            return int(object_list.order_by()[: self.cap + 1].count())
        return len(object_list)

    @property
    def is_capped(self) -> bool:
        return self.count > self.cap
