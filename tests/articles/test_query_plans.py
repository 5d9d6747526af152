"""The queries behind every reader page use indexes on PostgreSQL: with
thousands of stories a sequential scan would show in the plan."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from desk import services
from tests.factories import (
    AuthorFactory,
    SectionFactory,
    SourceFactory,
    TopicFactory,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

# Enough that an index is cheaper than a scan wherever it should be: at a
# few thousand the planner rightly reads the whole table instead of looking
# up the few dozen stories a front page picks by id.
STORIES = 15000


@pytest.fixture
def archive():
    sources = [SourceFactory(slug=f"agency-{n}") for n in range(6)]
    sections = [SectionFactory(slug=f"section-{n}") for n in range(6)]
    jane, syria = AuthorFactory(slug="jane"), TopicFactory(slug="syria")
    now = timezone.now()
    services.import_articles(
        user=None,
        stories=[
            {
                "headline": f"Story {n}",
                "slug": f"story-{n}",
                "standfirst": "A summary.",
                "source": sources[n % len(sources)],
                "section": sections[n % len(sections)],
                # As a reporter and a running story in a big archive: one
                # story in 500 (a planner rightly scans a table where a
                # listing holds a large share of it).
                "authors": [jane] if n % 500 == 0 else [],
                "topics": [syria] if n % 500 == 1 else [],
                "status": Article.Status.PUBLISHED,
                "published_at": now - datetime.timedelta(minutes=n + 1),
            }
            for n in range(STORIES)
        ],
    )
    renamed = Article.objects.get(slug="story-4000")
    old_url = renamed.get_absolute_url()
    services.update_article(article=renamed, user=None, slug="story-4000-renamed")
    services.publish_article(
        article=Article.objects.get(slug="story-10"),
        user=None,
        at=now + datetime.timedelta(hours=1),
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "story": Article.objects.get(slug="story-3000").get_absolute_url(),
        "old address": old_url,
    }


def plan(sql):
    # Django records each query with its parameters filled in.
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


def test_reader_pages_read_through_indexes(client, archive):
    pages = [
        "/",
        "/latest/?page=150",
        "/sources/agency-2/",
        "/sources/agency-2/?page=40",
        "/sections/section-3/",
        "/sections/section-3/?page=40",
        "/authors/jane/",
        "/topics/syria/",
        archive["story"],
        archive["old address"],
        "/feeds/rss/",
        "/sources/agency-3/atom/",
        "/sections/section-1/rss/",
        "/authors/jane/atom/",
        "/sitemap-news.xml",
    ]
    checked = 0
    for url in pages:
        cache.clear()  # cold: the edition and the page are both loaded
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code in (200, 301), url
        for query in captured.captured_queries:
            sql = query["sql"]
            if not sql.startswith("SELECT") or "COUNT(" in sql:
                continue  # counts read every row by nature; kept per edition
            explained = plan(sql)
            # The stories grow with the archive; sources and the one-row
            # edition table stay small enough that scanning them is right.
            assert not re.search(r"Seq Scan on articles_article\b", explained), (
                f"{url}\n{sql}\n{explained}"
            )
            checked += "articles_article" in sql
    assert checked >= len(pages)
