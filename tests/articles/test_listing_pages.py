"""A section's, an author's and a topic's page: their published stories
only, paginated, with their own metadata and feeds; 404 for any other."""

import datetime
import json

import pytest
from django.utils import timezone

from desk import services
from tests.conftest import picture
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    SectionFactory,
    SourceFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

SITE = "https://news.example.com"


def headlines(page):
    return [a.get_text() for a in page.select(".story-card__headline a")]


def json_ld(page):
    [script] = page.find_all("script", type="application/ld+json")
    return json.loads(script.string)


def meta(page):
    return {
        tag.get("property") or tag.get("name"): tag["content"]
        for tag in page.head.find_all("meta")
        if tag.get("property") or tag.get("name")
    }


@pytest.fixture
def world():
    return SectionFactory(name="World", slug="world", description="Beyond our shores.")


@pytest.fixture
def jane():
    return AuthorFactory(
        name="Jane Citizen",
        slug="jane",
        title="Political reporter",
        bio="Jane covers Canberra. She joined in 2019.",
        website="https://jane.example.com/",
        profiles="https://bsky.app/profile/jane.example.com\nhttps://x.com/jane",
        photo=picture(size=(300, 300)),
    )


@pytest.fixture
def syria():
    return TopicFactory(name="Syria", slug="syria", description="The civil war.")


def leaky_stories(**listing):
    """A story readers may see in the listing, and one of each kind that
    they may not: a draft, a scheduled story, and one of another listing."""
    return {
        "shown": ArticleFactory(published=True, headline="Shown", **listing),
        "draft": ArticleFactory(headline="A draft", **listing),
        "scheduled": ArticleFactory(scheduled=True, headline="Embargoed", **listing),
        "elsewhere": ArticleFactory(published=True, headline="Elsewhere"),
    }


@pytest.mark.parametrize("kind", ["section", "author", "topic"])
def test_a_listing_shows_only_its_published_stories(
    client, html, kind, world, jane, syria
):
    listing = {
        "section": {"section": world},
        "author": {"authors": [jane]},
        "topic": {"topics": [syria]},
    }[kind]
    leaky_stories(**listing)
    url = {"section": "/sections/world/", "author": "/authors/jane/"}.get(
        kind, "/topics/syria/"
    )
    response = client.get(url)
    page = html(response)
    assert headlines(page) == ["Shown"]
    for hidden in ["A draft", "Embargoed", "Elsewhere"]:
        assert hidden not in response.content.decode()
    for feed in ["rss", "atom"]:
        entries = client.get(f"{url}{feed}/").content.decode()
        assert "Shown" in entries and "Elsewhere" not in entries
        assert "A draft" not in entries and "Embargoed" not in entries


@pytest.mark.parametrize(
    "url",
    [
        "/sections/nowhere/",
        "/authors/nobody/",
        "/topics/nothing/",
        "/sections/nowhere/rss/",
        "/authors/nobody/atom/",
        "/topics/nothing/rss/",
        "/sections/world/?page=2",
        "/sections/world/?page=abc",
    ],
)
def test_unknown_listings_and_pages_are_404(client, world, url):
    ArticleFactory(published=True, section=world)
    assert client.get(url).status_code == 404


def test_a_section_page_paginates_on_its_own_count(client, html, world):
    now = timezone.now()
    for n in range(23):
        ArticleFactory(
            published=True,
            section=world,
            published_at=now - datetime.timedelta(minutes=n + 1),
        )
    ArticleFactory.create_batch(5, published=True)  # other sections
    first = html(client.get("/sections/world/"))
    assert len(first.select(".story-card")) == 20
    assert first.select_one(".pagination__current").get_text() == "Page 1 of 2"
    second = html(client.get("/sections/world/?page=2"))
    assert len(second.select(".story-card")) == 3
    assert second.title.get_text() == "Page 2 · World · Newsroom"
    canonical = second.head.find("link", rel="canonical")["href"]
    assert canonical == SITE + "/sections/world/?page=2"


def test_a_section_page_is_a_collection_with_its_feeds(client, html, world):
    story = ArticleFactory(published=True, section=world)
    page = html(client.get("/sections/world/"))
    assert page.h1.get_text() == "World"
    assert page.title.get_text() == "World · Newsroom"
    tags = meta(page)
    assert tags["description"] == tags["og:description"] == "Beyond our shores."
    assert (tags["og:title"], tags["og:url"]) == ("World", SITE + "/sections/world/")
    data = json_ld(page)
    assert data["@type"] == "CollectionPage"
    assert (data["name"], data["url"]) == ("World", SITE + "/sections/world/")
    assert data["mainEntity"]["itemListElement"] == [
        {"@type": "ListItem", "position": 1, "url": story.absolute_url}
    ]
    feeds = [
        (link["type"], link["href"])
        for link in page.head.find_all("link", rel="alternate")
    ]
    assert feeds[:2] == [
        ("application/rss+xml", "/sections/world/rss/"),
        ("application/atom+xml", "/sections/world/atom/"),
    ]
    # The feeds are on the page too, for readers to copy into their reader.
    assert [a["href"] for a in page.select("main .feed-links a")] == [
        "/sections/world/rss/",
        "/sections/world/atom/",
    ]
    # The masthead marks the section as the page being read.
    current = page.select(".section-nav a[aria-current]")
    assert [(a.get_text(), a["aria-current"]) for a in current] == [("World", "page")]


