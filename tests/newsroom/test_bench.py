"""`make bench` works end to end: builds its throwaway site, serves it with
gunicorn, loads every page and prints the table. Not a timing test: the
figures are for a person reading them, on a machine they know."""

import subprocess
import sys

from tests.conftest import ROOT

SCRIPT = ROOT / "scripts" / "bench.py"
ROWS = [
    "baseline: static CSS",
    "front page",
    "front page, page 10",
    "story page",
    "source page",
    "404 page",
]


def test_quick_bench_prints_its_table_and_exits_cleanly(tmp_path):
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--quick"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,  # it must not depend on, or write to, the working folder
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    header = next(line for line in lines if line.startswith("page "))
    assert header.split() == (
        "page req/s p50 ms p95 ms req/s vs base p50 vs base queries".split()
    )
    for row in ROWS:
        (line,) = [line for line in lines if line.startswith(row + " ")]
        figures = line[len(row) :].split()
        assert len(figures) == 6, line
        assert int(figures[-1]) >= 0  # queries
    assert "Peak RSS per worker" in result.stdout
    assert list(tmp_path.iterdir()) == []
