"""The Markdown bench (`make bench`'s last part) runs and reports every
worst-case input at three sizes. Not a timing test: whether rendering is
linear is for a person to read off its figures (docs/benchmarks.md)."""

import importlib.util
import re
import subprocess
import sys

from tests.conftest import ROOT

SCRIPT = ROOT / "scripts" / "bench_markdown.py"


def inputs():
    spec = importlib.util.spec_from_file_location("bench_markdown", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.INPUTS


def test_quick_markdown_bench_reports_every_input_at_three_sizes(tmp_path):
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--quick"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,  # it must not depend on, or write to, the working folder
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert list(tmp_path.iterdir()) == []
    lines = result.stdout.splitlines()
    header = next(line for line in lines if line.startswith("input "))
    assert header.split()[1:] == [
        "2,000", "ms", "4,000", "ms", "8,000", "ms", "4n/n", "target",
    ]  # fmt: skip
    names = list(inputs())
    assert "unmatched [" in names and "nested list" in names
    rows = {}
    for line in lines:
        row = re.fullmatch(
            r"(\S.*?)\s{2,}([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+(PASS|MISS)\s*",
            line,
        )
        if row:
            rows[row[1]] = row.groups()[1:]
    assert list(rows) == names
    for name, (*_, ratio, verdict) in rows.items():
        assert (verdict == "PASS") == (float(ratio) <= 8), name
    assert re.search(
        r"^A 1 MB body is refused, unrendered, in [\d.]+ ms\.$", result.stdout, re.M
    )
    assert re.search(
        r"^Markdown targets met: \d+, missed: \d+ "
        rf"\(linear on \d+ of {len(names)} inputs\)\.$",
        result.stdout,
        re.M,
    )
