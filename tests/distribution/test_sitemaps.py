"""Sitemaps, the Google News sitemap and robots.txt, parsed as XML."""

import datetime
import xml.etree.ElementTree as ET

import feedparser
import pytest
import time_machine
from django.utils import timezone

from articles.models import Article
from distribution.sitemaps import StorySitemap
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    SectionFactory,
    SitePageFactory,
    SourceFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

SITE = "https://news.example.com"
NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


def xml(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)


def locations(root):
    return [loc.text for loc in root.iterfind("sm:url/sm:loc", NS)]


@pytest.fixture
def stories():
    """One of each kind; only the first two may be listed anywhere."""
    now = timezone.now()
    source = SourceFactory(slug="wire")
    section = SectionFactory(slug="world")
    author = AuthorFactory(slug="jane")
    topic = TopicFactory(slug="syria")
    # Nothing published credits these: they are left out like the source.
    hidden = {
        "source": SourceFactory(slug="quiet"),
        "section": SectionFactory(slug="empty"),
        "authors": [AuthorFactory(slug="unpublished")],
        "topics": [TopicFactory(slug="secret")],
    }
    return {
        "recent": ArticleFactory(
            published=True,
            source=source,
            section=section,
            authors=[author],
            topics=[topic],
            published_at=now - datetime.timedelta(hours=3),
        ),
        "old": ArticleFactory(
            published=True,
            source=source,
            section=section,
            published_at=now - datetime.timedelta(days=9),
        ),
        "draft": ArticleFactory(**hidden, headline="Secret draft"),
        "scheduled": ArticleFactory(
            **hidden | {"slug": "embargoed"},
            scheduled=True,
            headline="Embargoed story",
        ),
    }


def test_index_lists_every_section_on_site_url(client, stories):
    root = xml(client, "/sitemap.xml")
    assert root.tag == f"{{{NS['sm']}}}sitemapindex"
    assert [loc.text for loc in root.iterfind("sm:sitemap/sm:loc", NS)] == [
        f"{SITE}/sitemap-pages.xml",
        f"{SITE}/sitemap-stories.xml",
        f"{SITE}/sitemap-sources.xml",
        f"{SITE}/sitemap-sections.xml",
        f"{SITE}/sitemap-authors.xml",
        f"{SITE}/sitemap-topics.xml",
    ]
    for lastmod in root.iterfind("sm:sitemap/sm:lastmod", NS):
        datetime.datetime.fromisoformat(lastmod.text)


def test_story_sitemap_lists_exactly_the_published_stories(client, stories):
    root = xml(client, "/sitemap-stories.xml")
    # Oldest first: each page keeps its stories as new ones are published.
    assert locations(root) == [
        stories["old"].absolute_url,
        stories["recent"].absolute_url,
    ]
    lastmods = [lastmod.text for lastmod in root.iterfind("sm:url/sm:lastmod", NS)]
    assert lastmods == [
        f"{timezone.localtime(stories[key].updated_at):%Y-%m-%d}"
        for key in ["old", "recent"]
    ]


def test_pages_sitemap_lists_the_front_page_latest_and_site_pages(client, stories):
    SitePageFactory(slug="about")
    assert locations(xml(client, "/sitemap-pages.xml")) == [
        SITE + "/",
        SITE + "/latest/",
        SITE + "/about/",
    ]


def test_listings_sitemaps_leave_out_those_with_nothing_published(client, stories):
    # Thin pages, and saying they exist would tell of drafts and embargoes.
    for kind, slug in [
        ("sources", "wire"),
        ("sections", "world"),
        ("authors", "jane"),
        ("topics", "syria"),
    ]:
        root = xml(client, f"/sitemap-{kind}.xml")
        assert locations(root) == [f"{SITE}/{kind}/{slug}/"]


