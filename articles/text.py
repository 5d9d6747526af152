"""Turning what editors type into what readers see.

Story bodies are CommonMark, rendered by markdown-it-py, then sanitised
with nh3 down to the few elements a news story needs. Nothing an editor (or
a compromised account) types can inject scripts, styles, frames or event
handlers, and nothing they type is silently dropped: HTML is shown as the
text it was typed as (`a<b and c>d` reads just so).

Why markdown-it-py. Python-Markdown, used before, is quadratic on runs of
unmatched `[` (8 KB took 15 s, long enough for two saves to stop every
gunicorn worker) and recursed into a RecursionError on a deeply nested
list. markdown-it-py is a port of markdown-it, a CommonMark parser built
to stay linear on pathological input, and it does: `make bench` renders
the worst inputs known at n, 2n and 4n characters (docs/benchmarks.md),
where mistune was quadratic on nested emphasis. It is among the most
downloaded packages on PyPI (rich renders with it), maintained by the
Executable Books project, and, unlike the C and Rust renderers (cmarkgfm,
pyromark), it escapes raw HTML rather than dropping it. Its parser stops
reading past a fixed nesting depth instead of recursing without end;
`validate_body` refuses a body nested that deep, so that nothing an editor
typed is left out of what readers see.
"""

import html
import math
import re

import nh3
from django.core.exceptions import ValidationError
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p",
    "a",
    "em",
    "strong",
    "ul",
    "ol",
    "li",
    "blockquote",
    "h2",
    "h3",
    "h4",
    "br",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

# Average adult silent-reading rate for English non-fiction (Brysbaert 2019,
# "How many words do we read per minute?", J. Memory and Language 109).
WORDS_PER_MINUTE = 238

WORD = re.compile(r"\w+(?:['’.\-]\w+)*")


# The longest body a story may have: about 15,000 words, past the longest
# of long reads, and at most about a second of rendering for the worst
# inputs (docs/benchmarks.md).
MAX_BODY_CHARACTERS = 100_000

# How deep lists and quotations may sit inside one another. The parser
# counts two levels for a list (the list and its item) and one for a
# quotation, and stops reading past PARSER_NESTING; at MAX_NESTING deep a
# body stays below that, so every word of it is shown.
MAX_NESTING = 8
PARSER_NESTING = 20
assert 2 * MAX_NESTING < PARSER_NESTING
CONTAINERS = {"blockquote", "bullet_list", "ordered_list"}

# Raw HTML off: what looks like a tag is text, escaped, never markup.
MARKDOWN = MarkdownIt("commonmark", {"html": False, "maxNesting": PARSER_NESTING})
# The same parser, reading the blocks only (cheap: no inline parsing), for
# the nesting check.
BLOCKS = MarkdownIt(
    "commonmark", {"html": False, "maxNesting": PARSER_NESTING}
).disable("inline")


def render_markdown(source):
    """Markdown to sanitised HTML: paragraphs, links, emphasis, lists,
    block quotes and subheadings as elements, everything else as text
    (or, for pictures, left out)."""
    tokens = MARKDOWN.parse(source or "")
    for token in tokens:
        if token.tag == "h1":
            # A top-level heading (# or ===) would compete with the page's <h1>.
            token.tag = "h2"
    rendered = MARKDOWN.renderer.render(tokens, MARKDOWN.options, {})
    return nh3.clean(
        rendered.rstrip("\n"),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def validate_body(source):
    """Refuse (ValidationError) a body that readers could not be shown
    whole, or that would take too long to render, saying why."""
    source = (source or "").replace("\r\n", "\n")
    if len(source) > MAX_BODY_CHARACTERS:
        raise ValidationError(
            f"The body is {len(source):,} characters long, and a story's body "
            f"may have at most {MAX_BODY_CHARACTERS:,}. Cut it, or split it "
            "into two stories.",
            code="too_long",
        )
    if deepest_nesting(source) > MAX_NESTING:
        raise ValidationError(
            f"Lists and quotations are nested more than {MAX_NESTING} levels "
            "deep here. Readers could not be shown it whole: bring them to "
            f"{MAX_NESTING} levels or fewer.",
            code="too_deep",
        )


def deepest_nesting(source):
    """How many lists and quotations deep the body goes (the parser reads
    no further than PARSER_NESTING, so past that the answer is a floor)."""
    depth = deepest = 0
    for token in BLOCKS.parse(source):
        if token.nesting and token.type.rsplit("_", 1)[0] in CONTAINERS:
            depth += token.nesting
            deepest = max(deepest, depth)
    return deepest


def plain_text(fragment):
    """The visible text of an HTML fragment."""
    without_tags = nh3.clean(fragment or "", tags=set())
    return html.unescape(without_tags)


def count_words(*texts):
    return sum(len(WORD.findall(text or "")) for text in texts)


def reading_minutes(word_count):
    return max(1, math.ceil(word_count / WORDS_PER_MINUTE))


def absolute_links(fragment, *, base):
    """The sanitised HTML fragment with every relative link resolved
    against `base`, for readers that show it away from the site (feeds).

    nh3 parses the HTML and rewrites only URL attributes; the allow-lists
    are the same as when it was rendered, so nothing new gets through.
    """
    return nh3.clean(
        fragment or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        url_relative=("rewrite_with_base", base),
    )
