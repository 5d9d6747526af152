"""Performance figures for the reader's pages: `make bench`.

Builds a throwaway site in a temporary folder (SQLite database, media and
collected static files; the developer's db.sqlite3 is never touched), seeds
it with the demo story and a few hundred generated published stories, serves
it with gunicorn on a free loopback port, and loads each page with a fixed
number of requests from a small pool of threads.

The machine is shared and noisy, so absolute numbers vary from run to run;
each page is also given relative to a baseline measured in the same run: a
static file served by WhiteNoise, the cheapest request the stack answers.
See "Benchmarks" in README.md for how to read the table.

    python scripts/bench.py            # about a minute
    python scripts/bench.py --quick    # a handful of requests: proves it works
"""

import argparse
import http.client
import io
import itertools
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STORY = "/2016/12/24/russia-urges-peace-after-battle-for-aleppo/"
BODY = "\n\n".join(
    [
        "Officials said on Tuesday that talks would resume next week after a "
        "long night of negotiations between the parties, which ended without "
        "an agreement but with a promise to keep talking.",
        "## What happens next",
        "The committee will hear from residents, business owners and experts "
        "before it reports. *Submissions close at the end of the month.* "
        "[Read the terms of reference](https://example.com/terms).",
        "> We want to hear from everyone this affects, the chair said.",
        "Critics said the process was too slow and that people had waited long "
        "enough for answers about what went wrong and who was responsible.",
    ]
    * 3
)


# ---------------------------------------------------------------------------
# Inside the throwaway site: runs as a subprocess with its own environment.


def prepare(stories):
    """Migrate, collect static files, seed; print what the bench needs."""
    import django

    django.setup()
    import datetime

    from django.core.management import call_command
    from django.db import connection, transaction
    from django.templatetags.static import static
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from articles.models import Article, Source

    quiet = io.StringIO()
    call_command("migrate", interactive=False, verbosity=0, stdout=quiet)
    call_command("collectstatic", interactive=False, verbosity=0, stdout=quiet)
    call_command("load_demo", stdout=quiet)

    demo = Article.objects.get(slug=STORY.rstrip("/").rsplit("/", 1)[-1])
    sources = list(Source.objects.all())
    now = timezone.now()
    with transaction.atomic():
        for n in range(stories):
            article = Article(
                headline=f"Generated story {n}: talks to resume after a long night",
                slug=f"generated-story-{n}",
                standfirst="Officials say negotiations will continue next week.",
                body=BODY,
                byline="Bench Reporter",
                source=sources[n % len(sources)],
                status=Article.Status.PUBLISHED,
                published_at=now - datetime.timedelta(hours=n + 1),
            )
            if n % 2 == 0:
                # Half the cards carry a thumbnail, all the same stored file.
                article.image.name = demo.image.name
                article.image_width = demo.image_width
                article.image_height = demo.image_height
                article.image_alt = demo.image_alt
            article.save()

    queries = {}
    client = Client()
    for path in paths(static_url=static("css/site.css")).values():
        client.get(path)  # warm any per-process state first
        with CaptureQueriesContext(connection) as captured:
            client.get(path)
        queries[path] = len(captured)
    connection.close()
    print(json.dumps({"static_url": static("css/site.css"), "queries": queries}))


def paths(static_url):
    return {
        "baseline: static CSS": static_url,
        "front page": "/",
        "front page, page 10": "/?page=10",
        "story page": STORY,
        "source page": "/sources/aap/",
        "RSS feed, 50 stories": "/feeds/rss/",
        "404 page": "/no/such/page/",
    }


EXPECTED_STATUS = {"404 page": 404}


# ---------------------------------------------------------------------------
# The bench itself.


@dataclass
class Result:
    label: str
    path: str
    seconds: float = 0.0
    latencies: list = field(default_factory=list)
    statuses: dict = field(default_factory=dict)

    def add(self, other):
        self.seconds += other.seconds
        self.latencies += other.latencies
        for status, count in other.statuses.items():
            self.statuses[status] = self.statuses.get(status, 0) + count

    @property
    def rate(self):
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile(self, p):
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        if len(ordered) == 1:
            return ordered[0]
        return statistics.quantiles(ordered, n=100, method="inclusive")[p - 1]


def die_with_parent():
    """Run in the gunicorn child: if the bench is killed outright (a timeout,
    kill -9), the server goes too instead of living on unattended."""
    try:
        import ctypes

        PR_SET_PDEATHSIG = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except OSError:
        pass  # not Linux: the finally clause in bench() still stops it


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(port, path):
    # A new connection each time: gunicorn's sync workers close it after
    # every response anyway, and this keeps every page on equal terms.
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        started = time.perf_counter()
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status, time.perf_counter() - started
    finally:
        connection.close()


def load(port, label, path, *, requests, clients, max_seconds):
    """`requests` GETs of `path` from `clients` threads, or fewer if
    `max_seconds` runs out first."""
    result = Result(label, path)
    tickets = itertools.count()
    started = time.perf_counter()
    deadline = started + max_seconds

    def client():
        latencies, statuses = [], {}
        while next(tickets) < requests and time.perf_counter() < deadline:
            status, seconds = fetch(port, path)
            latencies.append(seconds)
            statuses[status] = statuses.get(status, 0) + 1
        return latencies, statuses

    with ThreadPoolExecutor(clients) as pool:
        for latencies, statuses in pool.map(lambda _: client(), range(clients)):
            result.latencies += latencies
            for status, count in statuses.items():
                result.statuses[status] = result.statuses.get(status, 0) + count
    result.seconds = time.perf_counter() - started
    return result


