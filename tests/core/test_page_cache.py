"""Reader pages are rendered once for each edition of the site and then
served from the shared cache with no SQL at all; a change readers can see,
a scheduled story's time coming, or a deploy makes new copies."""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from redis.exceptions import ConnectionError as RedisConnectionError

from articles import edition
from articles.models import Article
from core import deploy
from desk import services
from tests.conftest import SHARED_CACHING, cache_control
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    SectionFactory,
    SitePageFactory,
    SourceFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

FEEDS = [
    "/feeds/rss/",
    "/feeds/atom/",
    "/feeds/json/",
    *[
        f"/{kind}/{slug}/{ending}/"
        for kind, slug in [
            ("sources", "wire"),
            ("sections", "world"),
            ("authors", "jane"),
            ("topics", "harbours"),
        ]
        for ending in ["rss", "atom"]
    ],
]
SITEMAPS = [
    "/sitemap.xml",
    "/sitemap-pages.xml",
    "/sitemap-stories.xml",
    "/sitemap-sources.xml",
    "/sitemap-sections.xml",
    "/sitemap-authors.xml",
    "/sitemap-topics.xml",
    "/sitemap-news.xml",
]
LISTS = [
    "/",
    "/latest/",
    "/sources/wire/",
    "/sections/world/",
    "/authors/jane/",
    "/topics/harbours/",
    "/about/",
    *FEEDS,
    *SITEMAPS,
]


@pytest.fixture
def story():
    SitePageFactory(slug="about")
    return ArticleFactory(
        published=True,
        headline="Harbour reopens",
        source=SourceFactory(slug="wire"),
        section=SectionFactory(slug="world"),
        authors=[AuthorFactory(slug="jane")],
        topics=[TopicFactory(slug="harbours")],
    )


def reader_urls(story):
    return [story.get_absolute_url(), *LISTS]


def test_every_warm_reader_page_is_served_without_a_query(
    client, story, django_assert_num_queries
):
    ArticleFactory.create_batch(20, published=True, source=story.source)
    for url in [*reader_urls(story), "/latest/?page=2", "/sources/wire/?page=2"]:
        first = client.get(url)
        assert first.status_code == 200, url
        with django_assert_num_queries(0):
            again = client.get(url)
            not_modified = client.get(url, headers={"if-none-match": first["ETag"]})
        assert again.content == first.content, url
        assert again["ETag"] == first["ETag"], url
        assert again["Content-Type"] == first["Content-Type"], url
        assert not_modified.status_code == 304, url


def test_an_old_address_is_redirected_without_a_query_once_cached(
    client, story, django_assert_num_queries
):
    old = story.get_absolute_url()
    story = services.update_article(article=story, user=None, slug="harbour-opens")
    assert client.get(old)["Location"] == story.get_absolute_url()
    with django_assert_num_queries(0):
        again = client.get(old)
    assert (again.status_code, again["Location"]) == (301, story.get_absolute_url())


def queries_for(client, urls):
    """The queries each page runs with nothing in the cache."""
    counts = {}
    for url in urls:
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200, url
        counts[url] = len(captured)
    return counts


def test_a_cold_page_runs_the_same_queries_for_1_or_1000_stories(client, story):
    urls = reader_urls(story)
    one = queries_for(client, urls)
    services.import_articles(
        user=None,
        stories=[
            {
                "headline": f"Archive story {n}",
                "slug": f"archive-story-{n}",
                "standfirst": "From the archive.",
                "source": story.source,
                "status": Article.Status.PUBLISHED,
                "published_at": timezone.now() - datetime.timedelta(minutes=n + 1),
            }
            for n in range(999)
        ],
    )
    thousand = queries_for(client, [*urls, "/latest/?page=2", "/latest/?page=50"])
    assert {url: thousand[url] for url in urls} == one
    assert thousand["/latest/?page=2"] == thousand["/latest/?page=50"]
    assert thousand["/latest/?page=2"] == one["/latest/"]
    # The most: the sitemap index, which asks each of its seven sitemaps
    # how many pages it has and when it last changed.
    assert max(one.values()) <= 12, one


def test_an_edit_is_served_at_once_on_every_page_showing_it(client, story):
    for url in reader_urls(story):
        client.get(url)
    services.update_article(article=story, user=None, headline="Harbour closes again")
    for url in [story.get_absolute_url(), *LISTS[:6], *FEEDS]:
        fresh = client.get(url).content
        assert b"Harbour closes again" in fresh and b"Harbour reopens" not in fresh


