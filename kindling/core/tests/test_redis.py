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
