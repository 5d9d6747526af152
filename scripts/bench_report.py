"""What `make bench` prints: a table per store size, the comparison of the
two sizes, and the targets, each with what was measured and, when missed,
by how much. docs/benchmarks.md explains how to read them."""

import math

# The targets, on a 2-core machine: (page, state, least ratio of
# the static file's req/s through the same gunicorn + WhiteNoise).
RATIO_TARGETS = [
    ("story", "warm", 0.80),
    ("front", "warm", 0.80),
    ("section", "warm", 0.80),
    ("feed", "warm", 0.80),
    ("story", "cold", 0.15),
]
# Each row's time per request at the larger store over the smaller.
GROWTH_TARGET = 1.2
# Warm pages through nginx's micro-cache, over nginx's own static file.
NGINX_TARGET = 0.5


def stories(n):
    return f"{n:,} stories"


def header(*, site, options, cpus, nginx, load, date):
    if options.max_requests is None:
        recycle = "max_requests as configured"
    else:
        recycle = f"max_requests {options.max_requests} (--max-requests)"
    lines = [
        f"Newsroom bench, {date:%Y-%m-%d %H:%M} UTC, {cpus} CPUs, load average "
        + " ".join(f"{x:.2f}" for x in load),
        f"Database: {site.database}",
        f"Cache:    {site.cache}",
        f"App:      gunicorn -c gunicorn.conf.py, {options.workers} sync workers,"
        f" {recycle}. Warm rows: the cache above. Cold rows: a second gunicorn"
        " with Django's DummyCache (every request renders from the database)",
        f"nginx:    {nginx}, deploy/nginx/newsroom.conf as shipped (TLS, a throwaway"
        " certificate) in front of the warm gunicorn, a worker per core. Rows"
        " ', nginx': through its 5-second micro-cache; wrk connects over https"
        " and keeps its connections open",
        f"Load:     wrk -t{options.threads} -c{options.connections} on 127.0.0.1,"
        f" {options.rounds} round{'s' * (options.rounds != 1)} of"
        f" {options.seconds:g} s a row, the rows"
        " taking turns in each round",
    ]
    return "\n".join(lines)


def ratio(figures, rows):
    """`figures`' req/s over its baseline's, or NaN."""
    baseline = rows.get(figures.target.baseline)
    if baseline is None or not baseline.rate:
        return math.nan
    return figures.rate / baseline.rate


def table(size):
    added, seconds = size.seeded
    rows = {f.target.label: f for f in size.figures}
    lines = [
        "",
        f"{stories(size.stories)} (+ the demo story): seeded {added:,} in"
        f" {seconds:.1f} s ({added / seconds:,.0f} stories/s)",
        "",
        f"{'page':<26} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} "
        f"{'vs static':>9} {'spread':>7} {'queries':>7}",
    ]
    lines.append("-" * len(lines[-1]))
    for f in size.figures:
        spread = f"{f.spread:.0%}" if len(f.runs) > 1 else "-"
        lines.append(
            f"{f.target.label:<26} {f.rate:>7.0f} {f.percentile(50):>7.1f} "
            f"{f.percentile(99):>7.1f} {ratio(f, rows):>9.2f} {spread:>7} "
            f"{size.queries.get(f.target.label, '-'):>7}"
        )
    for f in size.figures:
        if f.errors:
            lines.append(f"  ! {f.target.label}: socket errors {f.errors}")
    cached = [f for f in size.figures if sum(f.cache.values())]
    if cached:
        lines.append("  nginx's micro-cache answered (X-Cache-Status):")
    for f in cached:
        total = sum(f.cache.values())
        lines.append(
            f"    {f.target.label:<26} {f.cache['HIT'] / total:.2%} HIT, "
            f"{f.cache['STALE or UPDATING'] / total:.2%} STALE or UPDATING, "
            f"{f.cache['other']} other (MISS, EXPIRED, BYPASS)"
        )
    return "\n".join(lines)


def per_request_ms(figures):
    return 1000 / figures.rate if figures.rate else math.nan