def test_a_draft_edit_keeps_every_cached_page(client, story, django_assert_num_queries):
    client.get("/")
    draft = ArticleFactory(headline="Work in progress")
    services.update_article(article=draft, user=None, body="More words.")
    with django_assert_num_queries(0):
        client.get("/")


def test_a_scheduled_story_appears_at_its_time_on_a_cached_page(client, story):
    live_at = timezone.now() + datetime.timedelta(minutes=30)
    ArticleFactory(
        status=Article.Status.PUBLISHED, published_at=live_at, headline="Embargo lifts"
    )
    before = client.get("/")
    assert b"Embargo lifts" not in before.content
    # Nobody keeps this copy past the story's time: not browsers, not a CDN.
    assert cache_control(before)["max-age"] == 60
    with time_machine.travel(live_at - datetime.timedelta(seconds=20)):
        capped = cache_control(client.get("/"))
        assert capped["max-age"] <= 20 and capped["s-maxage"] <= 20
        assert b"Embargo lifts" not in client.get("/").content
    with time_machine.travel(live_at + datetime.timedelta(seconds=1)):
        after = client.get("/")
        assert b"Embargo lifts" in after.content
        assert after["ETag"] != before["ETag"]


def test_a_new_deploy_makes_new_copies_and_etags(client, story, settings):
    url = story.get_absolute_url()
    first = client.get(url)
    settings.DEPLOY_ID = "next-release"
    deploy.deploy_id.cache_clear()
    try:
        again = client.get(url, headers={"if-none-match": first["ETag"]})
        assert again.status_code == 200
        assert again["ETag"] != first["ETag"]
    finally:
        deploy.deploy_id.cache_clear()


def test_the_deploy_id_follows_the_code(settings):
    settings.DEPLOY_ID = ""
    deploy.deploy_id.cache_clear()
    derived = deploy.deploy_id()
    assert len(derived) == 12 and derived == deploy.deploy_id()
    deploy.deploy_id.cache_clear()


def test_the_deploy_id_follows_the_settings_every_page_shows(settings):
    settings.DEPLOY_ID = "release-1"
    deploy.deploy_id.cache_clear()
    try:
        before = deploy.deploy_id()
        settings.SITE_URL = "https://elsewhere.example"
        deploy.deploy_id.cache_clear()
        assert deploy.deploy_id() != before
    finally:
        deploy.deploy_id.cache_clear()


def test_each_page_number_is_cached_apart_and_junk_parameters_share(client):
    for n in range(25):
        ArticleFactory(published=True, headline=f"Item {n:02d}")
    first = client.get("/latest/").content
    second = client.get("/latest/?page=2").content
    assert first != second
    assert client.get("/latest/?page=2&utm_source=x").content == second
    assert client.get("/latest/?page=9").status_code == 404
    assert client.get("/latest/?page=abc").status_code == 404


@pytest.mark.parametrize(
    "spelling, number",
    [("02", "2"), ("002", "2"), ("２", "2"), ("+2", "2"), ("1", None), ("01", None)],
)
def test_a_page_number_has_one_address(client, spelling, number):
    ArticleFactory.create_batch(25, published=True)
    response = client.get("/latest/", {"page": spelling, "utm_source": "x"})
    assert response.status_code == 301
    expected = f"?page={number}&utm_source=x" if number else "?utm_source=x"
    assert response["Location"] == "/latest/" + expected
    assert client.get("/latest/", {"page": "-1"}).status_code == 404


def test_other_spellings_of_a_page_make_no_copies_of_their_own(
    client, story, django_assert_num_queries
):
    ArticleFactory.create_batch(25, published=True, source=story.source)
    pages = ["/latest/", "/latest/?page=2", story.get_absolute_url()]
    for url in [*pages, "/sitemap-stories.xml"]:
        assert client.get(url).status_code == 200
    with django_assert_num_queries(0):
        # Redirected without rendering anything...
        assert client.get("/latest/?page=02").status_code == 301
        # ... and parameters a page does not read share its copy.
        assert client.get(story.get_absolute_url() + "?page=7").status_code == 200
        assert client.get("/latest/?p=3").status_code == 200
        assert client.get("/sitemap-stories.xml?page=4").status_code == 200
        assert client.get("/sitemap-stories.xml?p=01").status_code == 301


class DeadCache:
    def __getattr__(self, name):
        def refuse(*args, **kwargs):
            raise RedisConnectionError("Connection refused")

        return refuse


@pytest.mark.parametrize("url", ["story", "/", "/feeds/rss/", "/sitemap.xml"])
def test_a_dead_cache_still_serves_every_page(client, story, url, monkeypatch):
    monkeypatch.setattr("core.pagecache.cache", DeadCache())
    monkeypatch.setattr("articles.edition.cache", DeadCache())
    url = story.get_absolute_url() if url == "story" else url
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200
        assert b"Harbour reopens" in response.content or url.startswith("/sitemap")
    services.update_article(article=story, user=None, headline="Harbour closes")
    assert client.get("/").status_code == 200


