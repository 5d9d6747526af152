"""Conditional GET: feed readers and browsers that already have the current
copy get `304 Not Modified` with an empty body."""

import datetime

import pytest
import time_machine
from django.utils import timezone
from django.utils.http import http_date, parse_http_date

from articles.models import Article
from desk import services
from tests.conftest import SHARED_CACHING, cache_control
from tests.factories import ArticleFactory, SourceFactory

pytestmark = pytest.mark.django_db

FEEDS = ["/feeds/rss/", "/feeds/atom/", "/feeds/json/", "/sources/wire/rss/"]


@pytest.fixture
def story():
    return ArticleFactory(published=True, source=SourceFactory(slug="wire"))


def revalidate(client, url, first):
    """Ask again with each validator of `first` on its own."""
    by_etag = client.get(url, headers={"if-none-match": first["ETag"]})
    by_date = client.get(url, headers={"if-modified-since": first["Last-Modified"]})
    return by_etag, by_date


def assert_not_modified(response, first):
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == first["ETag"]
    assert response["Last-Modified"] == first["Last-Modified"]


@pytest.mark.parametrize("url", FEEDS)
def test_feed_answers_304_to_either_validator(client, story, url):
    first = client.get(url)
    assert first.status_code == 200
    assert first["ETag"].startswith('W/"')
    assert cache_control(first) == SHARED_CACHING | {"max-age": 300}
    for again in revalidate(client, url, first):
        assert_not_modified(again, first)
        assert cache_control(again) == SHARED_CACHING | {"max-age": 300}


def test_feed_last_modified_is_the_latest_change(client):
    edited = datetime.datetime(2024, 5, 1, 3, 4, 5, tzinfo=datetime.UTC)
    with time_machine.travel(edited, tick=False):
        ArticleFactory(
            status=Article.Status.PUBLISHED,
            published_at=edited - datetime.timedelta(hours=1),
        )
    response = client.get("/feeds/rss/")
    assert response["Last-Modified"] == "Wed, 01 May 2024 03:04:05 GMT"


@pytest.mark.parametrize("url", FEEDS)
def test_an_edit_changes_the_feed(client, story, url):
    first = client.get(url)
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=5)):
        services.update_article(
            article=story, user=None, headline="A corrected headline"
        )
        for again in revalidate(client, url, first):
            assert again.status_code == 200
            assert again["ETag"] != first["ETag"]
            assert b"A corrected headline" in again.content


def test_a_scheduled_story_going_live_changes_the_feed(client, story):
    live_at = timezone.now() + datetime.timedelta(hours=2)
    ArticleFactory(
        status=Article.Status.PUBLISHED,
        published_at=live_at,
        headline="The embargo lifts",
    )
    first = client.get("/feeds/rss/")
    assert b"The embargo lifts" not in first.content
    # No row changes when the time passes; the feed must still.
    with time_machine.travel(live_at + datetime.timedelta(minutes=1)):
        for again in revalidate(client, "/feeds/rss/", first):
            assert again.status_code == 200
            assert b"The embargo lifts" in again.content
            assert parse_http_date(again["Last-Modified"]) == int(live_at.timestamp())


@pytest.mark.parametrize("change", ["unpublish", "delete", "move"])
def test_a_story_leaving_the_feed_changes_it(client, story, change):
    older = ArticleFactory(
        published=True,
        source=story.source,
        published_at=timezone.now() - datetime.timedelta(days=1),
    )
    url = "/sources/wire/rss/"
    first = client.get(url)
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=5)):
        if change == "unpublish":
            services.unpublish_article(article=story, user=None)
        elif change == "delete":
            services.delete_article(article=story, user=None)
        else:
            services.update_article(article=story, user=None, source=SourceFactory())
        for again in revalidate(client, url, first):
            assert again.status_code == 200
            assert story.headline.encode() not in again.content
            assert older.headline.encode() in again.content
            assert parse_http_date(again["Last-Modified"]) >= parse_http_date(
                first["Last-Modified"]
            )


def test_story_page_answers_304_to_either_validator(client, story):
    url = story.get_absolute_url()
    first = client.get(url)
    assert first.status_code == 200
    assert cache_control(first) == SHARED_CACHING | {"max-age": 60}
    assert first["Last-Modified"] == http_date(story.updated_at.timestamp())
    for again in revalidate(client, url, first):
        assert_not_modified(again, first)


def test_story_page_changes_with_an_edit(client, story):
    url = story.get_absolute_url()
    first = client.get(url)
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=5)):
        services.update_article(
            article=story, user=None, standfirst="A better summary."
        )
        for again in revalidate(client, url, first):
            assert again.status_code == 200
            assert b"A better summary." in again.content


def test_stale_validators_get_the_full_page(client, story):
    url = story.get_absolute_url()
    response = client.get(
        url,
        headers={
            "if-none-match": 'W/"something-else"',
            "if-modified-since": http_date(0),
        },
    )
    assert response.status_code == 200


def test_preview_stays_private_and_uncached(admin_client, story):
    response = admin_client.get(f"/preview/{story.pk}/")
    assert response.status_code == 200
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store", "no-cache"} <= cache_control
    assert "public" not in cache_control
    assert "ETag" not in response


@pytest.mark.parametrize("url", ["/feeds/rss/", "/sources/wire/rss/", "story"])
def test_editing_the_source_changes_the_validators(client, story, url):
    url = story.get_absolute_url() if url == "story" else url
    first = client.get(url)
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=1)):
        services.update_source(
            source=story.source, user=None, name="Wire Service Renamed"
        )
    by_etag = client.get(url, headers={"if-none-match": first["ETag"]})
    assert by_etag.status_code == 200
    # The site's feed names sections and topics, not sources: a new edition
    # all the same, as every page that may show the name gets.
    if url != "/feeds/rss/":
        assert b"Wire Service Renamed" in by_etag.content


def test_saving_a_draft_leaves_the_feeds_alone(client, story):
    first = client.get("/feeds/rss/")
    draft = ArticleFactory(headline="Work in progress")
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=1)):
        services.update_article(article=draft, user=None, body="More words.")
        ArticleFactory(scheduled=True)
    by_etag, by_date = revalidate(client, "/feeds/rss/", first)
    assert_not_modified(by_etag, first)
    assert_not_modified(by_date, first)
