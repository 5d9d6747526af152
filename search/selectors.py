"""The reader's search: published stories matching a query."""

from typing import NamedTuple

from django.db.models import QuerySet

from articles.models import Article

from .index import engine

# The most matches a search considers: the newest this many. Counting and
# ranking every match costs in proportion to the matches (a word four
# stories in five hold took 1.2 s at 100,000 stories on PostgreSQL, 0.5 s
# on SQLite); the newest 1,000 are found on the stories' listing index in
# tens of milliseconds, whatever the word. A reader who needs older stories
# narrows the search with more words or the dates.
MAX_RESULTS = 1000


class Found(NamedTuple):
    """A search's results: `stories` to show, in order, marked; `matches`
    the same stories, for counting them without the work of marking."""

    stories: QuerySet
    matches: QuerySet


def search_stories(
    *, query, section=None, source=None, start=None, end=None, newest_first=False
):
    """Published stories matching `query` (search.query.Query, not empty):
    of the newest MAX_RESULTS of them, best match first or `newest_first`.
    Each comes with its source and section and `marked_headline`,
    `marked_standfirst` and `marked_body` (matches marked as
    search/highlight.py reads them). `section` and `source` are slugs;
    `start` and `end` bound the publication time (end excluded). Returns
    Found."""
    stories = Article.objects.published()
    if section:
        stories = stories.filter(section__slug=section)
    if source:
        stories = stories.filter(source__slug=source)
    if start:
        stories = stories.filter(published_at__gte=start)
    if end:
        stories = stories.filter(published_at__lt=end)
    newest = engine().matching(stories, query).order_by("-published_at", "-pk")
    matches = Article.objects.filter(pk__in=newest.values("pk")[:MAX_RESULTS])
    marked = engine().marked(
        matches.with_source().for_cards(), query, ranked=not newest_first
    )
    if newest_first:
        return Found(marked.order_by("-published_at", "-pk"), matches)
    return Found(marked.order_by("-rank", "-published_at", "-pk"), matches)
