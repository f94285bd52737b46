"""Checks against a real Redis server (TEST_REDIS_URL); skipped when none is given."""

import os
import uuid

import pytest
from django.core.cache import caches
from django.test import override_settings

REDIS_URL = os.environ.get("TEST_REDIS_URL", "")
pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(not REDIS_URL, reason="TEST_REDIS_URL is not set"),
]


def test_cache_round_trips_through_redis():
    config = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"kindling-test-{uuid.uuid4().hex}",
        }
    }
    with override_settings(CACHES=config):
        cache = caches.create_connection("default")
        cache.set("greeting", {"text": "hola"}, 30)
        assert cache.get("greeting") == {"text": "hola"}
        cache.delete("greeting")
        assert cache.get("greeting") is None


def test_mail_queued_on_redis_is_delivered_by_the_worker(tmp_path):
    """TASK_BACKEND=rq end to end: a web process queues, the worker command delivers."""
    from kindling.core.tests.test_settings import run_manage

    outbox = tmp_path / "mail"
    queue_db = REDIS_URL.rsplit("/", 1)[0] + "/14"
    env = {
        "DEBUG": "1",
        "REDIS_URL": queue_db,
        "TASK_BACKEND": "rq",
        "EMAIL_URL": f"file://{outbox}",
        "KINDLING_DATA_DIR": str(tmp_path),
    }
    import redis

    redis.Redis.from_url(queue_db).flushdb()
    queued = run_manage(
        "shell",
        "-c",
        "from django.core.mail import send_mail; "
        "send_mail('Over Redis', 'Body', 'k@example.org', ['to@example.org'])",
        **env,
    )
    assert queued.returncode == 0, queued.stderr
    assert not outbox.exists() or not list(outbox.iterdir())
    worked = run_manage("run_worker", "--batch", **env)
    assert worked.returncode == 0, worked.stderr
    delivered = [p.read_text() for p in outbox.iterdir()]
    assert len(delivered) == 1
    assert "Subject: Over Redis" in delivered[0]