def test_large_sites_are_paginated(client, stories, monkeypatch):
    monkeypatch.setattr(StorySitemap, "limit", 1)
    index = xml(client, "/sitemap.xml")
    assert f"{SITE}/sitemap-stories.xml?p=2" in [
        loc.text for loc in index.iterfind("sm:sitemap/sm:loc", NS)
    ]
    assert locations(xml(client, "/sitemap-stories.xml")) == [
        stories["old"].absolute_url
    ]
    assert locations(xml(client, "/sitemap-stories.xml?p=2")) == [
        stories["recent"].absolute_url
    ]
    assert client.get("/sitemap-stories.xml?p=3").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_news_sitemap_lists_the_last_two_days(client, stories):
    root = xml(client, "/sitemap-news.xml")
    [url] = root.findall("sm:url", NS)
    story = stories["recent"]
    assert url.findtext("sm:loc", namespaces=NS) == story.absolute_url
    news = url.find("news:news", NS)
    assert news.findtext("news:publication/news:name", namespaces=NS) == "Newsroom"
    assert news.findtext("news:publication/news:language", namespaces=NS) == "en"
    assert news.findtext("news:title", namespaces=NS) == story.headline
    published = news.findtext("news:publication_date", namespaces=NS)
    assert datetime.datetime.fromisoformat(published) == story.published_at


def test_news_sitemap_window_edges(client):
    published = datetime.datetime(2024, 6, 1, 12, 0, tzinfo=datetime.UTC)
    story = ArticleFactory(status=Article.Status.PUBLISHED, published_at=published)
    with time_machine.travel(published + datetime.timedelta(hours=47, minutes=59)):
        assert locations(xml(client, "/sitemap-news.xml")) == [story.absolute_url]
    with time_machine.travel(published + datetime.timedelta(hours=48, minutes=1)):
        assert locations(xml(client, "/sitemap-news.xml")) == []


def test_news_sitemap_is_well_formed_when_empty(client):
    response = client.get("/sitemap-news.xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{{{NS['sm']}}}urlset"
    assert list(root) == []
    assert b'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"' in (
        response.content
    )


def test_news_sitemap_escapes_headlines(client):
    story = ArticleFactory(published=True, headline="Fish & chips <cheaper>")
    root = xml(client, "/sitemap-news.xml")
    assert root.findtext("sm:url/news:news/news:title", namespaces=NS) == story.headline


def test_unpublished_stories_leak_into_no_feed_or_sitemap(client, stories):
    hidden = [stories["draft"], stories["scheduled"]]
    for url in [
        "/feeds/rss/",
        "/feeds/atom/",
        "/feeds/json/",
        "/sources/quiet/rss/",
        "/sources/quiet/atom/",
        "/sitemap.xml",
        "/sitemap-pages.xml",
        "/sitemap-stories.xml",
        "/sitemap-sources.xml",
        "/sitemap-news.xml",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        content = response.content
        for story in hidden:
            assert story.headline.encode() not in content, url
            assert story.slug.encode() not in content, url
        assert b"/sources/quiet/" not in content or "/sources/quiet/" in url
    assert feedparser.parse(client.get("/sources/quiet/rss/").content).entries == []


def test_robots_txt(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert "Disallow: /preview/" in lines
    assert [line for line in lines if line.startswith("Sitemap:")] == [
        f"Sitemap: {SITE}/sitemap.xml",
        f"Sitemap: {SITE}/sitemap-news.xml",
    ]


def test_robots_txt_keeps_crawlers_out_of_previews(client, published_article):
    lines = client.get("/robots.txt").content.decode().splitlines()
    disallowed = [line.split(":", 1)[1].strip() for line in lines if "Disallow" in line]
    preview = f"/preview/{published_article.pk}/"
    assert any(preview.startswith(prefix) for prefix in disallowed)
    assert any("/admin/login/".startswith(prefix) for prefix in disallowed)
    assert not any(
        published_article.get_absolute_url().startswith(prefix) for prefix in disallowed
    )
