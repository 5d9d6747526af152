"""Turning what editors type into what readers see.

Markdown is rendered, then sanitised with nh3 down to the few elements a
news story needs. Nothing an editor (or a compromised account) types can
inject scripts, styles, frames or event handlers.
"""

import html
import math
import re

import markdown
import nh3

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


def render_markdown(source):
    """Markdown to sanitised HTML: paragraphs, links, emphasis, lists,
    block quotes and subheadings; everything else is stripped."""
    rendered = markdown.markdown(source or "", output_format="html")
    # A top-level Markdown heading (#) would compete with the page's <h1>.
    rendered = re.sub(r"<(/?)h1\b", r"<\1h2", rendered)
    return nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


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
