"""Search on PostgreSQL: a weighted tsvector per story, under a GIN index.

`document` is written by an UPDATE right after the entries, in the same
transaction (search/index.py). Not a generated column: the model and its
migrations are the same on SQLite, where Django could not compile the
expression, and a column Django does not know is generated would be
written by every insert.
"""

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
)
from django.db.models import F

from .highlight import END, START
from .models import SearchEntry

CONFIG = "english"
# The headline counts most, then the standfirst, then the body.
DOCUMENT = (
    SearchVector("headline", weight="A", config=CONFIG)
    + SearchVector("standfirst", weight="B", config=CONFIG)
    + SearchVector("body", weight="C", config=CONFIG)
)
# ts_rank's weights for D, C, B and A (its defaults, said out loud): a
# word's every further mention adds less, so a body mentioning it often
# still ranks below a standfirst that has it once.
WEIGHTS = [0.1, 0.2, 0.4, 1.0]
# The whole text, marked (search/highlight.py picks a result's passage):
# in the passages ts_headline picks itself it leaves out whatever looks
# like an HTML tag, and a story's text may hold "<" that its editor typed.
MARKS = {"config": CONFIG, "start_sel": START, "stop_sel": END, "highlight_all": True}


def indexed(pks):
    SearchEntry.objects.filter(pk__in=pks).update(document=DOCUMENT)


def rebuilt():
    """Nothing more: indexed() wrote every document."""


def matching(stories, query):
    """`stories` that match `query` (search.query.Query)."""
    return stories.filter(search_entry__document=_tsquery(query))


def marked(stories, query, *, ranked):
    """`stories` annotated with their headline, standfirst and body with the
    matches of `query` marked, and when `ranked` their `rank` (higher is
    better)."""
    tsquery = _tsquery(query)
    found = stories.annotate(
        **{
            f"marked_{name}": SearchHeadline(f"search_entry__{name}", tsquery, **MARKS)
            for name in ["headline", "standfirst", "body"]
        },
    )
    if ranked:
        # Only then: ts_rank is cheap enough for PostgreSQL to work it out
        # for every row, even where no order needs it.
        rank = SearchRank(F("search_entry__document"), tsquery, weights=WEIGHTS)
        found = found.annotate(rank=rank)
    return found


def _tsquery(query):
    return SearchQuery(query.websearch(), search_type="websearch", config=CONFIG)