def test_previews_are_never_cached(client, admin_client, monkeypatch):
    draft = ArticleFactory(headline="Not yet")
    stored = []
    monkeypatch.setattr("core.pagecache._set", lambda *a: stored.append(a))
    assert b"Not yet" in admin_client.get(f"/preview/{draft.pk}/").content
    assert stored == []
    assert client.get(f"/preview/{draft.pk}/").status_code == 404


# What a CDN in front reads.


def test_reader_pages_are_cacheable_by_a_cdn(client, story):
    for url in reader_urls(story):
        browser = 300 if "/rss/" in url or "/atom/" in url or "/json/" in url else 60
        if url.startswith("/sitemap"):
            browser = 300
        assert cache_control(client.get(url)) == SHARED_CACHING | {
            "max-age": browser
        }, url


def test_pages_name_what_they_show_for_purging(client, story):
    def keys(url):
        response = client.get(url)
        assert response["Cache-Tag"] == ",".join(response["Surrogate-Key"].split())
        return set(response["Surrogate-Key"].split())

    assert keys(story.get_absolute_url()) == {
        "site",
        f"story-{story.pk}",
        "source-wire",
        "section-world",
    }
    assert keys("/") == keys("/latest/") == {"site", "front"}
    for kind, slug in [
        ("source", "wire"),
        ("section", "world"),
        ("author", "jane"),
        ("topic", "harbours"),
    ]:
        assert keys(f"/{kind}s/{slug}/") == {"site", f"{kind}-{slug}"}
        assert keys(f"/{kind}s/{slug}/atom/") == {"site", "feeds", f"{kind}-{slug}"}
    assert keys("/about/") == {"site", "page-about"}
    assert keys("/feeds/rss/") == {"site", "feeds"}
    assert keys("/sitemap-stories.xml") == {"site", "sitemaps"}


def test_an_old_address_is_purged_with_its_story(client, story):
    old = story.get_absolute_url()
    services.update_article(article=story, user=None, slug="harbour-opens")
    moved = client.get(old)
    assert moved.status_code == 301
    assert set(moved["Surrogate-Key"].split()) == {"site", f"story-{story.pk}"}


def test_a_missing_page_is_kept_briefly_and_never_past_a_scheduled_time(client):
    missing = client.get("/stories/2026/01/02/no-such-story/")
    assert missing.status_code == 404
    assert cache_control(missing) == {"public": True, "max-age": 60, "s-maxage": 60}
    assert set(missing["Surrogate-Key"].split()) == {"site"}
    live_at = timezone.now() + datetime.timedelta(seconds=20)
    ArticleFactory(status=Article.Status.PUBLISHED, published_at=live_at)
    capped = cache_control(client.get("/sources/nowhere/"))
    assert capped["max-age"] <= 20 and capped["s-maxage"] <= 20


def test_an_editors_missing_page_stays_private(admin_client):
    for url in ["/sources/nowhere/", "/admin/articles/nothing-here/"]:
        response = admin_client.get(url)
        assert response.status_code == 404, url
        directives = cache_control(response)
        assert directives.get("private") and "public" not in directives, url


def test_staff_and_admin_pages_stay_private(admin_client, story):
    for url in [f"/preview/{story.pk}/", "/admin/", "/admin/articles/article/"]:
        directives = cache_control(admin_client.get(url))
        assert directives.get("private") and directives.get("no-store"), url
        assert "public" not in directives


LISTINGS = ("front", "feeds", "sitemaps")


def test_a_publish_purges_the_pages_that_show_it(story, editor, monkeypatch):
    purged = []
    monkeypatch.setattr("core.cdn.purge", purged.append)
    draft = ArticleFactory(source=story.source)
    services.update_article(article=draft, user=editor, body="A draft edit.")
    assert purged == []
    services.publish_article(article=draft, user=editor)
    assert purged == [{f"story-{draft.pk}", "source-wire", "section-news", *LISTINGS}]
    services.update_source(source=story.source, user=editor, slug="wire-service")
    assert purged[-1] == {
        "source-wire",
        "source-wire-service",
        "front",
        "feeds",
        "sitemaps",
    }


