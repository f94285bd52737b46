import threading
import time

from kindling.core import snapshot as snapshot_module
from kindling.core.snapshot import Snapshot


class Source:
    def __init__(self) -> None:
        self.version = 1
        self.loads = 0
        self.checks = 0

    def load(self) -> str:
        self.loads += 1
        return f"built from version {self.version}"

    def current_version(self) -> int:
        self.checks += 1
        return self.version


def test_a_snapshot_is_built_once_and_again_only_when_its_version_changes():
    source = Source()
    snapshot = Snapshot(source.load, source.current_version, recheck_seconds=0.0)
    assert snapshot.get() == "built from version 1"
    assert snapshot.get() == "built from version 1"
    assert source.loads == 1
    source.version = 2
    assert snapshot.get() == "built from version 2"
    assert source.loads == 2


def test_the_version_is_asked_at_most_once_per_recheck_period():
    source = Source()
    snapshot = Snapshot(source.load, source.current_version, recheck_seconds=3600.0)
    snapshot.get()
    source.version = 2
    assert snapshot.get() == "built from version 1"
    assert source.checks == 1
    snapshot.clear()
    assert snapshot.get() == "built from version 2"


class SlowSource(Source):
    """A source whose builds wait until the test lets them finish."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    def load(self) -> str:
        if self.loads:  # the first build is not held
            self.release.wait(5)
        return super().load()


def test_a_background_snapshot_keeps_answering_while_it_is_built_again(monkeypatch):
    monkeypatch.setattr(snapshot_module, "BACKGROUND", True)
    source = SlowSource()
    snapshot = Snapshot(source.load, source.current_version, recheck_seconds=0.0, background=True)
    assert snapshot.get() == "built from version 1"  # the first value is built at once
    source.version = 2
    started = time.monotonic()
    assert snapshot.get() == "built from version 1"  # the old value, without waiting
    assert snapshot.get() == "built from version 1"
    assert time.monotonic() - started < 1
    source.release.set()
    snapshot.wait(5)
    assert snapshot.get() == "built from version 2"
    assert source.loads == 2  # one build for the two requests that saw the change


class FailingSource(Source):
    def __init__(self) -> None:
        super().__init__()
        self.failing = False

    def load(self) -> str:
        if self.failing:
            raise RuntimeError("the database went away")
        return super().load()


def test_a_failed_background_build_keeps_the_value_and_is_tried_again(monkeypatch):
    monkeypatch.setattr(snapshot_module, "BACKGROUND", True)
    source = FailingSource()
    snapshot = Snapshot(source.load, source.current_version, recheck_seconds=0.0, background=True)
    snapshot.get()
    source.version, source.failing = 2, True
    assert snapshot.get() == "built from version 1"
    snapshot.wait(5)
    assert snapshot.get() == "built from version 1"  # kept; this call starts another try
    snapshot.wait(5)
    source.failing = False
    assert snapshot.get() == "built from version 1"
    snapshot.wait(5)
    assert snapshot.get() == "built from version 2"
