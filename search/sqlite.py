"""Search on SQLite: an FTS5 table over the entries, Porter-stemmed.

Migration 0001 makes `search_fts` (an external-content FTS5 table reading
the entries' rows, its rowid the story's id) and the triggers that keep it
in step with every insert, update and delete of an entry.

To rank and highlight, the FTS5 table is joined in the FROM clause
(QuerySet.extra: the ORM has no relation to a virtual table) rather than
asked in a correlated subquery per story: FTS5 would run the whole MATCH
again for each row, and ranking a common word's 80,000 stories that way
took three minutes at 100,000 stories, against a tenth of a second joined.
"""

from django.db import connection
from django.db.models import Func, IntegerField
from django.db.models.expressions import RawSQL

from articles.models import Article

from .highlight import END, START

TABLE = "search_fts"
# bm25() weights of the headline, standfirst and body columns.
WEIGHTS = (10.0, 5.0, 1.0)


def indexed(pks):
    """Nothing more: the triggers indexed the entries as they were written."""


def rebuilt():
    """Read every entry into the FTS5 table afresh (a repair, should the two
    ever disagree: a restored file, a write with the triggers missing)."""
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES ('rebuild')")


class Unindexed(Func):
    """A column SQLite's planner may not look up by index (`+column`)."""

    template = "+%(expressions)s"
    output_field = IntegerField()


def matching(stories, query):
    """`stories` that match `query` (search.query.Query).

    As `+id IN (...)`: otherwise SQLite looks up every matching story by id
    and sorts them all to find the newest (290 ms for a word 79,000 of
    100,000 stories hold), where walking the stories' listing index, newest
    first, against the matches takes 12 to 19 ms, whatever the word."""
    found = RawSQL(f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s", [query.fts5()])
    return stories.alias(story_id=Unindexed("pk")).filter(story_id__in=found)


def marked(stories, query, *, ranked):
    """As search.postgres.marked: the headline, standfirst and body with the
    matches marked (the whole body: search/highlight.py picks the passage,
    as it does for PostgreSQL), and when `ranked` the `rank` (higher is
    better). `stories` must all match `query`."""
    story_id = f'"{Article._meta.db_table}"."{Article._meta.pk.column}"'
    select = {
        "marked_headline": f"highlight({TABLE}, 0, %s, %s)",
        "marked_standfirst": f"highlight({TABLE}, 1, %s, %s)",
        "marked_body": f"highlight({TABLE}, 2, %s, %s)",
    }
    if ranked:
        # bm25() is lower for better matches.
        select["rank"] = f"-bm25({TABLE}, {', '.join(map(str, WEIGHTS))})"
    return stories.extra(
        tables=[TABLE],
        where=[f"{TABLE}.rowid = {story_id}", f"{TABLE} MATCH %s"],
        params=[query.fts5()],
        select=select,
        select_params=[START, END] * 3,
    )
