"""Values built from the database once per process and rebuilt when the data under them changes.

"Who can help" ranks every member against an index of what they wrote, and similar needs score
every answered need's vector: loading those for each request would cost more than the ranking.
A ``Snapshot`` keeps the built value in the process and asks a cheap version query (a count and
a latest timestamp, say) whether it is still current, at most once every ``recheck_seconds``;
different processes may disagree for that long, never longer.

Building one can take a second or two on a large community (ten thousand members' text
profiles). A snapshot made with ``background=True`` builds only its first value in the request
that asks for it; once its data changes, requests go on getting the value they had while one
thread builds the new one, so no member waits for it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from django.db import connections

logger = logging.getLogger(__name__)

T = TypeVar("T")

# Every snapshot made, so tests can start each from nothing (see the root conftest).
_all: list[Snapshot[object]] = []

# Whether snapshots made with background=True may build on another thread. The tests turn it
# off: a test's writes sit in a transaction that another thread's connection cannot see.
BACKGROUND = True


class Snapshot(Generic[T]):
    """``get()`` returns ``load()``'s value, built again when ``version()`` changes."""

    def __init__(
        self,
        load: Callable[[], T],
        version: Callable[[], Hashable],
        *,
        recheck_seconds: float = 60.0,
        background: bool = False,
    ) -> None:
        self._load = load
        self._version_of = version
        self.recheck_seconds = recheck_seconds
        self.background = background
        self._lock = threading.Lock()
        self._value: T | None = None
        self._version: Hashable = None
        self._checked_at = 0.0
        self._building: threading.Thread | None = None
        _all.append(self)  # type: ignore[arg-type]

    def get(self) -> T:
        now = time.monotonic()
        value = self._value
        if value is not None and now - self._checked_at < self.recheck_seconds:
            return value
        version = self._version_of()
        with self._lock:
            self._checked_at = now
            if self._value is not None and version == self._version:
                return self._value
            if self._value is not None and self.background and BACKGROUND:
                if self._building is None:  # one build at a time; the stale value meanwhile
                    self._building = threading.Thread(
                        target=self._build, args=(version,), name="snapshot", daemon=True
                    )
                    self._building.start()
                return self._value
            self._value = self._load()
            self._version = version
            return self._value

    def _build(self, version: Hashable) -> None:
        try:
            value = self._load()
            with self._lock:
                if self._building is threading.current_thread():  # not cleared meanwhile
                    self._value = value
                    self._version = version
        except Exception:  # the stale value stays; the next recheck tries again
            logger.exception("A snapshot could not be built again; keeping the one it had.")
        finally:
            with self._lock:
                if self._building is threading.current_thread():
                    self._building = None
            connections.close_all()  # this thread's own connections

    def wait(self, timeout: float | None = None) -> None:
        """Wait for a build on another thread to finish (for tests and benchmarks)."""
        building = self._building
        if building is not None:
            building.join(timeout)

    def clear(self) -> None:
        with self._lock:
            self._value = None
            self._version = None
            self._checked_at = 0.0
            self._building = None


def clear_all() -> None:
    """Forget every snapshot's value (for tests: ids and timestamps repeat between them)."""
    for snapshot in _all:
        snapshot.clear()
