"""Faults on real servers, under load: Redis killed, Redis stalled, the
database cut off, a gunicorn worker killed. Every response is counted; no
5xx beyond the 503 the database's absence allows, and the site recovers
without a restart.

Traffic goes only to 127.0.0.1, from a few threads, bounded in count and
time. Marked `postgres`: the app servers share the test database.
"""

import collections
import contextlib
import http.client
import os
import signal
import subprocess
import threading
import time

import pytest
from django.test import override_settings

from desk import services
from scripts.bench_site import redis_answers
from tests.factories import ArticleFactory
from tests.servers import (
    TcpProxy,
    database_url,
    die_with_parent,
    free_port,
    gunicorn,
    redis_url,
    until,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WORKERS = 2


class Load:
    """Readers fetching `paths` in turn from a few threads until stopped
    (at most `limit` requests or `seconds`, whichever comes first)."""

    def __init__(self, server, paths, *, threads=4, limit=4000, seconds=40):
        self.server, self.paths = server, paths
        self.statuses = collections.Counter()
        self.failures = collections.Counter()  # no HTTP answer at all
        self.stop = threading.Event()
        self.limit, self.deadline = limit, time.monotonic() + seconds
        self.lock = threading.Lock()
        self.threads = [
            threading.Thread(target=self._read, args=(n,), daemon=True)
            for n in range(threads)
        ]

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=30)

    @property
    def count(self):
        return sum(self.statuses.values()) + sum(self.failures.values())

    def _read(self, n):
        i = n
        while not self.stop.is_set() and time.monotonic() < self.deadline:
            if self.count >= self.limit:
                return
            path = self.paths[i % len(self.paths)]
            i += 1
            connection = http.client.HTTPConnection(
                "127.0.0.1", self.server.port, timeout=20
            )
            try:
                connection.request("GET", path)
                status = connection.getresponse().status
            except OSError as error:
                with self.lock:
                    self.failures[type(error).__name__] += 1
                continue
            finally:
                connection.close()
            with self.lock:
                self.statuses[status] += 1


@contextlib.contextmanager
def throwaway_redis():
    """A Redis of its own on a free port, that the test can stop, freeze
    and start again."""
    port = free_port()
    command = [
        "redis-server",
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
    ]

    def start():
        process = subprocess.Popen(
            command,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=die_with_parent,
        )
        assert until(lambda: redis_answers(redis_url(port=port)), timeout=10), (
            "redis-server did not start"
        )
        return process

    redis = {"process": start(), "port": port, "start": start}
    try:
        yield redis
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(redis["process"].pid, signal.SIGCONT)
        redis["process"].kill()
        redis["process"].wait()


def cache_at(port):
    """This test process's cache pointed at the throwaway Redis, as the
    servers' is, so that a change made here reaches them as it would."""
    return {
        "default": {
            "BACKEND": "core.cache.RedisCache",
            "LOCATION": redis_url(port=port),
            "KEY_PREFIX": "faults",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


def served(server, path, text):
    status, _, body = server.get(path)
    return status == 200 and text in body.decode()


def log_lines(server, text):
    return [line for line in server.logged().splitlines() if text in line]


@pytest.fixture
def stories():
    story = ArticleFactory(published=True, headline="Rates on hold")
    others = [ArticleFactory(published=True) for _ in range(3)]
    return story, ["/", story.get_absolute_url(), "/feeds/rss/"] + [
        other.get_absolute_url() for other in others
    ]


@pytest.mark.parametrize("fault", ["killed", "stalled"])
def test_a_failing_redis_costs_readers_nothing(
    fault, tmp_path, collected_static, stories
):
    story, paths = stories
    with (
        throwaway_redis() as redis,
        override_settings(CACHES=cache_at(redis["port"])),
        gunicorn(
            tmp_path,
            collected_static,
            REDIS_URL=redis_url(port=redis["port"]),
            CACHE_KEY_PREFIX="faults",
            WEB_CONCURRENCY=str(WORKERS),
        ) as server,
        Load(server, paths) as load,
    ):
        time.sleep(1)
        process = redis["process"]
        if fault == "killed":
            process.kill()
            process.wait()
        else:
            os.kill(process.pid, signal.SIGSTOP)
        time.sleep(3)
        # An editor's change while the cache is out reaches readers once it
        # is back, not a cache lifetime later.
        services.update_article(article=story, user=None, headline="Rates rise")
        time.sleep(2)
        if fault == "killed":
            redis["process"] = redis["start"]()
        else:
            os.kill(process.pid, signal.SIGCONT)
        assert until(lambda: served(server, story.get_absolute_url(), "Rates rise"))
        assert until(lambda: served(server, "/", "Rates rise"))
        time.sleep(2)
    assert load.count > 50
    assert set(load.statuses) == {200}, (load.statuses, server.logged()[-6000:])
    assert not load.failures, load.failures
    log = server.logged()
    assert "Traceback" not in log
    # One line when the outage starts and one when it ends, per worker.
    assert 1 <= len(log_lines(server, "unavailable")) <= WORKERS
    assert len(log_lines(server, "answers again")) <= WORKERS


def test_with_the_database_cut_off_under_load_cached_pages_are_served(
    tmp_path, collected_static, stories
):
    _, paths = stories
    unread = ArticleFactory(published=True, headline="Never read before")
    database = TcpProxy(5432)
    with gunicorn(
        tmp_path,
        collected_static,
        DATABASE_URL=database_url(port=database.port),
        WEB_CONCURRENCY=str(WORKERS),
    ) as server:
        for path in paths:
            assert server.get(path)[0] == 200
        with Load(server, paths) as load:
            time.sleep(1)
            database.cut()
            time.sleep(2)
            status, headers, _ = server.get(unread.get_absolute_url())
            assert (status, headers["Retry-After"]) == (503, "30")
            time.sleep(1)
            database.restore()
            assert until(lambda: served(server, unread.get_absolute_url(), "Never"))
            time.sleep(1)
    assert load.count > 50
    assert set(load.statuses) == {200}, load.statuses
    assert not load.failures, load.failures
    assert "Traceback" not in server.logged()
    assert 1 <= len(log_lines(server, "Database unavailable")) <= WORKERS


def test_a_worker_killed_under_load_is_replaced(tmp_path, collected_static, stories):
    _, paths = stories
    with (
        gunicorn(tmp_path, collected_static, WEB_CONCURRENCY=str(WORKERS)) as server,
        Load(server, paths, threads=2) as load,
    ):
        time.sleep(1)
        workers = _children(server.process.pid)
        assert len(workers) == WORKERS
        os.kill(workers[0], signal.SIGKILL)
        assert until(
            lambda: len(set(_children(server.process.pid)) - {workers[0]}) == WORKERS
        )
        before = load.count
        time.sleep(2)
        assert load.count > before  # still answering, with the new worker
    assert set(load.statuses) == {200}, load.statuses
    # Only the request the killed worker was answering can go unanswered.
    assert sum(load.failures.values()) <= 2, load.failures


def _children(pid):
    with open(f"/proc/{pid}/task/{pid}/children") as children:
        return [int(child) for child in children.read().split()]
