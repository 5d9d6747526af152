"""Highlighted matches, without trusting the database's markup.

Each database is asked to wrap the words that matched in START and END,
two control characters that no stored text can hold (core/characters.py
removes them from everything the services store, and search/index.py
cleans what it indexes again). The text is then escaped like any other,
and only those marks become <mark> elements: a headline holding <script>
comes out as the text it is.

Both databases return a story's whole body marked, and `passage` picks the
words to show from it here, by one rule for both.
"""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

START, END = "\x02", "\x03"
_MARKED = re.compile(f"{START}([^{START}{END}]*){END}")
# A result's passage: this many words, starting a few before the matches.
PASSAGE_WORDS = 30
LEAD_IN = 6
ELLIPSIS = "…"


def marked(text):
    """`text` escaped for HTML, its marked matches as <mark> elements."""
    escaped = _MARKED.sub(r"<mark>\1</mark>", escape(text or ""))
    # A mark left unpaired (by a passage's edge) is dropped.
    return mark_safe(escaped.replace(START, "").replace(END, ""))


def has_match(text):
    return START in (text or "")


def passage(text, *, length=PASSAGE_WORDS):
    """The `length` words of marked `text` holding the most matches (the
    first such run, a few words of lead-in before them), with an ellipsis
    where it was cut; as marked, unescaped text."""
    words = (text or "").split()
    hits = [START in word for word in words]
    if len(words) <= length:
        return " ".join(words)
    found = best = sum(hits[:length])
    first = 0
    for start in range(1, len(words) - length + 1):
        found += hits[start + length - 1] - hits[start - 1]
        if found > best:
            best, first = found, start
    if best:
        lead = hits.index(True, first) - LEAD_IN
        first = max(0, min(lead, len(words) - length))
    shown = " ".join(words[first : first + length])
    if first > 0:
        shown = ELLIPSIS + " " + shown
    if first + length < len(words):
        shown += " " + ELLIPSIS
    return shown
