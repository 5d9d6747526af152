"""The bench's throwaway site: its database, cache and folders, the
subprocesses that set it up and seed it, and the gunicorns that serve it.

PostgreSQL and Redis are used when they answer: a database of its own
(`newsroom_bench_<pid>`, created on the server and dropped at the end, also
after an error or Ctrl-C) and a Redis database number of its own with a key
prefix of its own (only those keys are removed at the end). When either does
not answer, a temporary SQLite file or a file cache in the bench's folder
takes its place, and the bench says so. Everything else (media, collected
static files, logs) lives in a temporary folder; nothing is written to the
checkout.
"""

import contextlib
import ctypes
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
SEED = Path(__file__).with_name("bench_seed.py")
DATABASE_PREFIX = "newsroom_bench_"
KEY_PREFIX = "newsroom-bench-"
# Settings the developer's shell or .env may hold that would change what
# is measured; the site gets the bench's own values or the defaults.
NOT_INHERITED = {
    "DEBUG",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "DJANGO_SETTINGS_MODULE",
    "DATABASE_URL",
    "DB_CONN_MAX_AGE",
    "REDIS_URL",
    "CACHE_DIR",
    "CACHE_KEY_PREFIX",
    "PAGE_CACHE_SECONDS",
    "DEPLOY_ID",
    "SERVE_MEDIA",
    "WEB_CONCURRENCY",
    "PYTEST_CURRENT_TEST",
}
COLD_SETTINGS = '''"""Written by scripts/bench.py: the site with no cache at all. Every
request renders its page from the database, the edition included."""

from newsroom.settings import *  # noqa: F403

CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
'''


