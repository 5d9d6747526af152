"""Performance figures for the reader's pages: `make bench`.

Builds a throwaway site (scripts/bench_site.py: its own PostgreSQL database
and Redis keys when they answer, SQLite and a file cache otherwise), seeds
it with 1,000 generated stories through the desk's bulk import, serves it
with the repository's gunicorn.conf.py and loads each page with wrk on
127.0.0.1; then adds 99,000 more stories and measures again. Each page is
measured warm (its rendered copy in the cache) and cold (a second gunicorn
with no cache at all, so every request renders from the database), beside a
static file served by the same gunicorn and WhiteNoise; and through
deploy/nginx's micro-cache, nginx in front of the warm server (TLS as
shipped), beside a static file served by nginx itself (scripts/bench_nginx.py).
In each round every row is loaded once, briefly, so that a burst of someone
else's work on this shared machine lands on all of them alike.

The machine is shared and noisy: absolute figures move from run to run, so
each is also given as a ratio of the static file measured in the same run,
and the targets are judged on ratios. docs/benchmarks.md explains the
table, what cold means, and where the time goes.

    python scripts/bench.py            # about 9 minutes on 2 cores
    python scripts/bench.py --quick    # about 35 seconds: proves it works
"""

import argparse
import datetime
import os
import shutil
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, field

import bench_nginx
import bench_report
import bench_seed
from bench_load import Figures, Target, WrongStatus, wrk
from bench_site import ROOT, serving, settle, throwaway_site

# articles/views.py shows 20 stories a page.
PER_PAGE = 20
STATIC = "static file"


def pages(*, story_url, deep_page):
    """(key, name, path) of each page measured. The searches are rendered
    for every request (never from the page cache): a word one story in 500
    holds, as a reader's search for a name or an event finds a few, and a
    word four stories in five hold, the worst the seeded text allows."""
    return [
        ("story", "story page", story_url),
        ("front", "front page", "/"),
        ("deep", f"latest page {deep_page}", f"/latest/?page={deep_page}"),
        ("source", "source page", "/sources/aap/"),
        ("section", "section page", "/sections/world/"),
        ("feed", "RSS feed", "/feeds/rss/"),
        ("search", "search, rare word", f"/search/?q={bench_seed.RARE_WORD}"),
        ("search-common", "search, common word", "/search/?q=hospital"),
    ]


def rows(warm, cold, *, static_url, measured):
    targets = [Target(STATIC, warm.url(static_url), STATIC, "static", "static")]
    for key, name, path in measured:
        for state, server in [("warm", warm), ("cold", cold)]:
            targets.append(
                Target(f"{name}, {state}", server.url(path), STATIC, key, state)
            )
    return targets


@dataclass
class Size:
    """What was measured at one store size."""

    stories: int
    seeded: tuple  # (stories added, seconds)
    queries: dict  # row label: SQL queries of one request
    figures: list = field(default_factory=list)  # Figures of each row
    servers: list = field(default_factory=list)


def load(targets, servers, options, *, rounds, seconds):
    """Every target once a round, each round starting one row further on
    (so no row always follows the same one); the Figures of each."""
    figures = {target.label: Figures(target) for target in targets}
    for round_ in range(rounds):
        if rounds > 1:
            print(f"  round {round_ + 1} of {rounds}", flush=True)
        turn = round_ % len(targets)
        for target in targets[turn:] + targets[:turn]:
            figures[target.label].runs.append(
                wrk(
                    target,
                    seconds=seconds,
                    threads=options.threads,
                    connections=options.connections,
                )
            )
            settle(servers)
            for server in servers:
                server.note_memory()
    return [figures[target.label] for target in targets]


def count_queries(site, measured):
    """Each row's SQL queries, counted in-process; refuses a page that does
    not answer 200, before any load is sent."""
    census = site.run("census", *[path for _, _, path in measured])
    queries = {}
    for _, name, path in measured:
        found = census[path]
        if (found["status"], found["cold_status"]) != (200, 200):
            raise WrongStatus(f"{name} ({path}) answered {found}")
        queries[f"{name}, warm"] = found["warm"]
        queries[f"{name}, cold"] = found["cold"]
    return queries


def measure(site, options, size, *, static_url, measured, hold_after):
    print(f"Measuring at {size.stories:,} stories ...", flush=True)
    with (
        serving(
            site,
            workers=options.workers,
            max_requests=options.max_requests,
            ready_path=static_url,
        ) as servers,
        bench_nginx.serve(
            app_port=servers[0].port,
            static_root=site.env["STATIC_ROOT"],
            media_root=site.env["MEDIA_ROOT"],
            tmp=site.tmp,
            static_path=static_url,
            pages=measured,
        ) as nginx,
    ):
        targets = rows(*servers, static_url=static_url, measured=measured)
        targets += nginx.rows
        # Not counted: primes the caches, every worker and the connections.
        load(targets, servers, options, rounds=1, seconds=options.warmup)
        nginx.confirm_cached()
        size.figures = load(
            targets, servers, options, rounds=options.rounds, seconds=options.seconds
        )
        size.servers = servers
        print(bench_report.table(size), flush=True)
        if hold_after:
            hold(targets, servers)


