"""What a server process does once its application is loaded (kindling/core/startup.py)."""

import gc

from kindling.core.startup import freeze_loaded_objects


def test_freezing_keeps_the_loaded_application_out_of_later_collections():
    try:
        frozen = freeze_loaded_objects()
        # Frozen objects can still be freed (by reference counting, on any thread), so the
        # count may have dropped by a few since.
        assert frozen > 10_000
        assert frozen - 100 < gc.get_freeze_count() <= frozen
        # Later collections see only what was made afterwards.
        assert len(gc.get_objects()) < frozen
    finally:
        gc.unfreeze()
    assert gc.get_freeze_count() == 0
