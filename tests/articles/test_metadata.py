"""What search engines and social sites read from the pages' heads."""

import json

import pytest
from django.contrib.staticfiles import finders
from django.utils import timezone
from PIL import Image

from articles.metadata import LOGO, LOGO_SIZE
from tests.factories import ArticleFactory, SourceFactory

pytestmark = pytest.mark.django_db

SITE = "https://news.example.com"
DEMO_URL = SITE + "/2016/12/24/russia-urges-peace-after-battle-for-aleppo/"
STANDFIRST = (
    "Russia is calling for a comprehensive agreement to resolve the Syrian civil war."
)


def meta(page):
    """Open Graph and Twitter properties, and named meta, as a dict."""
    tags = page.head.find_all("meta")
    return {
        tag.get("property") or tag.get("name"): tag["content"]
        for tag in tags
        if tag.get("property") or tag.get("name")
    }


def json_ld(page):
    scripts = page.find_all("script", type="application/ld+json")
    return [json.loads(script.string) for script in scripts]


@pytest.fixture
def story_page(client, demo_article, html):
    return html(client.get(demo_article.get_absolute_url()))


def test_story_title_description_and_canonical(story_page):
    assert story_page.title.get_text() == (
        "Russia urges peace after battle for Aleppo · Newsroom"
    )
    assert meta(story_page)["description"] == STANDFIRST
    assert story_page.head.find("link", rel="canonical")["href"] == DEMO_URL


def test_story_open_graph_and_twitter_card(story_page, demo_article):
    image = SITE + demo_article.image.url
    assert meta(story_page) == {
        "viewport": "width=device-width, initial-scale=1",
        "description": STANDFIRST,
        "og:type": "article",
        "og:site_name": "Newsroom",
        "og:title": "Russia urges peace after battle for Aleppo",
        "og:description": STANDFIRST,
        "og:url": DEMO_URL,
        "og:locale": "en_AU",
        "og:image": image,
        "og:image:width": "1200",
        "og:image:height": "675",
        "og:image:alt": demo_article.image_alt,
        "article:published_time": "2016-12-24T09:44:00+11:00",
        "article:modified_time": "2016-12-24T09:44:00+11:00",
        "article:section": "World",
        # One tag a topic; the dict keeps the last.
        "article:tag": "Syria",
        "twitter:card": "summary_large_image",
        "twitter:title": "Russia urges peace after battle for Aleppo",
        "twitter:description": STANDFIRST,
        "twitter:image": image,
        "twitter:image:alt": demo_article.image_alt,
    }


def test_story_json_ld_news_article(story_page, demo_article):
    [data] = json_ld(story_page)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Russia urges peace after battle for Aleppo"
    assert data["description"] == STANDFIRST
    assert data["image"] == [
        {
            "@type": "ImageObject",
            "url": SITE + demo_article.image.url,
            "width": 1200,
            "height": 675,
            "caption": "Russian President Vladimir Putin",
        }
    ]
    assert data["datePublished"] == "2016-12-24T09:44:00+11:00"
    assert data["dateModified"] == "2016-12-24T09:44:00+11:00"
    aap = {"@type": "Organization", "name": "AAP", "url": "https://www.aap.com.au/"}
    assert data["author"] == [aap]
    assert data["sourceOrganization"] == aap
    assert data["publisher"] == {
        "@type": "Organization",
        "name": "Newsroom",
        "url": SITE + "/",
        "logo": {
            "@type": "ImageObject",
            "url": SITE + "/static/img/logo.png",
            "width": 600,
            "height": 60,
        },
    }
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": DEMO_URL}


def test_publisher_logo_is_the_size_it_claims():
    with Image.open(finders.find(LOGO)) as logo:
        assert logo.size == LOGO_SIZE
        assert logo.format == "PNG"


def test_byline_is_the_author_and_edits_the_modified_time(client, html):
    story = ArticleFactory(published=True, byline="Jane Citizen")
    page = html(client.get(story.get_absolute_url()))
    [data] = json_ld(page)
    assert data["author"] == [{"@type": "Person", "name": "Jane Citizen"}]
    assert data["dateModified"] == timezone.localtime(story.updated_at).isoformat(
        timespec="seconds"
    )
    assert "og:image" not in meta(page) and "image" not in data
    assert meta(page)["twitter:card"] == "summary_large_image"


def test_editor_text_cannot_break_out_of_json_ld(client, html):
    hostile = '</script><script>alert("x")</script> & <!-- "quoted"'
    story = ArticleFactory(published=True, headline=hostile, standfirst=hostile)
    response = client.get(story.get_absolute_url())
    assert b"</script><script>" not in response.content
    page = html(response)
    # Only the page's own scripts: the JSON-LD block and the share script.
    assert len(page.find_all("script")) == 2
    [data] = json_ld(page)
    assert data["headline"] == data["description"] == hostile
    assert meta(page)["og:title"] == hostile


def test_drafts_in_preview_carry_no_metadata(admin_client, html):
    draft = ArticleFactory(headline="Not yet")
    page = html(admin_client.get(f"/preview/{draft.pk}/"))
    assert json_ld(page) == []
    assert not [key for key in meta(page) if key.startswith(("og:", "twitter:"))]
    assert meta(page)["robots"] == "noindex, nofollow"


def test_front_page_metadata(client, html):
    page = html(client.get("/"))
    assert page.title.get_text() == "Newsroom: latest news"
    assert page.head.find("link", rel="canonical")["href"] == SITE + "/"
    tags = meta(page)
    assert tags["description"] == "The latest news from Newsroom."
    assert tags["og:type"] == "website"
    assert tags["og:url"] == SITE + "/"
    # The site, and how to search it (a search box in search engines).
    [site] = json_ld(page)
    assert site["@type"] == "WebSite"
    assert site["url"] == SITE + "/"
    action = site["potentialAction"]
    assert action["@type"] == "SearchAction"
    assert action["target"]["urlTemplate"] == SITE + "/search/?q={search_term_string}"
    assert action["query-input"] == "required name=search_term_string"


def test_source_page_metadata(client, html):
    SourceFactory(name="Wire & Co", slug="wire", description="")
    page = html(client.get("/sources/wire/"))
    assert page.title.get_text() == "Stories from Wire & Co · Newsroom"
    assert page.head.find("link", rel="canonical")["href"] == SITE + "/sources/wire/"
    tags = meta(page)
    assert tags["description"] == "The latest stories from Wire & Co on Newsroom."
    assert tags["og:description"] == tags["description"]
    assert tags["og:title"] == "Stories from Wire & Co"
    assert tags["og:url"] == SITE + "/sources/wire/"
