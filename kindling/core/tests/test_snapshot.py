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
