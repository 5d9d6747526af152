"""The demo story as a reader's browser receives it."""

import datetime
from urllib.parse import quote

import pytest
import time_machine

from articles.models import Article
from desk import services
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

URL = "/2016/12/24/russia-urges-peace-after-battle-for-aleppo/"
ABSOLUTE = "https://news.example.com" + URL


@pytest.fixture
def page(client, demo_article, html):
    response = client.get(URL)
    assert response.status_code == 200
    return html(response)


def test_headline_standfirst_and_language(page):
    assert page.html["lang"] == "en-AU"
    assert [h1.get_text() for h1 in page.find_all("h1")] == [
        "Russia urges peace after battle for Aleppo"
    ]
    standfirst = page.select_one(".story__standfirst").get_text()
    assert standfirst == (
        "Russia is calling for a comprehensive agreement to resolve "
        "the Syrian civil war."
    )
    assert page.title.get_text().startswith(
        "Russia urges peace after battle for Aleppo"
    )


def test_hero_figure_with_alt_caption_and_credit(page, demo_article):
    figure = page.select_one("figure.story__figure")
    image = figure.img
    assert image["src"] == demo_article.image.url
    assert "Vladimir Putin" in image["alt"] and "Placeholder" in image["alt"]
    assert (image["width"], image["height"]) == ("1200", "675")
    assert (
        figure.figcaption.get_text() == "Russian President Vladimir Putin. Source: AAP"
    )


def test_reading_time_publication_time_and_source(page):
    meta = page.select_one(".story__meta")
    assert "2 min read" in meta.get_text()
    dates = page.select_one(".story__dates")
    assert " ".join(dates.get_text().split()) == "Published 24 December 2016 9:44am"
    assert dates.time["datetime"] == "2016-12-24T09:44:00+11:00"
    source = page.select_one(".story__source")
    assert source.get_text() == "Source: AAP"
    assert source.a["href"] == "/sources/aap/"


def test_body_paragraphs_and_pull_quote(page):
    body = page.select_one(".story__body")
    paragraphs = body.find_all("p", recursive=False)
    assert len(paragraphs) == 11
    assert (
        paragraphs[0]
        .get_text()
        .startswith("Russian President Vladimir Putin is urging")
    )
    assert "has been sent Aleppo" in paragraphs[2].get_text()
    quote_ = body.blockquote.get_text().strip()
    assert quote_.startswith('"The liberation of Aleppo from radical elements')
    assert paragraphs[-1].get_text().startswith("In September 2015, Russia started")


def test_share_controls_at_top_and_end(page):
    top = page.select_one(".share--compact")
    assert top.summary.get_text() == "Share"
    end = page.select_one(".share--footer")
    assert end.h2.get_text() == "Share this with family and friends"
    for block in (top, end):
        links = block.select("a.share-link")
        assert len(links) == 8
        for link in links:
            assert link["target"] == "_blank"
            assert "noopener" in link["rel"]
            assert link["aria-label"].startswith("Share on ")
        facebook = block.select_one(".share-link--facebook")["href"]
        assert facebook.endswith("?u=" + quote(ABSOLUTE, safe=""))
        assert block.select_one("button.share-copy")["data-share-url"] == ABSOLUTE


def test_canonical_link_and_no_third_party_assets(page):
    assert page.find("link", rel="canonical")["href"] == ABSOLUTE
    for tag in page.find_all(["script", "img", "link"]):
        address = tag.get("src") or tag.get("href") or ""
        if tag.name == "link" and tag.get("rel") == ["canonical"]:
            continue
        assert not address.startswith(("http:", "https:", "//")), address


def test_updated_time_shown_after_an_edit(client, demo_article, html):
    with time_machine.travel(demo_article.published_at + datetime.timedelta(hours=2)):
        services.update_article(
            article=demo_article, user=None, body=demo_article.body + "\n\nA fix."
        )
    dates = html(client.get(URL)).select_one(".story__dates")
    text = " ".join(dates.get_text().split())
    assert text == "Published 24 December 2016 9:44am Updated 24 December 2016 11:44am"


@pytest.mark.parametrize(
    ("utc", "shown"),
    [
        # Afternoon, summer time (AEDT, UTC+11).
        (
            datetime.datetime(2017, 1, 10, 2, 5, tzinfo=datetime.UTC),
            "10 January 2017 1:05pm",
        ),
        # Winter (AEST, UTC+10), morning before ten: no leading zero.
        (
            datetime.datetime(2017, 6, 30, 22, 7, tzinfo=datetime.UTC),
            "1 July 2017 8:07am",
        ),
        # Midday and midnight.
        (
            datetime.datetime(2017, 6, 1, 2, 0, tzinfo=datetime.UTC),
            "1 June 2017 12:00pm",
        ),
        (
            datetime.datetime(2017, 6, 1, 14, 30, tzinfo=datetime.UTC),
            "2 June 2017 12:30am",
        ),
        # The morning daylight saving ends: 2:30am happens twice; this is the second.
        (
            datetime.datetime(2017, 4, 1, 16, 30, tzinfo=datetime.UTC),
            "2 April 2017 2:30am",
        ),
    ],
)
def test_publication_time_format(client, html, utc, shown):
    story = ArticleFactory(status=Article.Status.PUBLISHED, published_at=utc)
    dates = html(client.get(story.get_absolute_url())).select_one(".story__dates")
    assert " ".join(dates.get_text().split()) == f"Published {shown}"


def test_byline_shown_when_credited(client, html):
    story = ArticleFactory(published=True, byline="Jane Citizen")
    page = html(client.get(story.get_absolute_url()))
    assert page.select_one(".story__byline").get_text() == "By Jane Citizen"


def test_story_without_image_has_no_figure(client, html):
    story = ArticleFactory(published=True)
    assert html(client.get(story.get_absolute_url())).find("figure") is None


def test_headline_is_escaped(client, html):
    story = ArticleFactory(published=True, headline='<script>alert("x")</script> & co')
    response = client.get(story.get_absolute_url())
    assert b"<script>alert" not in response.content
    assert html(response).h1.get_text() == '<script>alert("x")</script> & co'
