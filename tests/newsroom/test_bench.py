"""`make bench` works end to end: builds its throwaway site, seeds it twice,
serves it with gunicorn, loads every row with wrk, prints its tables and
targets, and leaves nothing behind. Not a timing test: the figures are for
a person reading them, on a machine they know (docs/benchmarks.md)."""

import importlib.util
import re
import shutil
import subprocess
import sys
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from tests.conftest import ROOT

SCRIPTS = ROOT / "scripts"
PAGES = ["story page", "front page", "front page 3", "source page", "RSS feed"]
ROWS = ["static file"] + [
    f"{page}, {state}" for page in PAGES for state in "warm cold".split()
]

needs_wrk = pytest.mark.skipif(
    shutil.which("wrk") is None,
    reason="wrk is not installed (scripts/install-test-tools)",
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
    return result.stdout


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
            if label.endswith("warm"):
                assert queries == "0", f"{label} ran SQL with its copy in the cache"
            elif label.endswith("cold"):
                assert int(queries) > 0, label
        assert rows["static file"][3] == "1.00"
    comparison = table_rows(output, "200 stories against 60 stories")
    assert list(comparison) == ROWS
    targets = output.split("Targets (", 1)[1]
    verdicts = re.findall(r"(PASS|MISS by [\d.]+x? \(\d+% \w+\)|NOT MEASURED)", targets)
    # Four ratio targets at two sizes, ten rows within 1.2x, and nginx.
    assert len(verdicts) == 4 * 2 + 10 + 1
    met, missed = re.search(
        r"Targets met: (\d+), missed: (\d+), not measured: 1\.", targets
    ).groups()
    assert int(met) + int(missed) == 18


@needs_wrk
def test_quick_bench_on_sqlite_and_local_memory(tmp_path):
    output = quick_bench(tmp_path, "--sqlite")
    assert "Database: SQLite, a temporary file" in output
    assert "Cache:    local memory, one copy per worker process" in output
    check_report(output)


@needs_wrk
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
