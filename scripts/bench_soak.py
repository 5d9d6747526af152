"""The soak: `make bench` runs it after the page figures.

Five minutes of readers moving between pages (wrk, 32 connections, on
127.0.0.1) against the repository's gunicorn on PostgreSQL + Redis, while
an editor publishes a story every ten seconds through the services. It
reports and judges:

- every answer counted by class: no 5xx at all;
- each publication seen on the front page by a reader polling it, and how
  long after the commit: within a second;
- each gunicorn worker's resident memory, sampled all along (workers are
  never recycled here, so a leak would show): flat, the last minute within
  10% of the minute from the middle of the run (the first half is the
  warm-up).

    python scripts/bench_soak.py            # five minutes
    python scripts/bench_soak.py --quick    # half a minute: proves it works

It needs PostgreSQL and Redis (a throwaway database and key prefix, as the
page bench uses: scripts/bench_site.py); without them it says so and does
not run.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from bench_site import ROOT, SEED, Server, die_with_parent, throwaway_site

LUA = Path(__file__).with_name("soak.lua")
MARKER = "SOAK-RESULT "
SEEN_WITHIN = 1.0  # seconds from an editor's commit to a reader's front page
MEMORY_GROWTH = 0.10  # the last minute's median over the first minute's


def reader_paths(site):
    """What readers ask for, in turn: the front page and its second page,
    a few stories, a source, the feeds and the sitemaps."""
    stories = json.loads(
        subprocess.run(
            [sys.executable, "-c", STORY_URLS],
            env=site.env,
            cwd=site.tmp,
            capture_output=True,
            text=True,
            check=True,
            preexec_fn=die_with_parent,
        ).stdout
    )
    return [
        "/",
        "/latest/",
        "/latest/?page=2",
        *stories,
        "/sources/aap/",
        "/sections/world/",
        "/feeds/rss/",
        "/feeds/atom/",
        "/feeds/json/",
        "/sitemap.xml",
        "/sitemap-news.xml",
    ]


STORY_URLS = """
import json, django
django.setup()
from articles.models import Article
print(json.dumps([s.get_absolute_url() for s in Article.objects.published()[:6]]))
"""


class Editor:
    """bench_seed.py's editor, publishing in the site; each publication is
    watched for on the front page by a reader of its own."""

    def __init__(self, site, server, *, every, seconds):
        self.server = server
        self.latencies, self.unseen = [], []
        self.process = subprocess.Popen(
            [sys.executable, str(SEED), "editor"]
            + ["--every", str(every), "--seconds", str(seconds)],
            env=site.env,
            cwd=site.tmp,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            preexec_fn=die_with_parent,
        )
        self.thread = threading.Thread(target=self._watch, daemon=True)
        self.thread.start()

    def _watch(self):
        for line in self.process.stdout:
            try:
                published = json.loads(line)
            except ValueError:
                continue
            if "headline" not in published:
                continue
            seen = self._seen_at(published["headline"], deadline=10)
            if seen is None:
                self.unseen.append(published["headline"])
            else:
                self.latencies.append(seen - published["committed"])

    def _seen_at(self, headline, *, deadline):
        """When the first request that got the front page with `headline`
        was sent: from then on a reader asking for it sees the story (the
        time the answer took to come back, in the queue behind the load,
        is the load's latency, reported with it)."""
        ends = time.monotonic() + deadline
        while time.monotonic() < ends:
            asked = time.time()
            try:
                with urllib.request.urlopen(self.server.url("/"), timeout=5) as page:
                    if headline in page.read().decode():
                        return asked
            except OSError:
                pass
            time.sleep(0.05)
        return None

    def finish(self):
        _, problems = self.process.communicate(timeout=60)
        self.thread.join(timeout=30)
        if self.process.returncode != 0:
            raise RuntimeError(f"the soak's editor failed:\n{problems}")


def resident_mb(server):
    """Each current worker's resident memory (VmRSS), in MB."""
    found = {}
    for pid in server.workers():
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                found[pid] = int(line.split()[1]) / 1024
    return found


def sample_memory(server, samples, stop, every):
    while not stop.wait(every):
        samples.append((time.monotonic(), resident_mb(server)))


def wrk(server, paths, *, seconds, connections, threads):
    command = [
        "wrk",
        f"--threads={threads}",
        f"--connections={connections}",
        f"--duration={seconds}s",
        "--timeout=10s",
        f"--script={LUA}",
        server.url(""),
        "--",
        *paths,
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith(MARKER)]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"wrk failed:\n{done.stdout}{done.stderr}")
    return json.loads(lines[-1].removeprefix(MARKER))


