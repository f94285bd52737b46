"""Values built from the database once per process and rebuilt when the data under them changes.

"Who can help" ranks every member against an index of what they wrote, and similar needs score
every answered need's vector: loading those for each request would cost more than the ranking.
A ``Snapshot`` keeps the built value in the process and asks a cheap version query (a count and
a latest timestamp, say) whether it is still current, at most once every ``recheck_seconds``;
different processes may disagree for that long, never longer.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")

# Every snapshot made, so tests can start each from nothing (see the root conftest).
_all: list[Snapshot[object]] = []


class Snapshot(Generic[T]):
    """``get()`` returns ``load()``'s value, built again when ``version()`` changes."""

    def __init__(
        self,
        load: Callable[[], T],
        version: Callable[[], Hashable],
        *,
        recheck_seconds: float = 60.0,
    ) -> None:
        self._load = load
        self._version_of = version
        self.recheck_seconds = recheck_seconds
        self._lock = threading.Lock()
        self._value: T | None = None
        self._version: Hashable = None
        self._checked_at = 0.0
        _all.append(self)  # type: ignore[arg-type]

    def get(self) -> T:
        now = time.monotonic()
        value = self._value
        if value is not None and now - self._checked_at < self.recheck_seconds:
            return value
        version = self._version_of()
        with self._lock:
            if self._value is None or version != self._version:
                self._value = self._load()
                self._version = version
            self._checked_at = now
            return self._value

    def clear(self) -> None:
        with self._lock:
            self._value = None
            self._version = None
            self._checked_at = 0.0


def clear_all() -> None:
    """Forget every snapshot's value (for tests: ids and timestamps repeat between them)."""
    for snapshot in _all:
        snapshot.clear()
