"""How long a story body takes to render, by size, for the worst inputs
known: `make bench` runs it after the pages (docs/benchmarks.md).

Each input is grown to n, 2n and 4n characters (4n is the longest body a
story may have, articles.text.MAX_BODY_CHARACTERS) and rendered the way a
save renders it: the body checked (articles.text.validate_body), then
rendered and sanitised (render_markdown). The time is the processor time
this process spent, the best of several runs, so that someone else's work
on this shared machine counts as little as possible. Linear time means 4n
takes about 4 times as long as n; a quadratic renderer takes 16 times
(Python-Markdown took 8 s for 8,000 `[`). The target is judged on that
ratio, never by a timed test.

    python scripts/bench_markdown.py            # about 2 minutes
    python scripts/bench_markdown.py --quick    # a second: proves it works
"""

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from django.core.exceptions import ValidationError  # noqa: E402

from articles import text  # noqa: E402  (after the path is set)

# Linear is 4, quadratic 16: a ratio under their geometric mean, 8, is linear.
LINEAR_AT_MOST = 8.0
# A save must stay far inside gunicorn's 30 s timeout (GUNICORN_TIMEOUT).
SAVE_TARGET_SECONDS = 2.0


def nested_list(n):
    return "".join("  " * i + "- a\n" for i in range(n))


# Pathological inputs from CommonMark's and markdown-it's test suites (the
# ones that have made Markdown renderers quadratic or recurse), the ones
# this project met, and ordinary text. Each takes a repeat count.
INPUTS = {
    "unmatched [": lambda n: "[" * n,
    "unmatched *": lambda n: "*" * n,
    "link openers [a": lambda n: "[a" * n,
    "link closers a]": lambda n: "a]" * n,
    "emphasis openers _a": lambda n: "_a " * n,
    "emphasis closers a_": lambda n: "a_ " * n,
    "mismatched *a_": lambda n: "*a_ " * n,
    "closers multiple of 3": lambda n: "a**b" + "c* " * n,
    "nested strong/emphasis": lambda n: "*a **a " * n + "b" + " a** a*" * n,
    "links and emphasis [ a_": lambda n: "[ a_" * n,
    "pattern [ (](": lambda n: "[ (](" * n,
    "nested brackets": lambda n: "[" * n + "a" + "]" * n,
    "unclosed link [a](<b": lambda n: "[a](<b" * n,
    "unclosed link [a](b": lambda n: "[a](b" * n,
    "nested quotes > > >": lambda n: "> " * n + "a",
    "nested quote lines": lambda n: "".join(">" * i + " a\n" for i in range(1, n)),
    "nested list": nested_list,
    "backtick runs": lambda n: "".join("e" + "`" * i for i in range(1, n)),
    "< runs": lambda n: "<" * n,
    "<a runs": lambda n: "<a" * n,
    "a<b and c>d": lambda n: "a<b and c>d " * n,
    "unclosed <!--": lambda n: "</" + "<!--" * n,
    "reference definitions": lambda n: (
        "".join(f"[r{i}]: /u{i}\n" for i in range(n))
        + "\n"
        + " ".join(f"[x][r{i}]" for i in range(n))
    ),
    "one reference, many uses": lambda n: "[a]: /b\n\n" + "[a] " * n,
    "entities & &#": lambda n: "&" * n + "&#" * n,
    "ordinary story text": lambda n: (
        (
            "The *storm* reached [the coast](https://example.com/a) overnight, "
            "and **thousands** were left without power.\n\n"
        )
        * n
    ),
}


def grown(make, size):
    """make(count) for the smallest count whose input is at least `size`
    characters (not cut to it: that would break its pattern)."""
    low, high = 1, 1
    while len(make(high)) < size:
        low, high = high, high * 2
    while low < high:
        middle = (low + high) // 2
        if len(make(middle)) < size:
            low = middle + 1
        else:
            high = middle
    return make(low)


def save_seconds(body, *, repeats, at_least):
    """Best time of checking and rendering `body`, over `repeats` runs or
    until `at_least` seconds have gone, whichever is more."""
    best, spent, runs = float("inf"), 0.0, 0
    while runs < repeats or spent < at_least:
        started = time.process_time()
        try:
            text.validate_body(body)
        except ValidationError:
            pass  # refused (too deep) is fine: it was checked all the same
        text.render_markdown(body)
        took = time.process_time() - started
        best, spent, runs = min(best, took), spent + took, runs + 1
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, one run")
    parser.add_argument(
        "--size",
        type=int,
        default=text.MAX_BODY_CHARACTERS // 4,
        help="n, in characters (default: a quarter of the longest body)",
    )
    parser.add_argument("--repeats", type=int, default=5, help="runs per size, best")
    options = parser.parse_args()
    if options.quick:
        options.size, options.repeats = 2_000, 1
    at_least = 0 if options.quick else 0.5
    sizes = [options.size, 2 * options.size, 4 * options.size]

    print(
        "Markdown rendering: processor time to check and render one body, "
        f"best of {options.repeats}"
    )
    print(f"n = {sizes[0]:,} characters; target: 4n/n at most {LINEAR_AT_MOST:g}")
    print("(linear is 4, quadratic 16)\n")
    header = ["input", *(f"{size:,} ms" for size in sizes), "4n/n", "target"]
    widths = [26, 12, 12, 12, 6, 7]
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    verdicts, slowest = [], (0.0, "")
    for name, make in INPUTS.items():
        seconds = [
            save_seconds(grown(make, size), repeats=options.repeats, at_least=at_least)
            for size in sizes
        ]
        ratio = seconds[2] / max(seconds[0], 1e-6)
        verdict = "PASS" if ratio <= LINEAR_AT_MOST else "MISS"
        verdicts.append(verdict)
        slowest = max(slowest, (seconds[2], name))
        cells = [name, *(f"{s * 1000:.1f}" for s in seconds), f"{ratio:.1f}", verdict]
        print("  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)))

    refused = time.process_time()
    try:
        text.validate_body("word " * 200_000)
    except ValidationError:
        pass
    refused = time.process_time() - refused
    save = "PASS" if slowest[0] <= SAVE_TARGET_SECONDS else "MISS"
    print(
        f"\nSlowest at {sizes[2]:,} characters: {slowest[1]}, {slowest[0]:.2f} s "
        f"(target: at most {SAVE_TARGET_SECONDS:g} s) {save}"
    )
    print(f"A 1 MB body is refused, unrendered, in {refused * 1000:.1f} ms.")
    passed = verdicts.count("PASS") + (save == "PASS")
    print(
        f"Markdown targets met: {passed}, missed: {len(verdicts) + 1 - passed} "
        f"(linear on {verdicts.count('PASS')} of {len(verdicts)} inputs)."
    )


if __name__ == "__main__":
    main()
