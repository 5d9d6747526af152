"""The reader's search: published stories matching a query."""

from articles.models import Article

from .index import engine


def search_stories(
    *, query, section=None, source=None, start=None, end=None, newest_first=False
):
    """Published stories matching `query` (search.query.Query, not empty),
    best match first or `newest_first`, each with its source and section and
    `marked_headline`, `marked_standfirst` and `marked_body` (matches marked
    as search/highlight.py reads them). `section` and `source` are slugs;
    `start` and `end` bound the publication time (end excluded)."""
    stories = Article.objects.published().with_source().for_cards()
    if section:
        stories = stories.filter(section__slug=section)
    if source:
        stories = stories.filter(source__slug=source)
    if start:
        stories = stories.filter(published_at__gte=start)
    if end:
        stories = stories.filter(published_at__lt=end)
    found = engine().matching(stories, query, ranked=not newest_first)
    if newest_first:
        return found.order_by("-published_at", "-pk")
    return found.order_by("-rank", "-published_at", "-pk")