def test_a_schedule_purges_the_pages_that_will_show_it(story, editor, monkeypatch):
    # A CDN's copy fetched before the story was scheduled knows nothing of
    # its time, and would outlive it.
    purged = []
    monkeypatch.setattr("core.cdn.purge", purged.append)
    draft = ArticleFactory(source=story.source)
    later = timezone.now() + datetime.timedelta(hours=2)
    services.publish_article(article=draft, user=editor, at=later)
    assert purged == [{f"story-{draft.pk}", "source-wire", "section-news", *LISTINGS}]


def test_an_import_purges_its_sources_pages(story, monkeypatch):
    purged = []
    monkeypatch.setattr("core.cdn.purge", purged.append)
    other = SourceFactory(slug="agency")
    services.import_articles(
        user=None,
        stories=[
            {
                "headline": f"Imported {n}",
                "slug": f"imported-{n}",
                "standfirst": "From the archive.",
                "source": source,
                "status": Article.Status.PUBLISHED,
                "published_at": timezone.now() - datetime.timedelta(days=3),
            }
            for n, source in enumerate([story.source, other])
        ],
    )
    assert purged == [{"source-wire", "source-agency", "section-news", *LISTINGS}]


def test_a_publish_purges_its_section_authors_and_topics_pages(editor, monkeypatch):
    purged = []
    monkeypatch.setattr("core.cdn.purge", purged.append)
    world = services.save_section(user=editor, name="World", slug="world")
    author = services.save_author(user=editor, name="Sam Lee", slug="sam-lee")
    topic = services.save_topic(user=editor, name="Syria", slug="syria")
    draft = ArticleFactory(section=world, authors=[author], topics=[topic])
    purged.clear()
    services.publish_article(article=draft, user=editor)
    assert {"section-world", "author-sam-lee", "topic-syria"} <= purged[0]
    # Moved to another section: both sections' pages show the change.
    services.update_article(article=draft, user=editor, section=None, topics=[])
    assert {"section-world", "section-news", "topic-syria"} <= purged[-1]


def test_a_bulk_action_stores_one_edition_and_purges_once(
    editor_client, story, monkeypatch
):
    purged, refreshed = [], []
    monkeypatch.setattr("core.cdn.purge", purged.append)
    real_refresh = edition.refresh
    monkeypatch.setattr(
        edition, "refresh", lambda: refreshed.append(1) or real_refresh()
    )
    drafts = ArticleFactory.create_batch(3, source=story.source)
    response = editor_client.post(
        "/admin/articles/article/",
        {
            "action": "publish_now",
            "_selected_action": [draft.pk for draft in drafts],
        },
    )
    assert response.status_code == 302
    assert Article.objects.published().count() == 4
    assert len(purged) == 1 and len(refreshed) == 1
    assert {f"story-{draft.pk}" for draft in drafts} <= purged[0]
    assert client_sees_all(editor_client, drafts)


def client_sees_all(client, stories):
    client.logout()
    front = client.get("/").content.decode()
    return all(story.headline in front for story in stories)


def test_a_failed_transaction_purges_nothing(story, editor, monkeypatch):
    purged = []
    monkeypatch.setattr("core.cdn.purge", purged.append)
    with pytest.raises(Exception):  # noqa: B017
        services.update_article(article=story, user=editor, slug="has.a.dot")
    assert purged == []


def test_no_reader_page_counts_the_archive(client, story):
    ArticleFactory.create_batch(25, published=True, source=story.source)
    ArticleFactory(scheduled=True, source=story.source)
    pages = ["/", "/latest/", "/latest/?page=2", "/sources/wire/"]
    pages += ["/sources/wire/?page=2", "/authors/jane/", "/topics/harbours/"]
    for url in [*pages, "/sitemap.xml", "/sitemap-stories.xml"]:
        cache.clear()  # nothing cached: the edition is read from its row
        with CaptureQueriesContext(connection) as rendering:
            response = client.get(url)
        assert response.status_code == 200
        counting = 'SELECT COUNT(*) AS "__count" FROM "articles_article"'
        assert not [q for q in rendering if q["sql"].startswith(counting)], url
        assert "Page 2 of 2" in response.content.decode() or "?page=2" not in url


def test_the_counts_follow_stories_going_live_on_their_own(client, story, html):
    ArticleFactory.create_batch(20, published=True, source=story.source)
    later = timezone.now() + datetime.timedelta(hours=1)
    ArticleFactory(status=Article.Status.PUBLISHED, published_at=later)
    assert client.get("/latest/?page=2").status_code == 200  # 21 stories: 2 pages
    with time_machine.travel(later + datetime.timedelta(minutes=1)):
        page = html(client.get("/latest/?page=2"))
        assert page.select_one(".pagination__current").get_text() == "Page 2 of 2"
        assert len(page.select(".story-card")) == 2
