"""The feeds as a feed reader parses them (feedparser)."""

import datetime
import json

import feedparser
import pytest
import time_machine
from bs4 import BeautifulSoup

from articles import text
from articles.models import Article
from desk import services
from tests.conftest import SHARED_CACHING, cache_control
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    SectionFactory,
    SourceFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

SITE = "https://news.example.com"
DEMO_URL = SITE + "/2016/12/24/russia-urges-peace-after-battle-for-aleppo/"
STANDFIRST = (
    "Russia is calling for a comprehensive agreement to resolve the Syrian civil war."
)


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def guid(article):
    day = article.created_at.astimezone(datetime.UTC)
    return f"tag:news.example.com,{day:%Y-%m-%d}:article:{article.pk}"


@pytest.fixture
def demo_story(demo_article):
    return services.update_article(
        article=demo_article,
        user=None,
        byline="Jane Citizen",
        body=demo_article.body + "\n\nSee [the agency's page](/sources/aap/).",
    )


@pytest.mark.parametrize(
    ("url", "version", "content_type"),
    [
        ("/feeds/rss/", "rss20", "application/rss+xml; charset=utf-8"),
        ("/feeds/atom/", "atom10", "application/atom+xml; charset=utf-8"),
    ],
)
def test_site_feed_item_has_every_field(client, demo_story, url, version, content_type):
    response = client.get(url)
    assert response["Content-Type"] == content_type
    feed = parse(client, url)
    assert feed.version == version
    assert feed.feed.title == "Newsroom: latest news"
    assert feed.feed.link == SITE + "/"
    [entry] = feed.entries
    assert entry.title == "Russia urges peace after battle for Aleppo"
    assert entry.link == DEMO_URL
    assert entry.id == guid(demo_story)
    assert entry.summary == STANDFIRST
    assert entry.author == "Jane Citizen"
    assert [tag.term for tag in entry.tags] == ["World", "Russia", "Syria"]
    assert entry.published_parsed[:5] == (2016, 12, 23, 22, 44)  # 9:44am AEDT
    edited = demo_story.updated_at.astimezone(datetime.UTC)
    assert entry.updated_parsed[:6] == edited.timetuple()[:6]
    image = SITE + demo_story.image.url
    size = demo_story.image.size
    [enclosure] = entry.enclosures
    assert (enclosure.href, enclosure.length, enclosure.type) == (
        image,
        str(size),
        "image/jpeg",
    )
    [media] = entry.media_content
    assert media["url"] == image
    assert (media["width"], media["height"]) == ("1200", "675")
    assert media["filesize"] == str(size)

    body = BeautifulSoup(entry.content[0].value, "html.parser")
    assert body.figure.img["src"] == image
    assert body.figure.img["alt"] == demo_story.image_alt
    assert body.figure.figcaption.get_text() == (
        "Russian President Vladimir Putin. Source: AAP"
    )
    paragraphs = body.find_all("p")
    assert paragraphs[0].get_text().startswith("Russian President Vladimir Putin")
    assert body.blockquote is not None
    assert [a["href"] for a in body.find_all("a")] == [SITE + "/sources/aap/"]
    for element in body.find_all(src=True) + body.find_all(href=True):
        assert (element.get("src") or element["href"]).startswith(SITE + "/")


def test_dates_published_and_updated(client):
    published = datetime.datetime(2024, 3, 1, 1, 0, tzinfo=datetime.UTC)
    with time_machine.travel(published, tick=False):
        story = ArticleFactory(status=Article.Status.PUBLISHED, published_at=published)
    edited = datetime.datetime(2024, 3, 1, 5, 30, tzinfo=datetime.UTC)
    with time_machine.travel(edited, tick=False):
        services.update_article(article=story, user=None, byline="A. Writer")
    for url in ["/feeds/rss/", "/feeds/atom/"]:
        [entry] = parse(client, url).entries
        assert entry.published_parsed[:5] == (2024, 3, 1, 1, 0)
        assert entry.updated_parsed[:5] == (2024, 3, 1, 5, 30)
    [item] = client.get("/feeds/json/").json()["items"]
    assert item["date_published"] == "2024-03-01T01:00:00+00:00"
    assert item["date_modified"] == "2024-03-01T05:30:00+00:00"