def wait_until_serving(port, path, server, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn exited before it served a request")
        try:
            if fetch(port, path)[0] == 200:
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not answer on port {port} in {timeout}s")


def worker_pids(master):
    children = Path(f"/proc/{master}/task/{master}/children")
    if children.exists():
        return [int(pid) for pid in children.read_text().split()]
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # Field 4 is the parent's pid; the name in (...) may hold spaces.
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:
            found.append(int(stat.parent.name))
    return found


def peak_rss_mb(pid):
    """The most resident memory the process has had (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def bench(options):
    quick = options.quick
    requests = 5 if quick else options.requests
    # Enough stories for a page 10 in either mode: 20 a page.
    stories = 200 if quick else options.stories
    with tempfile.TemporaryDirectory(prefix="newsroom-bench-") as tmp:
        tmp = Path(tmp)
        port = free_port()
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"REDIS_URL", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
        }
        env.update(
            DJANGO_SETTINGS_MODULE="newsroom.settings",
            DATABASE_URL=f"sqlite:///{tmp / 'bench.sqlite3'}",
            MEDIA_ROOT=str(tmp / "media"),
            STATIC_ROOT=str(tmp / "static"),
            SECRET_KEY="bench-only-secret-key",
            ALLOWED_HOSTS="127.0.0.1,testserver",
            HTTPS="false",
            DEBUG="false",
            SITE_URL=f"http://127.0.0.1:{port}",
            PYTHONPATH=str(ROOT),
        )
        print(f"Preparing a site with {stories} generated stories in {tmp} ...")
        prepared = subprocess.run(
            [sys.executable, __file__, "--prepare", "--stories", str(stories)],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if prepared.returncode != 0:
            sys.stderr.write(prepared.stdout + prepared.stderr)
            raise SystemExit("bench: preparing the site failed")
        facts = json.loads(prepared.stdout.strip().splitlines()[-1])
        targets = paths(facts["static_url"])

        log = open(tmp / "gunicorn.log", "w")  # closed after gunicorn stops
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "newsroom.wsgi"]
            + ["--bind", f"127.0.0.1:{port}", "--workers", str(options.workers)]
            + ["--log-level", "warning"]
            # Its default control socket is one path per user, shared with
            # any other gunicorn the developer runs; the bench needs none.
            + ["--no-control-socket"],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=die_with_parent,
        )
        try:
            wait_until_serving(port, facts["static_url"], server)
            for path in targets.values():  # warm up every worker's caches
                for _ in range(options.workers * 2):
                    fetch(port, path)
            # Pages take turns, a slice of the load each per round, so that a
            # burst of someone else's work on the machine lands on all of
            # them rather than on whichever page was running at the time.
            results = {label: Result(label, path) for label, path in targets.items()}
            rounds = 1 if quick else options.rounds
            for _ in range(rounds):
                for label, path in targets.items():
                    results[label].add(
                        load(
                            port,
                            label,
                            path,
                            requests=-(-requests // rounds),
                            clients=options.clients,
                            max_seconds=options.max_seconds / rounds,
                        )
                    )
            results = list(results.values())
            rss = {pid: peak_rss_mb(pid) for pid in worker_pids(server.pid)}
        except BaseException:
            # The log goes with the temporary folder: show it while it is here.
            log.flush()
            sys.stderr.write((tmp / "gunicorn.log").read_text()[-4000:])
            raise
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            log.close()

    report(results, facts["queries"], rss, options, requests, stories, rounds)
    wrong = [
        r
        for r in results
        if set(r.statuses) != {EXPECTED_STATUS.get(r.label, 200)} or not r.latencies
    ]
    for r in wrong:
        print(f"bench: {r.label} ({r.path}) answered {r.statuses}", file=sys.stderr)
    return 1 if wrong else 0


def report(results, queries, rss, options, requests, stories, rounds):
    load_1m = os.getloadavg()[0]
    print(
        f"\nNewsroom bench: {stories} stories + demo, gunicorn {options.workers} "
        f"sync workers, {options.clients} client threads, up to {requests} "
        f"requests (or {options.max_seconds:g}s) a page in {rounds} "
        f"rounds; "
        f"{os.cpu_count()} CPUs, load {load_1m:.1f}\n"
    )
    base = results[0]
    header = (
        f"{'page':<22} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'req/s vs base':>14} {'p50 vs base':>12} {'queries':>8}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        p50, p95 = r.percentile(50), r.percentile(95)
        print(
            f"{r.label:<22} {r.rate:>8.0f} {p50 * 1000:>8.1f} {p95 * 1000:>8.1f} "
            f"{r.rate / base.rate:>14.2f} {p50 / base.percentile(50):>11.1f}x "
            f"{queries.get(r.path, 0):>8}"
        )
    workers = ", ".join(f"{mb:.1f}" for mb in sorted(rss.values(), reverse=True))
    print(f"\nPeak RSS per worker (VmHWM, MB): {workers or 'unknown'}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a handful of requests")
    parser.add_argument("--stories", type=int, default=500)
    parser.add_argument("--requests", type=int, default=1500, help="per page")
    parser.add_argument("--max-seconds", type=float, default=12.0, help="per page")
    parser.add_argument("--rounds", type=int, default=3, help="pages take turns")
    parser.add_argument("--clients", type=int, default=4, help="client threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    for name in ["stories", "requests", "rounds", "clients", "workers"]:
        if getattr(options, name) < 1:
            parser.error(f"--{name} must be at least 1")
    if options.prepare:
        prepare(options.stories)
        return 0
    return bench(options)


if __name__ == "__main__":
    sys.exit(main())