def test_an_author_page_is_their_profile(client, html, jane):
    ArticleFactory(published=True, authors=[jane])
    page = html(client.get("/authors/jane/"))
    assert page.h1.get_text() == "Jane Citizen"
    assert page.select_one(".profile__title").get_text() == "Political reporter"
    assert "Jane covers Canberra." in page.select_one(".profile__bio").get_text()
    photo = page.select_one(".profile__photo")
    assert photo["src"] == jane.photo.url and photo["alt"] == "Jane Citizen"
    links = [(a["href"], a.get_text()) for a in page.select(".profile__links a")]
    assert links == [
        ("https://jane.example.com/", "jane.example.com"),
        ("https://bsky.app/profile/jane.example.com", "Bluesky"),
        ("https://x.com/jane", "X (Twitter)"),
    ]
    assert all("me" in a["rel"] for a in page.select(".profile__links a"))
    data = json_ld(page)
    assert data["@type"] == "ProfilePage"
    assert data["mainEntity"] == {
        "@type": "Person",
        "name": "Jane Citizen",
        "url": SITE + "/authors/jane/",
        "jobTitle": "Political reporter",
        "sameAs": [
            "https://jane.example.com/",
            "https://bsky.app/profile/jane.example.com",
            "https://x.com/jane",
        ],
        "description": "Jane covers Canberra. She joined in 2019.",
        "image": SITE + jane.photo.url,
    }
    tags = meta(page)
    assert tags["og:type"] == "profile"
    assert tags["og:image"] == SITE + jane.photo.url
    assert tags["description"] == (
        "Jane Citizen, Political reporter at Newsroom. Jane covers Canberra."
    )


def test_a_topic_page_and_the_topics_on_a_story(client, html, syria):
    story = ArticleFactory(published=True, topics=[syria])
    page = html(client.get("/topics/syria/"))
    assert page.h1.get_text() == "Syria"
    assert json_ld(page)["@type"] == "CollectionPage"
    assert meta(page)["description"] == "The civil war."
    story_page = html(client.get(story.get_absolute_url()))
    topics = story_page.select(".story__topics a")
    assert [(a.get_text(), a["href"]) for a in topics] == [("Syria", "/topics/syria/")]
    tags = story_page.head.find_all("meta", property="article:tag")
    assert [tag["content"] for tag in tags] == ["Syria"]
    assert json_ld(story_page)["keywords"] == ["Syria"]


def test_a_story_credits_its_authors_in_order_and_links_them(client, html, jane):
    sam = AuthorFactory(name="Sam Lee", slug="sam")
    story = ArticleFactory(published=True, authors=[sam, jane], byline="AAP")
    page = html(client.get(story.get_absolute_url()))
    byline = page.select_one(".story__byline")
    assert " ".join(byline.get_text().split()) == "By Sam Lee and Jane Citizen"
    assert [a["href"] for a in byline.select("a")] == [
        "/authors/sam/",
        "/authors/jane/",
    ]
    [data] = [
        json.loads(s.string)
        for s in page.find_all("script", type="application/ld+json")
    ]
    assert [person["url"] for person in data["author"]] == [
        SITE + "/authors/sam/",
        SITE + "/authors/jane/",
    ]
    assert data["author"][1]["sameAs"][0] == "https://jane.example.com/"
    assert data["articleSection"] == story.section.name
    open_graph = page.head.find_all("meta", property="article:author")
    assert [tag["content"] for tag in open_graph] == [
        SITE + "/authors/sam/",
        SITE + "/authors/jane/",
    ]
    # Agency copy with no staff author keeps its byline.
    agency = ArticleFactory(published=True, byline="AAP reporters")
    agency_page = html(client.get(agency.get_absolute_url()))
    assert agency_page.select_one(".story__byline").get_text() == "By AAP reporters"


def test_renaming_a_section_reaches_every_page_at_once(client, html, world):
    story = ArticleFactory(published=True, section=world)
    for url in ["/", story.get_absolute_url(), "/sections/world/"]:
        assert "World" in client.get(url).content.decode()
    services.save_section(section=world, user=None, name="International")
    for url in ["/", story.get_absolute_url(), "/sections/world/", "/latest/"]:
        nav = html(client.get(url)).select(".section-nav a")
        assert "International" in [a.get_text() for a in nav], url


def test_sources_keep_their_page_with_the_new_look(client, html):
    source = SourceFactory(name="Wire", slug="wire", description="A wire.")
    ArticleFactory(published=True, source=source)
    page = html(client.get("/sources/wire/"))
    assert page.h1.get_text() == "Wire"
    assert json_ld(page)["@type"] == "CollectionPage"