def test_rss_guid_is_not_a_permalink(client, published_article):
    content = client.get("/feeds/rss/").content.decode()
    assert f'<guid isPermaLink="false">{guid(published_article)}</guid>' in content


def test_id_survives_a_headline_and_slug_edit(client, published_article):
    before = {
        url: parse(client, url).entries[0].id for url in ["/feeds/rss/", "/feeds/atom/"]
    }
    published_article = services.update_article(
        article=published_article,
        user=None,
        headline="A corrected headline",
        slug="a-corrected-headline",
    )
    for url, old_id in before.items():
        [entry] = parse(client, url).entries
        assert entry.title == "A corrected headline"
        assert entry.link.endswith("/a-corrected-headline/")
        assert entry.id == old_id == guid(published_article)
    assert client.get("/feeds/json/").json()["items"][0]["id"] == old_id


def test_special_characters_survive(client):
    ArticleFactory(
        published=True,
        headline="Fish & chips: \u201cprices\u201d fall",
        standfirst="Cod < $10 & more",
        byline="Jo O'Brien & Sam Lee",
    )
    [rss] = parse(client, "/feeds/rss/").entries
    [atom] = parse(client, "/feeds/atom/").entries
    for entry in (rss, atom):
        # Read as text or as HTML, an "&" that begins no character
        # reference is the same "&" (tests/distribution/test_feed_text.py).
        assert entry.title == "Fish & chips: \u201cprices\u201d fall"
        assert BeautifulSoup(entry.summary, "html.parser").get_text() == (
            "Cod < $10 & more"
        )
        assert entry.author == "Jo O'Brien & Sam Lee"


def test_feeds_hold_the_latest_fifty_published_stories(client):
    now = datetime.datetime.now(datetime.UTC)
    stories = [
        ArticleFactory(published=True, published_at=now - datetime.timedelta(minutes=i))
        for i in range(1, 53)
    ]
    entries = parse(client, "/feeds/atom/").entries
    assert [entry.id for entry in entries] == [guid(story) for story in stories[:50]]


def test_story_without_image_or_byline(client, published_article):
    for url in ["/feeds/rss/", "/feeds/atom/"]:
        [entry] = parse(client, url).entries
        assert entry.enclosures == []
        assert "media_content" not in entry
        assert "author" not in entry
        assert entry.content[0].value == published_article.body_html
    [item] = client.get("/feeds/json/").json()["items"]
    assert "image" not in item and "attachments" not in item and "authors" not in item


def test_missing_image_file_drops_the_enclosure_not_the_feed(client, demo_article):
    demo_article.image.storage.delete(demo_article.image.name)
    for url in ["/feeds/rss/", "/feeds/atom/", "/feeds/json/"]:
        assert client.get(url).status_code == 200
    [entry] = parse(client, "/feeds/rss/").entries
    assert entry.enclosures == []
    assert "<figure>" not in entry.content[0].value
    assert entry.title == demo_article.headline


def test_json_feed(client, demo_story):
    response = client.get("/feeds/json/")
    assert response["Content-Type"] == "application/feed+json; charset=utf-8"
    feed = json.loads(response.content)
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"] == "Newsroom: latest news"
    assert feed["home_page_url"] == SITE + "/"
    assert feed["feed_url"] == SITE + "/feeds/json/"
    [item] = feed["items"]
    assert item["id"] == guid(demo_story)
    assert item["url"] == DEMO_URL
    assert item["title"] == demo_story.headline
    assert item["summary"] == STANDFIRST
    assert item["date_published"] == "2016-12-23T22:44:00+00:00"
    assert item["authors"] == [{"name": "Jane Citizen"}]
    assert item["tags"] == ["World", "Russia", "Syria"]
    image = SITE + demo_story.image.url
    assert item["image"] == image
    assert item["attachments"] == [
        {
            "url": image,
            "mime_type": "image/jpeg",
            "size_in_bytes": demo_story.image.size,
        }
    ]
    body = BeautifulSoup(item["content_html"], "html.parser")
    assert body.figure.img["src"] == image
    assert body.find_all("a")[-1]["href"] == SITE + "/sources/aap/"


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_source_feed_has_only_that_sources_stories(client, kind):
    source = SourceFactory(name="Wire & Co", slug="wire")
    mine = ArticleFactory(published=True, source=source)
    ArticleFactory(published=True)
    feed = parse(client, f"/sources/wire/{kind}/")
    assert feed.feed.title == "Newsroom: stories from Wire & Co"
    assert feed.feed.link == SITE + "/sources/wire/"
    assert [entry.id for entry in feed.entries] == [guid(mine)]
    assert [tag.term for tag in feed.entries[0].tags] == ["News"]
    assert client.get(f"/sources/nope/{kind}/").status_code == 404


