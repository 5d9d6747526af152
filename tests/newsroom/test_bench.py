"""`make bench` works end to end: builds its throwaway site, seeds it twice,
serves it with gunicorn and with nginx in front, loads every row with wrk,
prints its tables and targets, and leaves nothing behind (no nginx either).
Not a timing test: the figures are for a person reading them, on a machine
they know (docs/benchmarks.md)."""

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from tests.conftest import ROOT

SCRIPTS = ROOT / "scripts"
PAGES = [
    "story page",
    "front page",
    "latest page 3",
    "source page",
    "section page",
    "RSS feed",
]
# Rendered for every request, warm or cold: never from the page cache.
SEARCHES = ["search, rare word", "search, common word"]
PAGES += SEARCHES
NGINX_ROWS = ["nginx: static file"] + [f"{page}, nginx" for page in PAGES]
ROWS = (
    ["static file"]
    + [f"{page}, {state}" for page in PAGES for state in "warm cold".split()]
    + NGINX_ROWS
)

needs_tools = pytest.mark.skipif(
    shutil.which("wrk") is None
    or shutil.which("openssl") is None
    or not os.access("/usr/sbin/nginx", os.X_OK),
    reason="wrk, nginx or openssl is not installed (scripts/install-test-tools)",
)


def quick_bench(tmp_path, *options):
    result = subprocess.run(
        [sys.executable, str(SCRIPTS / "bench.py"), "--quick", *options],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,  # it must not depend on, or write to, the working folder
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert list(tmp_path.iterdir()) == []
    assert orphaned_nginx() == []
    return result.stdout


def orphaned_nginx():
    """nginx masters still running from a bench folder that is gone."""
    found = []
    for process in Path("/proc").glob("[0-9]*"):
        try:
            args = (process / "cmdline").read_bytes().decode().split("\0")
        except OSError:
            continue
        if args[0].endswith("nginx") and "-p" in args[:-1]:
            folder = args[args.index("-p") + 1]
            if "newsroom-bench-" in folder and not Path(folder).exists():
                found.append(" ".join(args))
    return found


def table_rows(output, heading):
    """{row label: its figures} of the table that follows `heading`."""
    lines = output.split(heading, 1)[1].splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("page "))
    rows = {}
    for line in lines[start + 2 :]:
        row = re.fullmatch(r"(\S.*?)\s{2,}(\d.*)", line)
        if row is None:
            return rows
        rows[row[1]] = row[2].split()
    return rows


def check_report(output):
    for heading in ["60 stories (+ the demo story)", "200 stories (+ the demo story)"]:
        rows = table_rows(output, heading)
        assert list(rows) == ROWS
        for label, (rate, p50, p99, _, _, queries) in rows.items():
            assert float(rate) > 0 and float(p50) <= float(p99), label
            if label in NGINX_ROWS:
                assert queries == "-", label
            elif label.endswith("warm") and label.rsplit(", ", 1)[0] not in SEARCHES:
                assert queries == "0", f"{label} ran SQL with its copy in the cache"
            elif label.endswith(("warm", "cold")):
                assert int(queries) > 0, label
        assert rows["static file"][3] == "1.00"
        assert rows["nginx: static file"][3] == "1.00"
        # Every page through nginx came from its micro-cache: fresh (HIT) or
        # while it was being refreshed in the background (STALE, UPDATING),
        # never from gunicorn. How many of each depends on the machine's
        # timing, so the split itself is not checked.
        answered = output.split(heading, 1)[1].split("micro-cache answered", 1)[1]
        for page in PAGES:
            line = re.search(rf"{re.escape(page)}, nginx +([^\n]*)", answered)[1]
            assert re.fullmatch(
                r"[\d.]+% HIT, [\d.]+% STALE or UPDATING, 0 other \(.*\)", line
            ), (page, line)
    comparison = table_rows(output, "200 stories against 60 stories")
    assert list(comparison) == ROWS
    targets = output.split("Targets (", 1)[1]
    verdicts = re.findall(r"(PASS|MISS by [\d.]+x? \(\d+% \w+\)|NOT MEASURED)", targets)
    # Five ratio targets at two sizes, the app's rows (two a page) within
    # 1.2x, and each page through nginx at two sizes.
    assert len(verdicts) == 5 * 2 + 2 * len(PAGES) + 2 * len(PAGES)
    for page in PAGES:
        assert len(re.findall(rf"{re.escape(page)}, nginx +>= 0.50 x", targets)) == 2
    met, missed = re.search(
        r"Targets met: (\d+), missed: (\d+), not measured: 0\.", targets
    ).groups()
    assert int(met) + int(missed) == len(verdicts)