def hold(targets, servers):
    """Keep the servers running, for a profiler, until Ctrl-C."""
    for server in servers:
        print(f"{server.name}: gunicorn master {server.process.pid}, {server.url('/')}")
    for target in targets:
        print(f"  {target.label}: {target.url}")
    print("Holding them (e.g. for py-spy, see docs/benchmarks.md); Ctrl-C to go on.")
    try:
        signal.pause()
    except KeyboardInterrupt:
        pass


def bench(options):
    started = time.time()
    deep_page = max(1, options.small // PER_PAGE)
    sizes = []
    with (
        tempfile.TemporaryDirectory(prefix="newsroom-bench-") as tmp,
        throwaway_site(
            tmp,
            postgres_url=options.postgres,
            redis_url=options.redis,
            sqlite=options.sqlite,
        ) as site,
    ):
        print(
            bench_report.header(
                site=site,
                options=options,
                cpus=os.cpu_count(),
                nginx=bench_nginx.version(),
                load=os.getloadavg(),
                date=datetime.datetime.now(datetime.UTC),
            ),
            flush=True,
        )
        static_url = site.run("setup")["static_url"]
        story_url, seeded = None, 0
        for stories in [options.small, options.large]:
            print(f"Seeding {stories - seeded:,} stories ...", flush=True)
            seconds, url = site.seed(
                first=seeded,
                count=stories - seeded,
                started=started,
                # Concurrent writers are fine on PostgreSQL, not on SQLite.
                jobs=options.seed_jobs if site.postgres else 1,
            )
            site.run("vacuum")
            story_url = story_url or url
            measured = pages(story_url=story_url, deep_page=deep_page)
            size = Size(
                stories,
                seeded=(stories - seeded, seconds),
                queries=count_queries(site, measured),
            )
            measure(
                site,
                options,
                size,
                static_url=static_url,
                measured=measured,
                hold_after=options.hold and stories == options.large,
            )
            sizes.append(size)
            seeded = stories
    print(bench_report.comparison(*sizes))
    print(bench_report.targets(sizes))
    print(bench_report.memory(sizes))
    minutes, seconds = divmod(round(time.time() - started), 60)
    print(
        f"\nFinished in {minutes} min {seconds} s; load average now "
        + " ".join(f"{x:.2f}" for x in os.getloadavg())
    )
    if any(f.errors for size in sizes for f in size.figures):
        print("bench: socket errors or timeouts (the ! lines)", file=sys.stderr)
        return 1
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="tiny stores, one short round: seconds"
    )
    parser.add_argument("--small", type=int, default=1000, help="stories, first")
    parser.add_argument("--large", type=int, default=100_000, help="stories, then")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=2.0, help="per row a round")
    parser.add_argument("--warmup", type=float, default=1.0, help="per row, uncounted")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--connections", type=int, default=4, help="wrk connections")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument(
        "--max-requests",
        type=int,
        default=None,
        help="override gunicorn.conf.py's max_requests (0: never recycle)",
    )
    parser.add_argument(
        "--hold",
        action="store_true",
        help="keep the servers up after the last measurement, for profiling",
    )
    parser.add_argument("--seed-jobs", type=int, default=2, help="on PostgreSQL")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("BENCH_POSTGRES_URL")
        or "postgres://postgres@127.0.0.1:5432/postgres",
        help="server to create the throwaway database on",
    )
    parser.add_argument(
        "--redis",
        default=os.environ.get("BENCH_REDIS_URL") or "redis://127.0.0.1:6379/12",
        help="Redis database for the bench's keys",
    )
    parser.add_argument(
        "--sqlite",
        action="store_true",
        help="SQLite and a file cache, whatever answers",
    )
    options = parser.parse_args()
    if options.quick:
        options.small, options.large = 60, 200
        options.rounds, options.seconds, options.warmup = 1, 0.25, 0.2
    if not PER_PAGE <= options.small < options.large:
        # The measured story is the eleventh newest (scripts/bench_seed.py).
        parser.error(f"--small must be at least {PER_PAGE} and less than --large")
    if min(options.rounds, options.threads, options.workers, options.seed_jobs) < 1:
        parser.error(
            "--rounds, --threads, --workers and --seed-jobs must be at least 1"
        )
    if options.connections < options.threads:
        parser.error("--connections must be at least --threads")
    if min(options.seconds, options.warmup) < 0.2:
        parser.error("--seconds and --warmup must be at least 0.2")
    if shutil.which("wrk") is None or not bench_nginx.available():
        sys.exit(
            "bench: wrk, nginx or openssl is not installed. Debian's packages: "
            f"bash {ROOT / 'scripts/install-test-tools'} wrk nginx openssl"
        )
    # Ctrl-C (even when started in the background, where it is ignored by
    # default) and a process manager's SIGTERM end the bench cleanly: the
    # servers stop and the throwaway database and keys are removed.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        return bench(options)
    except WrongStatus as wrong:
        print(f"bench: {wrong}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("bench: interrupted; cleaned up", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