def test_feeds_link_to_themselves_absolutely(client, published_article):
    rss = client.get("/feeds/rss/").content.decode()
    assert f'<atom:link href="{SITE}/feeds/rss/" rel="self"/>' in rss
    atom = parse(client, "/sources/" + published_article.source.slug + "/atom/")
    self_links = [link.href for link in atom.feed.links if link.rel == "self"]
    assert self_links == [f"{SITE}/sources/{published_article.source.slug}/atom/"]


def test_feeds_are_cacheable_for_five_minutes(client):
    for url in ["/feeds/rss/", "/feeds/atom/", "/feeds/json/"]:
        assert cache_control(client.get(url)) == SHARED_CACHING | {"max-age": 300}


def test_empty_feeds_are_valid(client):
    for url in ["/feeds/rss/", "/feeds/atom/"]:
        assert parse(client, url).entries == []
    assert client.get("/feeds/json/").json()["items"] == []


def head_links(client, url, html):
    page = html(client.get(url))
    return [
        (link["type"], link["href"])
        for link in page.head.find_all("link", rel="alternate")
    ]


SITE_FEEDS = [
    ("application/rss+xml", "/feeds/rss/"),
    ("application/atom+xml", "/feeds/atom/"),
    ("application/feed+json", "/feeds/json/"),
]


def test_every_page_links_the_site_feeds(client, demo_article, html):
    for url in ["/", demo_article.get_absolute_url(), "/no-such-page/"]:
        assert head_links(client, url, html) == SITE_FEEDS


def test_source_pages_link_their_own_feeds_first(client, demo_article, html):
    assert head_links(client, "/sources/aap/", html) == [
        ("application/rss+xml", "/sources/aap/rss/"),
        ("application/atom+xml", "/sources/aap/atom/"),
        *SITE_FEEDS,
    ]


def test_absolute_links_resolve_against_the_story_and_stay_sanitised():
    base = SITE + "/2024/01/02/a-story/"
    fragment = (
        '<p><a href="/sources/aap/">a</a> <a href="other/">b</a> '
        '<a href="#note">c</a> <a href="https://elsewhere.example/">d</a> '
        '<a href="javascript:alert(1)">e</a></p>'
    )
    body = BeautifulSoup(text.absolute_links(fragment, base=base), "html.parser")
    assert [a.get("href") for a in body.find_all("a")] == [
        SITE + "/sources/aap/",
        base + "other/",
        base + "#note",
        "https://elsewhere.example/",
        None,
    ]


@pytest.mark.parametrize(
    "url, title",
    [
        ("/sections/world/", "Newsroom: stories in World"),
        ("/authors/jane/", "Newsroom: stories by Jane Citizen"),
        ("/topics/syria/", "Newsroom: stories about Syria"),
    ],
)
@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_section_author_and_topic_feeds(client, url, title, kind):
    world = SectionFactory(name="World", slug="world")
    jane = AuthorFactory(name="Jane Citizen", slug="jane")
    sam = AuthorFactory(name="Sam Lee", slug="sam")
    syria = TopicFactory(name="Syria", slug="syria")
    story = ArticleFactory(
        published=True, section=world, authors=[jane, sam], topics=[syria]
    )
    ArticleFactory(published=True)  # in none of them
    feed = parse(client, f"{url}{kind}/")
    assert feed.feed.title == title
    assert feed.feed.link == SITE + url
    [entry] = feed.entries
    assert entry.id == guid(story)
    # Filed under its section, then its topics; written by its authors.
    assert [tag.term for tag in entry.tags] == ["World", "Syria"]
    assert entry.author == "Jane Citizen and Sam Lee"
