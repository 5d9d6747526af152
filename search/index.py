"""Keeping the search index in step with the stories: the write side.

desk/services/ calls `index_story` each time it saves a story and
`index_stories` after a bulk import or an archive's restore, inside its own
transaction: the index changes with the story, at once, or not at all. A
deleted story's entry goes with it (Django's CASCADE deletes the row; on
SQLite the FTS5 table's triggers follow). Publishing and taking down change
nothing here: searches ask `Article.objects.published()` at the time.
"""

from django.db import connection

from articles.models import Article
from articles.text import plain_text
from core.characters import clean_text

from . import postgres, sqlite
from .models import SearchEntry

BATCH = 500
TEXT = ["headline", "standfirst", "body"]


def engine():
    """The module that speaks this database's full-text search."""
    engines = {"postgresql": postgres, "sqlite": sqlite}
    if connection.vendor not in engines:
        raise NotImplementedError(
            f"Search needs PostgreSQL or SQLite, not {connection.vendor}."
        )
    return engines[connection.vendor]


def index_story(story):
    index_stories([story])


def index_stories(stories):
    """Write the entries of `stories` (saved Articles, with their rendered
    bodies), in batches of BATCH; returns how many."""
    batch, count = [], 0
    for story in stories:
        batch.append(_entry(story))
        if len(batch) == BATCH:
            count += _write(batch)
            batch = []
    if batch:
        count += _write(batch)
    return count


def rebuild():
    """Every story's entry written afresh, and the index read again from
    them (`manage.py rebuild_search_index`). Returns how many stories."""
    stories = Article.objects.only("pk", "headline", "standfirst", "body_html")
    count = index_stories(stories.order_by("pk").iterator(chunk_size=BATCH))
    engine().rebuilt()
    return count


def _entry(story):
    # Cleaned again (a no-op for text the services stored): the marks that
    # highlight matches (search/highlight.py) must never be in the text.
    return SearchEntry(
        article_id=story.pk,
        headline=clean_text(story.headline, multiline=False),
        standfirst=clean_text(story.standfirst),
        body=clean_text(plain_text(story.body_html)),
    )


def _write(entries):
    SearchEntry.objects.bulk_create(
        entries, update_conflicts=True, unique_fields=["article"], update_fields=TEXT
    )
    engine().indexed([entry.pk for entry in entries])
    return len(entries)