def growth(small, large):
    """(target, small ms, large ms, ratio, adjusted ratio) for each row
    measured at both sizes. Time per request is 1 / req/s; the adjusted
    ratio is divided by the static file's, whose work is the same at both
    sizes, to take out a change in the machine's speed in between."""
    larger = {f.target.label: f for f in large.figures}
    found = []
    for f in small.figures:
        if f.target.label in larger:
            before, after = per_request_ms(f), per_request_ms(larger[f.target.label])
            found.append((f.target, before, after, after / before))
    drift = {t.label: r for t, _, _, r in found if t.state == "static"}
    return [
        (target, before, after, r, r / drift.get(target.baseline, 1.0))
        for target, before, after, r in found
    ]


def comparison(small, large):
    lines = [
        "",
        f"{stories(large.stories)} against {stories(small.stories)}: time per"
        " request (1 / req/s)",
        "",
        f"{'page':<26} {'small ms':>9} {'large ms':>9} {'ratio':>7} {'adjusted':>9}",
    ]
    lines.append("-" * len(lines[-1]))
    for target, before, after, r, adjusted in growth(small, large):
        lines.append(
            f"{target.label:<26} {before:>9.2f} {after:>9.2f} {r:>6.2f}x "
            f"{adjusted:>8.2f}x"
        )
    lines += [
        "",
        "adjusted: over the static file's ratio (the same server's: gunicorn's or",
        "nginx's), which does the same work at both sizes: takes out a change in",
        "the machine's speed between the two measurements. The target is judged",
        "on it, for the app's rows (warm and cold).",
    ]
    return "\n".join(lines)


def at_least(value, target):
    if math.isnan(value):
        return "NOT MEASURED"
    if value >= target:
        return "PASS"
    return f"MISS by {target - value:.2f} ({(target - value) / target:.0%} short)"


def within(value, target):
    if value <= target:
        return "PASS"
    return f"MISS by {value - target:.2f}x ({value / target - 1:.0%} over)"


def targets(sizes):
    lines = [
        "",
        "Targets (2 cores; ratios of req/s against the same server's static file,"
        " same run)",
    ]
    verdicts = []

    def judge(label, verdict):
        verdicts.append(verdict)
        lines.append(f"  {label}  {verdict}")

    for page, state, least in RATIO_TARGETS:
        for size in sizes:
            rows = {f.target.label: f for f in size.figures}
            row = next(
                f
                for f in size.figures
                if (f.target.page, f.target.state) == (page, state)
            )
            value = ratio(row, rows)
            judge(
                f"{row.target.label:<20} >= {least:.2f} x static at "
                f"{stories(size.stories):>16}: {value:.2f}",
                at_least(value, least),
            )
    for target, _, _, raw, adjusted in growth(*sizes):
        # The app's rows: through the micro-cache, the store's size reaches
        # nginx's rows only in the background updates.
        if target.state in ("warm", "cold"):
            judge(
                f"{target.label:<20} larger store within {GROWTH_TARGET}x: "
                f"{adjusted:.2f}x (raw {raw:.2f}x)",
                within(adjusted, GROWTH_TARGET),
            )
    nginx_pages = [f.target.page for f in sizes[0].figures if f.target.state == "nginx"]
    for page in nginx_pages:
        for size in sizes:
            rows = {f.target.label: f for f in size.figures}
            row = next(
                f
                for f in size.figures
                if (f.target.page, f.target.state) == (page, "nginx")
            )
            value = ratio(row, rows)
            judge(
                f"{row.target.label:<20} >= {NGINX_TARGET:.2f} x nginx's static "
                f"file at {stories(size.stories):>16}: {value:.2f}",
                at_least(value, NGINX_TARGET),
            )
    met = sum(verdict == "PASS" for verdict in verdicts)
    missed = sum(verdict.startswith("MISS") for verdict in verdicts)
    lines.append(
        f"Targets met: {met}, missed: {missed}, not measured: "
        f"{len(verdicts) - met - missed}."
    )
    return "\n".join(lines)


def memory(sizes):
    lines = ["", "Peak resident memory of a worker (VmHWM), and workers seen:"]
    for size in sizes:
        parts = [
            f"{server.name} {max(server.peak_rss.values(), default=0):.0f} MB"
            f" ({len(server.peak_rss)} workers)"
            for server in size.servers
        ]
        lines.append(f"  {stories(size.stories):>16}: " + "; ".join(parts))
    lines.append(
        "  More workers than --workers: gunicorn replaced them after max_requests."
    )
    return "\n".join(lines)
