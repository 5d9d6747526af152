"""A search reads the GIN index on PostgreSQL, not every story's vector."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from desk import services
from tests.factories import SourceFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

STORIES = 3000


@pytest.fixture
def archive():
    source = SourceFactory()
    now = timezone.now()
    services.import_articles(
        user=None,
        stories=[
            {
                "headline": f"Story {n}" + (" about the wollemi pine" * (n % 300 == 0)),
                "slug": f"story-{n}",
                "standfirst": "A summary of the day's council business.",
                "body": "The council met again and talked for hours.",
                "source": source,
                "status": "published",
                "published_at": now - datetime.timedelta(minutes=n + 1),
            }
            for n in range(STORIES)
        ],
    )
    with connection.cursor() as cursor:
        # As autovacuum does soon after a bulk write (VACUUM cannot run in
        # the test's transaction): the index's pending entries merged in.
        cursor.execute("SELECT gin_clean_pending_list('search_entry_document_gin')")
        cursor.execute("ANALYZE")


def plans(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    found = []
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            if "search_searchentry" in query["sql"]:
                cursor.execute(f"EXPLAIN {query['sql']}")
                found.append("\n".join(row[0] for row in cursor.fetchall()))
    return found


@pytest.mark.parametrize("sort", ["relevance", "newest"])
def test_a_search_for_a_rare_word_reads_the_gin_index(client, archive, sort):
    explained = plans(client, f"/search/?q=wollemi&sort={sort}")
    assert len(explained) == 2  # the count and the page
    for plan in explained:
        assert "search_entry_document_gin" in plan, plan
        assert "Seq Scan on search_searchentry" not in plan, plan
