"""Feeds and story pages rendered once are served from the shared cache
(Redis in production) until their content changes; a dead cache changes
nothing for readers."""

import datetime
import hashlib

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from redis.exceptions import ConnectionError as RedisConnectionError

from desk import services
from tests.factories import ArticleFactory, SourceFactory

pytestmark = pytest.mark.django_db

URLS = ["feed", "story"]


@pytest.fixture
def story():
    return ArticleFactory(
        published=True, headline="Harbour reopens", source=SourceFactory(slug="wire")
    )


def url_of(kind, story):
    return "/feeds/rss/" if kind == "feed" else story.get_absolute_url()


@pytest.mark.parametrize("kind", URLS)
def test_a_second_request_is_served_from_the_cache(client, story, kind):
    url = url_of(kind, story)
    with CaptureQueriesContext(connection) as rendering:
        first = client.get(url)
    assert first.status_code == 200
    address = hashlib.sha256(f"{url}?page=".encode()).hexdigest()
    assert cache.get(f"rendered:{address}:{first['ETag']}") is not None
    with CaptureQueriesContext(connection) as from_cache:
        second = client.get(url)
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert second["Content-Type"] == first["Content-Type"]
    if kind == "feed":
        # Only the validators' queries: the stories themselves were not read.
        assert len(from_cache) < len(rendering)
    else:
        # The story row gives the validators; the template was not rendered.
        assert "articles/article_detail.html" in [t.name for t in first.templates]
        assert second.templates == []


@pytest.mark.parametrize("kind", URLS)
def test_an_edit_is_served_at_once_not_the_cached_copy(client, story, kind):
    url = url_of(kind, story)
    assert b"Harbour reopens" in client.get(url).content
    services.update_article(article=story, user=None, headline="Harbour closes again")
    fresh = client.get(url).content
    assert b"Harbour closes again" in fresh and b"Harbour reopens" not in fresh


class DeadCache:
    def __getattr__(self, name):
        def refuse(*args, **kwargs):
            raise RedisConnectionError("Connection refused")

        return refuse


@pytest.mark.parametrize("kind", URLS)
def test_a_dead_cache_still_serves_the_page(client, story, kind, monkeypatch):
    monkeypatch.setattr("articles.freshness.cache", DeadCache())
    response = client.get(url_of(kind, story))
    assert response.status_code == 200
    assert b"Harbour reopens" in response.content


def test_previews_are_never_cached(client, admin_client, monkeypatch):
    draft = ArticleFactory(headline="Not yet")
    stored = []
    monkeypatch.setattr(
        "articles.freshness.cache.set", lambda *a, **k: stored.append(a)
    )
    assert b"Not yet" in admin_client.get(f"/preview/{draft.pk}/").content
    assert stored == []
    assert client.get(f"/preview/{draft.pk}/").status_code == 404


def test_front_and_source_pages_answer_304_and_change_when_a_story_is_published(
    client, story
):
    for url in ["/", "/sources/wire/"]:
        first = client.get(url)
        assert first["Cache-Control"] == "public, max-age=60"
        again = client.get(url, headers={"if-none-match": first["ETag"]})
        assert again.status_code == 304 and again.content == b""
    news = ArticleFactory(published=True, headline="Breaking", source=story.source)
    for url in ["/", "/sources/wire/"]:
        response = client.get(url)
        assert response.status_code == 200
        assert news.headline.encode() in response.content


def test_each_page_of_the_front_page_is_cached_apart(client):
    for n in range(25):
        ArticleFactory(published=True, headline=f"Item {n:02d}")
    first, second = client.get("/").content, client.get("/?page=2").content
    assert first != second
    assert client.get("/?page=2").content == second
    assert client.get("/?page=2&utm_source=x").content == second
    assert client.get("/?page=9").status_code == 404


def test_editing_a_source_refreshes_its_page(client, story):
    client.get("/sources/wire/")
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=1)):
        services.update_source(
            source=story.source, user=None, description="Now with a new description."
        )
    assert b"Now with a new description." in client.get("/sources/wire/").content