@dataclass
class Site:
    tmp: Path
    env: dict
    database: str  # for the header: what the site runs on
    cache: str
    postgres: bool
    shared_cache: bool

    def run(self, *args):
        """Run a bench_seed.py command in the site; its JSON answer."""
        done = subprocess.run(
            [sys.executable, str(SEED), *map(str, args)],
            env=self.env,
            cwd=self.tmp,
            capture_output=True,
            text=True,
            check=False,
            preexec_fn=die_with_parent,
        )
        if done.returncode != 0:
            sys.stderr.write(done.stdout + done.stderr)
            raise RuntimeError(f"bench_seed.py {args[0]} failed")
        return json.loads(done.stdout.strip().splitlines()[-1])

    def seed(self, *, first, count, started, jobs):
        """Add stories `first` to `first + count - 1`, in `jobs` processes
        at once (each its own share of the numbers); the wall-clock seconds
        it took and the measured story's address."""
        began = time.perf_counter()
        bounds = [first + count * job // jobs for job in range(jobs + 1)]
        shares = [(bounds[job], bounds[job + 1] - bounds[job]) for job in range(jobs)]
        processes = [
            subprocess.Popen(
                [sys.executable, str(SEED), "seed", "--first", str(start)]
                + ["--count", str(n), "--started", str(started)],
                env=self.env,
                cwd=self.tmp,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                preexec_fn=die_with_parent,
            )
            for start, n in shares
            if n
        ]
        answers = []
        for process in processes:
            output, problems = process.communicate()
            if process.returncode != 0:
                sys.stderr.write(output + problems)
                raise RuntimeError("seeding the bench's site failed")
            answers.append(json.loads(output.strip().splitlines()[-1]))
        story_urls = [a["story_url"] for a in answers if a["story_url"]]
        return time.perf_counter() - began, (story_urls or [None])[0]

    def cold_env(self):
        """The environment of the cold server: the same site, no cache."""
        (self.tmp / "bench_cold_settings.py").write_text(COLD_SETTINGS)
        return self.env | {
            "DJANGO_SETTINGS_MODULE": "bench_cold_settings",
            "PYTHONPATH": f"{self.tmp}{os.pathsep}{ROOT}",
        }


@contextlib.contextmanager
def throwaway_site(tmp, *, postgres_url, redis_url, sqlite):
    """A Site in `tmp`, on a new PostgreSQL database and a Redis key prefix
    when they answer (unless `sqlite`), removed again when the block ends."""
    tmp = Path(tmp)
    env = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    env = {k: v for k, v in env.items() if not k.startswith(("CDN_", "GUNICORN_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        # Never the developer's .env: the bench's values and the defaults.
        ENV_FILE="",
        DEBUG="false",
        SECRET_KEY="bench-only-secret-key",
        ALLOWED_HOSTS="127.0.0.1,testserver",
        HTTPS="false",
        SITE_URL="http://127.0.0.1",
        MEDIA_ROOT=str(tmp / "media"),
        STATIC_ROOT=str(tmp / "static"),
        PYTHONPATH=str(ROOT),
        GUNICORN_LOG_LEVEL="warning",
    )
    with contextlib.ExitStack() as stack:
        postgres = not sqlite and postgres_answers(postgres_url)
        if postgres:
            env["DATABASE_URL"] = stack.enter_context(throwaway_database(postgres_url))
            database = f"PostgreSQL {server_version(postgres_url)}, throwaway "
            database += f"database {urlsplit(env['DATABASE_URL']).path[1:]}"
        else:
            env["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
            database = "SQLite, a temporary file"
            if not sqlite:
                database += f" (PostgreSQL at {postgres_url} does not answer)"
        shared = not sqlite and redis_answers(redis_url)
        if shared:
            prefix = stack.enter_context(throwaway_keys(redis_url))
            env.update(REDIS_URL=redis_url, CACHE_KEY_PREFIX=prefix)
            cache = f"Redis {redis_url}, keys under {prefix}:"
        else:
            env["CACHE_DIR"] = str(tmp / "cache")
            cache = "files in the bench's folder, shared by the workers"
            if not sqlite:
                cache += f" (Redis at {redis_url} does not answer)"
        yield Site(tmp, env, database, cache, postgres=postgres, shared_cache=shared)


# PostgreSQL and Redis.


def postgres_answers(url):
    import psycopg

    try:
        _connect(url).close()
    except psycopg.Error:
        return False
    return True


def redis_answers(url):
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except (redis.RedisError, ValueError):
        return False
    return True


def _connect(url):
    import psycopg

    parts = urlsplit(url)
    return psycopg.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password or None,
        dbname=parts.path.lstrip("/") or "postgres",
        autocommit=True,
        connect_timeout=3,
    )


def server_version(url):
    with _connect(url) as connection:
        return connection.execute("SHOW server_version").fetchone()[0].split()[0]


def pid_is_gone(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _owner(name, prefix):
    """The process id in a bench's database name or key prefix, or None."""
    rest = name.removeprefix(prefix)
    return int(rest) if name.startswith(prefix) and rest.isdigit() else None


@contextlib.contextmanager
def throwaway_database(url):
    """A new database on the server at `url`, named after this process;
    its URL. Dropped at the end, with any left by a bench that was killed."""
    from psycopg import sql

    name = f"{DATABASE_PREFIX}{os.getpid()}"
    with _connect(url) as admin:
        existing = admin.execute(
            "SELECT datname FROM pg_database WHERE starts_with(datname, %s)",
            [DATABASE_PREFIX],
        ).fetchall()
        for (old,) in existing:
            owner = _owner(old, DATABASE_PREFIX)
            if owner is not None and (owner == os.getpid() or pid_is_gone(owner)):
                print(f"Dropping {old}, left by a bench that did not finish.")
                admin.execute(
                    sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(old))
                )
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield urlsplit(url)._replace(path=f"/{name}").geturl()
    finally:
        with _connect(url) as admin:
            # FORCE: a server that did not stop in time still holds sessions.
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(name)
                )
            )


@contextlib.contextmanager
def throwaway_keys(url):
    """A key prefix of this process's own in the Redis database at `url`;
    its keys (and those of a bench that was killed) are removed at the end."""
    import redis

    client = redis.Redis.from_url(url)
    prefix = f"{KEY_PREFIX}{os.getpid()}"

    def remove(pattern, owned):
        for key in client.scan_iter(match=pattern, count=1000):
            if owned(key.decode(errors="replace").split(":", 1)[0]):
                client.unlink(key)

    remove(
        f"{KEY_PREFIX}*:*",
        lambda p: (owner := _owner(p, KEY_PREFIX)) is not None and pid_is_gone(owner),
    )
    try:
        yield prefix
    finally:
        remove(f"{prefix}:*", lambda p: p == prefix)


# The app servers.


def die_with_parent():
    """In a child: if the bench is killed outright (kill -9, a timeout), go
    with it instead of living on unattended."""
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """A gunicorn started from the repository's gunicorn.conf.py, on a free
    port of 127.0.0.1, with `workers` sync workers."""

    def __init__(self, name, env, *, workers, max_requests, log_dir):
        self.name = name
        self.port = free_port()
        self.log = Path(log_dir) / f"gunicorn-{name}.log"
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            str(ROOT / "gunicorn.conf.py"),
        ]
        if max_requests is not None:
            command += ["--max-requests", str(max_requests)]
        with open(self.log, "w") as log:
            self.process = subprocess.Popen(
                command,
                env=env
                | {
                    "GUNICORN_BIND": f"127.0.0.1:{self.port}",
                    "WEB_CONCURRENCY": str(workers),
                },
                cwd=ROOT,
                # The access log (a line a request, as in production) goes
                # nowhere; errors go to the log shown if something fails.
                stdout=subprocess.DEVNULL,
                stderr=log,
                preexec_fn=die_with_parent,
            )
        self.peak_rss = {}

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def wait_until_serving(self, path, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn ({self.name}) exited:\n{self.logged()}")
            try:
                with urllib.request.urlopen(self.url(path), timeout=5):
                    return
            except (OSError, urllib.error.URLError):
                time.sleep(0.1)
        raise RuntimeError(f"gunicorn ({self.name}) did not answer in {timeout}s")

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def logged(self):
        return self.log.read_text(errors="replace")[-4000:]

    def workers(self):
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except OSError:
            return []

    def cpu_ticks(self):
        """CPU time used so far by the master and its current workers."""
        total = 0
        for pid in [self.process.pid, *self.workers()]:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total

    def note_memory(self):
        """Keep each worker's high-water mark of resident memory (VmHWM)."""
        for pid in self.workers():
            with contextlib.suppress(OSError):
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        self.peak_rss[pid] = int(line.split()[1]) / 1024


@contextlib.contextmanager
def serving(site, *, workers, max_requests, ready_path):
    """The warm server (the site's cache) and the cold one (no cache)."""
    servers = []
    try:
        for name, env in [("warm", site.env), ("cold", site.cold_env())]:
            servers.append(
                Server(
                    name,
                    env,
                    workers=workers,
                    max_requests=max_requests,
                    log_dir=site.tmp,
                )
            )
        for server in servers:
            server.wait_until_serving(ready_path)
        yield servers
    except Exception:
        for server in servers:
            sys.stderr.write(f"--- gunicorn ({server.name}) log:\n{server.logged()}\n")
        raise
    finally:
        for server in servers:
            server.stop()


def settle(servers, *, quiet=0.1, limit=5.0):
    """Wait until the servers have used no CPU for `quiet` seconds (at most
    `limit`): requests wrk left queued when it stopped are finished before
    the next page is measured, not during it."""
    deadline = time.monotonic() + limit
    before = sum(server.cpu_ticks() for server in servers)
    while time.monotonic() < deadline:
        time.sleep(quiet)
        now = sum(server.cpu_ticks() for server in servers)
        if now == before:
            return
        before = now