def memory_verdict(samples, window):
    """Per worker: the median of its samples over `window` seconds from the
    middle of the run and over the last `window` seconds, and whether it
    stayed flat between them. The first half is the warm-up: a worker grows
    as it renders pages of every size for the first time after a new
    edition (in a ten-minute run of 2026-11-25, 79 MB in the first minute,
    98 MB from the third, and 99 MB in the tenth)."""
    if not samples:
        return [], False, {}
    start, end = samples[0][0], samples[-1][0]
    curve = {
        pid: [
            statistics.median(minute)
            for m in range(int((end - start) // 60) + 1)
            if (
                minute := [
                    mb[pid]
                    for t, mb in samples
                    if m * 60 <= t - start < (m + 1) * 60 and pid in mb
                ]
            )
        ]
        for pid in sorted(samples[-1][1])
    }
    rows, flat = [], True
    for pid in sorted(samples[-1][1]):
        middle = start + (end - start) / 2
        first = [
            mb[pid] for t, mb in samples if middle <= t < middle + window and pid in mb
        ]
        last = [mb[pid] for t, mb in samples if end - t <= window and pid in mb]
        if not first or not last:
            continue
        before, after = statistics.median(first), statistics.median(last)
        growth = after / before - 1
        flat &= growth <= MEMORY_GROWTH
        rows.append((pid, before, after, growth))
    return rows, flat and bool(rows), curve


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="half a minute")
    parser.add_argument("--seconds", type=int, default=300)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--every", type=float, default=10, help="seconds a story")
    parser.add_argument("--stories", type=int, default=1000, help="seeded first")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("BENCH_POSTGRES_URL")
        or "postgres://postgres@127.0.0.1:5432/postgres",
    )
    parser.add_argument(
        "--redis",
        default=os.environ.get("BENCH_REDIS_URL") or "redis://127.0.0.1:6379/12",
    )
    options = parser.parse_args()
    if options.quick:
        seconds = options.seconds if options.seconds != 300 else 30
        every = options.every if options.every != 10 else 5
        options.seconds, options.connections, options.every = seconds, 8, every
        options.stories = 100
    if shutil.which("wrk") is None:
        sys.exit(f"soak: wrk is not installed ({ROOT / 'scripts/install-test-tools'})")
    window = min(60, options.seconds / 5)

    with tempfile.TemporaryDirectory(prefix="newsroom-soak-") as tmp:
        with throwaway_site(
            tmp, postgres_url=options.postgres, redis_url=options.redis, sqlite=False
        ) as site:
            if not (site.postgres and site.shared_cache):
                print(
                    "SOAK NOT RUN: it needs PostgreSQL and Redis, and "
                    f"{site.database} / {site.cache} is what answered."
                )
                return 0
            print(f"Soak: {site.database}; {site.cache}")
            site.run("setup")
            site.seed(first=0, count=options.stories, started=time.time(), jobs=1)
            paths = reader_paths(site)
            server = Server(
                "soak", site.env, workers=options.workers, max_requests=0, log_dir=tmp
            )
            try:
                server.wait_until_serving("/")
                print(
                    f"{options.seconds} s of readers ({options.connections} "
                    f"connections over {len(paths)} pages), a story published "
                    f"every {options.every:g} s, {options.workers} workers never "
                    "recycled."
                )
                samples, stop = [], threading.Event()
                sampler = threading.Thread(
                    target=sample_memory, args=(server, samples, stop, 2), daemon=True
                )
                sampler.start()
                editor = Editor(
                    site, server, every=options.every, seconds=options.seconds
                )
                result = wrk(
                    server,
                    paths,
                    seconds=options.seconds,
                    connections=options.connections,
                    threads=options.threads,
                )
                editor.finish()
                stop.set()
                sampler.join()
            except Exception:
                sys.stderr.write(f"--- gunicorn log:\n{server.logged()}\n")
                raise
            finally:
                server.stop()
    return report(result, editor, memory_verdict(samples, window), window)


def report(result, editor, memory, window):
    seconds = result["duration_us"] / 1e6
    errors = {k: result[k] for k in ["connect", "read", "write", "timeout"]}
    print(
        f"\nRequests: {result['requests']:,} in {seconds:.0f} s "
        f"({result['requests'] / seconds:,.0f}/s), p50 "
        f"{result['p50_us'] / 1000:.1f} ms, p99 {result['p99_us'] / 1000:.1f} ms"
    )
    print(
        "Answers: "
        + ", ".join(f"{result[k]:,} {k}" for k in ["2xx", "3xx", "4xx", "5xx"])
        + f"; socket errors {errors}"
    )
    latencies = sorted(editor.latencies)
    if latencies:
        print(
            f"Publications: {len(latencies)} seen on the front page, after "
            f"{statistics.median(latencies) * 1000:.0f} ms (median), "
            f"{latencies[-1] * 1000:.0f} ms (slowest)"
        )
    if editor.unseen:
        print(f"Publications never seen within 10 s: {editor.unseen}")
    rows, flat, curve = memory
    if curve:
        print(
            "Memory per worker, median of each minute (MB): "
            + "; ".join(
                f"{pid}: " + " ".join(f"{mb:.0f}" for mb in minutes)
                for pid, minutes in curve.items()
            )
        )
    print(
        f"Memory per worker (median over {window:.0f} s from the middle of the run, "
        "after the warm-up, and over the last):"
    )
    for pid, before, after, growth in rows:
        print(f"  worker {pid}: {before:.1f} MB -> {after:.1f} MB ({growth:+.1%})")
    checks = [
        ("no 5xx", result["5xx"] == 0 and not any(errors.values())),
        (
            f"every publication seen within {SEEN_WITHIN:g} s",
            bool(latencies) and not editor.unseen and latencies[-1] <= SEEN_WITHIN,
        ),
        (f"memory flat (within {MEMORY_GROWTH:.0%})", flat),
    ]
    print()
    for name, passed in checks:
        print(f"  {'PASS' if passed else 'MISS'}  {name}")
    return 0 if all(passed for _, passed in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
