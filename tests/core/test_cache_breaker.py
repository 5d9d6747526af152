"""The Redis backend's circuit breaker: a failing cache is not asked again
for a while, and each outage is logged once when it starts and once when
it ends, not once per request."""

import logging

import pytest
from django.core.cache import caches
from django.test import override_settings

from core import cache as backend

pytestmark = pytest.mark.django_db


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(backend.time, "monotonic", clock)
    return clock


def test_after_a_failure_the_cache_is_not_asked_until_the_retry(clock, caplog):
    breaker = backend.Breaker("redis://test", retry=5)
    asked = []

    def refused():
        asked.append(1)
        raise ConnectionRefusedError("Connection refused")

    for _ in range(50):
        with pytest.raises(backend.CacheUnavailable):
            breaker.call(refused)
    assert len(asked) == 1
    clock.now += 5
    with pytest.raises(backend.CacheUnavailable):
        breaker.call(refused)  # the trial, failing again
    assert len(asked) == 2
    clock.now += 5
    assert breaker.call(lambda: "answer") == "answer"
    assert breaker.call(lambda: "again") == "again"
    messages = [r.getMessage() for r in caplog.records if r.name == "core.cache"]
    assert len(messages) == 2
    assert "unavailable" in messages[0] and "Connection refused" in messages[0]
    assert "answers again after 10 s" in messages[1]


def test_a_dead_redis_is_a_miss_logged_once(client, caplog):
    """Through the real backend, against a port nothing listens on: pages
    render from the database, one log line for all of it."""
    from tests.servers import free_port

    location = f"redis://127.0.0.1:{free_port()}/0"
    dead = {
        "BACKEND": "core.cache.RedisCache",
        "LOCATION": location,
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
    # Django builds the cache afresh from the overridden settings.
    with override_settings(CACHES={"default": dead}):
        assert type(caches["default"]) is backend.RedisCache
        caplog.set_level(logging.WARNING)
        for _ in range(10):
            assert client.get("/").status_code == 200
    assert [r.name for r in caplog.records if r.levelno >= logging.WARNING] == [
        "core.cache"
    ]
    assert not [r for r in caplog.records if r.exc_info]
