"""Real app servers for the tests that need them: gunicorn, started from the
repository's gunicorn.conf.py, on the test database and cache, and a TCP
proxy that can cut a server off from PostgreSQL or Redis and let it back.

Used by the tests marked `servers` (run on PostgreSQL + Redis, where several
processes can share the test database). Every server listens on 127.0.0.1
and is stopped when its test ends, or when the test run dies.
"""

import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

# The checkout: gunicorn.conf.py, deploy/ and scripts/ are found from here.
ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def die_with_parent():
    """In a child: if the test run is killed outright, go with it."""
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)


def database_url(port=None):
    """The test database (the one this test run created) as a URL, through
    `port` instead of the real one if given."""
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        pytest.fail("App-server tests need PostgreSQL: run them with DATABASE_URL.")
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:"
        f"{port or db['PORT'] or 5432}/{db['NAME']}"
    )


def redis_url(port=None):
    location = settings.CACHES["default"].get("LOCATION", "")
    if not location.startswith("redis://"):
        pytest.fail("App-server tests need Redis: run them with REDIS_URL.")
    if port is None:
        return location
    host_and_port, _, db = location.removeprefix("redis://").partition("/")
    return f"redis://127.0.0.1:{port}/{db}"


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory):
    """Hashed static files, as `collectstatic` leaves them in production."""
    root = tmp_path_factory.mktemp("static")
    with override_static_root(root):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


@contextlib.contextmanager
def override_static_root(root):
    from django.test.utils import override_settings

    storages = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        },
    }
    with override_settings(STATIC_ROOT=root, STORAGES=storages):
        yield


@dataclass
class Server:
    url: str
    port: int
    process: subprocess.Popen
    log: Path

    def get(self, path, headers=None, timeout=10):
        """(status, headers, body) for GET `path`; errors are answers too."""
        request = urllib.request.Request(self.url + path, headers=headers or {})
        opener = urllib.request.build_opener(NoRedirects)
        try:
            with opener.open(request, timeout=timeout) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def logged(self):
        return self.log.read_text(errors="replace")


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def server_env(port, *, static_root, media_root, **overrides):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "PYTEST_CURRENT_TEST"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        ENV_FILE="",
        SECRET_KEY="test-only-secret-key-not-for-production",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        HTTPS="false",
        SITE_URL=settings.SITE_URL,
        DATABASE_URL=database_url(),
        DB_CONN_MAX_AGE="60",
        REDIS_URL=redis_url(),
        CACHE_KEY_PREFIX=settings.CACHES["default"].get("KEY_PREFIX", ""),
        STATIC_ROOT=str(static_root),
        MEDIA_ROOT=str(media_root),
        WEB_CONCURRENCY="1",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        PYTHONPATH=str(ROOT),
    )
    env.update(overrides)
    return env


@contextlib.contextmanager
def gunicorn(tmp_path, static_root, **env):
    """A gunicorn serving the site on a free port until the block ends."""
    port = free_port()
    environment = server_env(
        port, static_root=static_root, media_root=tmp_path / "media", **env
    )
    with serving(environment, port, tmp_path / f"gunicorn-{port}.log") as server:
        yield server


@contextlib.contextmanager
def serving(env, port, log):
    """The repository's gunicorn.conf.py with `env` (its GUNICORN_BIND on
    `port`), logging to `log`, until the block ends."""
    with open(log, "w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py")],
            env=env,
            cwd=ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
            preexec_fn=die_with_parent,
        )
    server = Server(f"http://127.0.0.1:{port}", port, process, log)
    try:
        wait_for(server)
        yield server
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_for(server, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"gunicorn exited:\n{server.logged()[-3000:]}")
        with contextlib.suppress(OSError):
            with socket.create_connection(("127.0.0.1", server.port), timeout=1):
                return
        time.sleep(0.1)
    pytest.fail(f"gunicorn did not listen in {timeout}s:\n{server.logged()[-3000:]}")


def until(check, timeout=15):
    """Wait (bounded) for `check()` to be true; return its last value."""
    deadline = time.monotonic() + timeout
    while not (result := check()) and time.monotonic() < deadline:
        time.sleep(0.2)
    return result


class TcpProxy:
    """Forwards 127.0.0.1:<port> to a real server. `cut()` refuses new
    connections and drops the open ones, as a server that died would;
    `restore()` lets them through again."""

    def __init__(self, target_port):
        self.target_port = target_port
        self.port = free_port()
        self.listener = None
        self.connections = []
        self.lock = threading.Lock()
        self.restore()

    def restore(self):
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self):
        # shutdown() first: close() alone leaves a blocked accept() holding
        # the port open.
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        with self.lock:
            for connection in self.connections:
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)
                connection.close()
            self.connections.clear()

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # cut
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target_port))
            except OSError:
                client.close()
                continue
            with self.lock:
                self.connections += [client, upstream]
            for a, b in [(client, upstream), (upstream, client)]:
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source, target):
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                target.sendall(data)
        with contextlib.suppress(OSError):
            target.shutdown(socket.SHUT_WR)