@needs_tools
def test_quick_bench_on_sqlite_and_a_file_cache(tmp_path):
    output = quick_bench(tmp_path, "--sqlite")
    assert "Database: SQLite, a temporary file" in output
    assert "Cache:    files in the bench's folder, shared by the workers" in output
    check_report(output)


@needs_tools
@pytest.mark.postgres
def test_quick_bench_on_postgres_and_redis_leaves_nothing_behind(tmp_path):
    import psycopg
    import redis

    database = settings.DATABASES["default"]
    password = f":{database['PASSWORD']}" if database["PASSWORD"] else ""
    server = (
        f"postgres://{database['USER']}{password}@{database['HOST'] or '127.0.0.1'}:"
        f"{database['PORT'] or 5432}/postgres"
    )
    cache = urlsplit(settings.CACHES["default"]["LOCATION"])
    bench_redis = f"redis://{cache.hostname}:{cache.port or 6379}/12"
    output = quick_bench(tmp_path, "--postgres", server, "--redis", bench_redis)
    name = re.search(r"throwaway database (newsroom_bench_\d+)", output).group(1)
    prefix = re.search(r"keys under (newsroom-bench-\d+):", output).group(1)
    check_report(output)

    with psycopg.connect(server, autocommit=True) as admin:
        found = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        assert found.fetchone() is None
    assert list(redis.Redis.from_url(bench_redis).scan_iter(f"{prefix}:*")) == []


def load_module(name):
    spec = importlib.util.spec_from_file_location(name, SCRIPTS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_percentiles_pool_every_request_of_every_round():
    bench_load = load_module("bench_load")
    target = bench_load.Target("page", "http://127.0.0.1/", "static", "page", "warm")
    figures = bench_load.Figures(target)
    # A quiet round of 900 requests at 1-2 ms and a slow one of 100 at 50 ms.
    quiet = [1 + i / 1000 for i in range(1000)]
    figures.runs.append(bench_load.Run(900, 1.0, quiet, {}))
    figures.runs.append(bench_load.Run(100, 1.0, [50.0] * 1000, {}))
    assert figures.rate == 500
    assert figures.percentile(50) == pytest.approx(1.556, abs=0.002)
    # 10% of all requests were slow: the pooled p99 is theirs, where an
    # average of the two rounds' p99s would say 25.5 ms.
    assert figures.percentile(99) == 50.0
    assert figures.percentile(89) < 2


@needs_tools
@pytest.mark.postgres
def test_the_soak_runs_end_to_end_and_leaves_nothing_behind(tmp_path):
    """scripts/bench_soak.py, shortened: readers, an editor publishing, every
    answer counted and every publication seen. Its memory verdict needs the
    full five minutes, so a short run is not judged on it."""
    database = settings.DATABASES["default"]
    server = (
        f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
        f"{database['PORT'] or 5432}/postgres"
    )
    cache = urlsplit(settings.CACHES["default"]["LOCATION"])
    bench_redis = f"redis://{cache.hostname}:{cache.port or 6379}/12"
    result = subprocess.run(
        [sys.executable, str(SCRIPTS / "bench_soak.py"), "--quick", "--seconds", "12"]
        + ["--every", "3", "--postgres", server, "--redis", bench_redis],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=tmp_path,
    )
    output = result.stdout
    assert result.returncode in (0, 1), output + result.stderr
    assert re.search(r"Answers: [\d,]+ 2xx, 0 3xx, 0 4xx, 0 5xx", output), output
    assert "PASS  no 5xx" in output
    assert re.search(r"Publications: [1-9]\d* seen on the front page", output)
    assert "PASS  every publication seen within 1 s" in output
    assert re.search(r"worker \d+: [\d.]+ MB -> [\d.]+ MB", output)
    assert list(tmp_path.iterdir()) == []
