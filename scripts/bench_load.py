"""The load: wrk against one address on 127.0.0.1, and the figures of a page
pooled over the rounds of a bench run.

Each run of wrk reports (scripts/bench.lua) how many requests it completed
in how long, any socket errors, any response whose status was not the one
expected, how nginx's micro-cache answered (X-Cache-Status), and its latency
distribution as 1,000 quantiles. A page's figures over several rounds are
then:

- req/s: all its requests divided by all the time its runs took, so a round
  in which the machine was busy weighs as long as it lasted;
- p50 and p99: over every request of every round, as if they had been one
  run. Each run stands for its requests as 1,000 equal slices of its
  distribution (one per 0.1%); the pooled percentile is read from all the
  slices together, weighted by each run's number of requests. This is
  accurate to a tenth of a percentile rank, and unlike an average of each
  round's p99 it does not let a quiet round hide a slow one.
"""

import json
import math
import signal
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

LUA = Path(__file__).with_name("bench.lua")
MARKER = "BENCH-RESULT "


class WrongStatus(Exception):
    """A page answered something other than what it should have."""


@dataclass(frozen=True)
class Target:
    """One row of the table: an address to load and what it must answer.

    `baseline` is the label of the row its throughput is a ratio of (the
    static file served by the same server stack). `page` and `state` name
    the page and warm or cold, for comparisons between store sizes and the
    targets; the static file's rows have the state "static".
    """

    label: str
    url: str
    baseline: str
    page: str
    state: str
    expect: int = 200


@dataclass
class Run:
    requests: int
    seconds: float
    quantiles_ms: list
    errors: dict
    # Answers by nginx's micro-cache: {"HIT": n, "STALE or UPDATING": n,
    # "other": n}; all 0 where nothing sent X-Cache-Status.
    cache: dict = field(default_factory=dict)


@dataclass
class Figures:
    """A target's runs so far, pooled."""

    target: Target
    runs: list = field(default_factory=list)

    @property
    def requests(self):
        return sum(run.requests for run in self.runs)

    @property
    def rate(self):
        seconds = sum(run.seconds for run in self.runs)
        return self.requests / seconds if seconds else 0.0

    @property
    def spread(self):
        """How far apart the rounds were: (fastest - slowest) / pooled rate."""
        rates = [run.requests / run.seconds for run in self.runs if run.seconds]
        if len(rates) < 2 or not self.rate:
            return 0.0
        return (max(rates) - min(rates)) / self.rate

    @property
    def errors(self):
        total = {}
        for run in self.runs:
            for name, count in run.errors.items():
                total[name] = total.get(name, 0) + count
        return {name: count for name, count in total.items() if count}

    @property
    def cache(self):
        """The micro-cache's answers over all the runs (see Run.cache)."""
        total = {}
        for run in self.runs:
            for name, count in run.cache.items():
                total[name] = total.get(name, 0) + count
        return total

    def percentile(self, p):
        """The pooled latency percentile `p` (0-100), in milliseconds."""
        slices = sorted(
            (value, run.requests / len(run.quantiles_ms))
            for run in self.runs
            if run.requests
            for value in run.quantiles_ms
        )
        if not slices:
            return math.nan
        wanted, seen = p / 100 * sum(weight for _, weight in slices), 0.0
        for value, weight in slices:
            seen += weight
            if seen >= wanted - 1e-9:
                return value
        return slices[-1][0]


# Long enough for any page's first answer on a busy machine.
LONGEST_RUN = 5.0


def wrk(target, *, seconds, threads, connections):
    """Load `target.url` for `seconds` (fractions allowed) and return the
    Run. Raises WrongStatus if any response had another status."""
    command = [
        "wrk",
        f"--threads={threads}",
        f"--connections={connections}",
        # An upper bound: the run is ended by SIGINT after `seconds`, which
        # wrk takes as "stop now and report", so runs can be shorter than
        # its one-second steps.
        f"--duration={math.ceil(seconds) + 2}s",
        "--timeout=5s",
        f"--script={LUA}",
        target.url,
        "--",
        str(target.expect),
    ]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        output, problems = process.communicate(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGINT)
        output, problems = process.communicate(timeout=60)
    lines = [line for line in output.splitlines() if line.startswith(MARKER)]
    if process.returncode != 0 or not lines:
        raise RuntimeError(
            f"wrk failed on {target.url} (exit {process.returncode}):\n"
            f"{output}{problems}"
        )
    result = json.loads(lines[-1].removeprefix(MARKER))
    if result["unexpected"]:
        raise WrongStatus(
            f"{target.label} ({target.url}) answered {result['unexpected_status']} "
            f"to {result['unexpected']} of {result['requests']} requests; "
            f"expected {target.expect}"
        )
    if not result["requests"]:
        if seconds < LONGEST_RUN:
            # A short run (--quick) on a busy machine can end before a cold
            # page's first answer: measure it for longer rather than fail.
            return wrk(
                target, seconds=LONGEST_RUN, threads=threads, connections=connections
            )
        raise RuntimeError(f"{target.label} ({target.url}): no request completed")
    return Run(
        requests=result["requests"],
        seconds=result["duration_us"] / 1e6,
        quantiles_ms=[us / 1000 for us in result["quantiles_us"]],
        errors={name: result[name] for name in ["connect", "read", "write", "timeout"]},
        cache={
            "HIT": result["cache_hit"],
            "STALE or UPDATING": result["cache_stale"],
            "other": result["cache_other"],
        },
    )
