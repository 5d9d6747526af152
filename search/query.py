"""What a reader typed in the search box, read the same way for both
databases.

Readers type what web search engines taught them: words, all of which must
appear; "quoted phrases"; -word or -"a phrase" to leave stories out; `or`
between alternatives. PostgreSQL reads that syntax itself
(websearch_to_tsquery), SQLite's FTS5 has a stricter syntax of its own in
which a stray quote, `*`, `NEAR(` or `col:` is an error. So the text is
parsed once, here, into a `Query`, and each database is handed that query
written in its own syntax with every word quoted: nothing a reader types can
be an operator the parse did not find, or a syntax error.

Reading it here also makes the databases agree where they would not: a
word PostgreSQL's English configuration ignores ("the", "of") is an
ordinary word to FTS5, so such words alone are dropped on both; and an
alternative with nothing to find (only exclusions) is dropped, since FTS5
cannot say "everything but". A query left with nothing is no query: the
page asks for a word to look for.
"""

import re
from dataclasses import dataclass

# The longest query read: longer text is cut here rather than refused.
MAX_LENGTH = 200

# PostgreSQL's English stop words (tsearch_data/english.stop, from
# Snowball): words so common that its index leaves them out.
STOP_WORDS = frozenset(
    """i me my myself we our ours ourselves you your yours yourself yourselves
    he him his himself she her hers herself it its itself they them their
    theirs themselves what which who whom this that these those am is are was
    were be been being have has had having do does did doing a an the and but
    if or because as until while of at by for with about against between into
    through during before after above below to from up down in out on off over
    under again further then once here there when where why how all any both
    each few more most other some such no nor not only own same so than too
    very s t can will just don should now""".split()
)

# A quoted phrase (an unclosed quote runs to the end, as PostgreSQL reads
# it) or a run of anything else up to a space or a quote; either may start
# with a minus.
_CHUNK = re.compile(r'(-?)(?:"([^"]*)"?|([^\s"]+))')
# The words inside a chunk as FTS5's unicode61 tokenizer finds them:
# letters and digits, everything else a separator.
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Term:
    """A word or phrase: `text` as the reader typed it (quotes removed),
    `words` as FTS5 reads it."""

    text: str
    words: tuple[str, ...]

    @property
    def fts5(self):
        # Leading and trailing stop words dropped, as PostgreSQL drops them.
        words = list(self.words)
        while words[0] in STOP_WORDS:
            words.pop(0)
        while words[-1] in STOP_WORDS:
            words.pop()
        return '"' + " ".join(words) + '"'

    @property
    def websearch(self):
        return '"' + self.text + '"'


@dataclass(frozen=True)
class Alternative:
    """Stories with every `required` term and none of the `excluded`."""

    required: tuple[Term, ...]
    excluded: tuple[Term, ...] = ()


@dataclass(frozen=True)
class Query:
    """Stories matching any of the `alternatives`; none for an empty one."""

    alternatives: tuple[Alternative, ...]

    def __bool__(self):
        return bool(self.alternatives)

    def websearch(self):
        """For PostgreSQL's websearch_to_tsquery: each term quoted, so that
        its own parser tokenizes the words as it did the stories'."""
        return " or ".join(
            " ".join(
                [t.websearch for t in alt.required]
                + ["-" + t.websearch for t in alt.excluded]
            )
            for alt in self.alternatives
        )

    def fts5(self):
        """An FTS5 MATCH expression: each term a quoted string."""
        written = []
        for alt in self.alternatives:
            expression = "(" + " AND ".join(t.fts5 for t in alt.required) + ")"
            for term in alt.excluded:
                expression += " NOT " + term.fts5
            written.append(expression)
        return " OR ".join(written)


def parse(text):
    """The Query in what a reader typed (at most MAX_LENGTH characters of it
    are read)."""
    alternatives, required, excluded = [], [], []

    def close_alternative():
        if required:
            alternatives.append(Alternative(tuple(required), tuple(excluded)))
        required.clear()
        excluded.clear()

    for match in _CHUNK.finditer((text or "")[:MAX_LENGTH]):
        minus, quoted, bare = match.groups()
        if quoted is None and not minus and bare.lower() == "or":
            close_alternative()
            continue
        typed = quoted if quoted is not None else bare
        words = tuple(word.lower() for word in _WORD.findall(typed))
        if not words or all(word in STOP_WORDS for word in words):
            continue  # nothing either database would look for
        (excluded if minus else required).append(Term(typed, words))
    close_alternative()
    return Query(tuple(alternatives))
