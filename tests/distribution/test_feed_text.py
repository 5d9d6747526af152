"""What feeds and sitemaps make of the text in a story: characters XML
cannot carry never break them, and text never becomes markup in a reader.

Feeds are read as a feed reader reads them (feedparser) and as XML
(expat, which refuses anything that is not well-formed)."""

import html
import xml.dom.minidom
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import feedparser
import pytest

from articles.models import Article, Source
from tests.conftest import picture
from tests.factories import (
    ArticleFactory,
    SectionFactory,
    SourceFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

FEEDS = ["/feeds/rss/", "/feeds/atom/", "/sources/wire/rss/", "/sources/wire/atom/"]
SITEMAPS = [
    "/sitemap.xml",
    "/sitemap-stories.xml",
    "/sitemap-sources.xml",
    "/sitemap-pages.xml",
    "/sitemap-news.xml",
]
ATOM = {"atom": "http://www.w3.org/2005/Atom"}
# Word's manual line break, a form feed, the C0 controls XML 1.0 has no
# place for, and the non-characters it refuses.
HOSTILE = "\x01\x08\x0b\x0c\x1b\x1f\x7f\ufffe\uffff"


def strict_xml(response):
    """The document, parsed by two strict XML parsers."""
    assert response.status_code == 200, response.status_code
    xml.dom.minidom.parseString(response.content)
    return ET.fromstring(response.content)


def read_feed(client, url):
    response = client.get(url)
    strict_xml(response)
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


class _Fragment(HTMLParser):
    def __init__(self):
        # Character references read by html.unescape(), as HTML5 reads them
        # in text (BeautifulSoup's html.parser builder drops some "&").
        super().__init__(convert_charrefs=True)
        self.text, self.elements = [], []

    def handle_starttag(self, tag, attrs):
        self.elements.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def as_html(value):
    """What a reader that takes the value as HTML shows: the text, and the
    elements it would render."""
    fragment = _Fragment()
    fragment.feed(value)
    fragment.close()
    return "".join(fragment.text), fragment.elements


def as_reader_shows(value, detail_type):
    """feedparser says whether it took a value as HTML or as text."""
    if detail_type == "text/html":
        shown, elements = as_html(value)
        assert elements == []
        return shown
    return value


@pytest.fixture
def wire():
    return SourceFactory(name="Wire", slug="wire")


@pytest.fixture
def image_story(wire):
    return ArticleFactory(
        published=True,
        source=wire,
        byline="Jo Citizen",
        image=picture(),
        image_alt="A photo",
        image_caption="The scene",
        image_credit="AAP",
    )


@pytest.mark.parametrize(
    "field",
    ["headline", "standfirst", "body", "byline", "image_caption", "image_credit"],
)
def test_a_pasted_control_character_breaks_no_feed(client, wire, field):
    values = {
        "headline": "A headline",
        "standfirst": "A standfirst.",
        "body": "A body.",
        "byline": "Jo Citizen",
        "image_caption": "The scene",
        "image_credit": "AAP",
    }
    values[field] = f"Line one\x0bline two{HOSTILE} end"
    story = ArticleFactory(
        published=True, source=wire, image=picture(), image_alt="A photo", **values
    )
    for url in FEEDS:
        read_feed(client, url)
    assert client.get("/feeds/json/").status_code == 200
    for url in SITEMAPS:
        strict_xml(client.get(url))
    assert not set(getattr(story, field)) & set(HOSTILE)


def test_a_pasted_control_character_in_a_section_name_breaks_no_feed(client, wire):
    section = SectionFactory(name="World\x0bNews\ufffe", slug="world")
    ArticleFactory(published=True, source=wire, section=section)
    for url in FEEDS:
        feed = read_feed(client, url)
        assert [tag.term for tag in feed.entries[0].tags] == ["World News"]


def test_feeds_and_sitemaps_survive_rows_written_around_the_services(
    client, image_story
):
    """A shell, a migration or an older release may have stored anything:
    what goes out is cleaned again, so no stored row takes a feed down."""
    bad = f"Bad{HOSTILE} text"
    Article.objects.filter(pk=image_story.pk).update(
        headline=bad,
        standfirst=bad,
        body_html=f"<p>{bad}</p>",
        byline=bad,
        image_alt=bad,
        image_caption=bad,
        image_credit=bad,
    )
    Source.objects.filter(pk=image_story.source_id).update(name=bad)
    for url in FEEDS:
        feed = read_feed(client, url)
        [entry] = feed.entries
        for text in [entry.title, entry.summary, entry.author, entry.content[0].value]:
            assert "Bad" in text and "text" in text
            assert not set(text) & set(HOSTILE)
    json_feed = client.get("/feeds/json/")
    assert json_feed.status_code == 200
    assert not set(json_feed.content.decode()) & set(HOSTILE)
    for url in SITEMAPS:
        strict_xml(client.get(url))


def test_news_sitemap_headline_without_non_characters(client, wire):
    story = ArticleFactory(published=True, source=wire)
    Article.objects.filter(pk=story.pk).update(headline="Markets\ufffe rally\x01")
    root = strict_xml(client.get("/sitemap-news.xml"))
    title = root.findtext(
        "{http://www.sitemaps.org/schemas/sitemap/0.9}url/"
        "{http://www.google.com/schemas/sitemap-news/0.9}news/"
        "{http://www.google.com/schemas/sitemap-news/0.9}title"
    )
    assert title == "Markets rally "


# RSS 2.0 never said whether its titles are text or HTML, and many readers
# show them as HTML. They are written so that both readings show the same
# words and neither renders markup.

TEXTS = [
    "<b>Bold</b> claim",
    '<img src="x" onerror="alert(1)">',
    "<script>alert(1)</script>",
    "Cod < $10 & more > less",
    "&lt;b&gt; is how you write <b>",
    "The &amp; entity and &copy and &#169; and &notit",
    # What headlines hold: every reader shows these exactly as typed.
    "Fish & chips",
    "AT&T and P&O; Q&A; R&D",
    "M&S: 5 > 4 & \u201cquotes\u201d",
]
AS_TYPED = TEXTS[-3:]


@pytest.mark.parametrize("typed", TEXTS)
def test_rss_title_creator_and_category_are_text_in_every_reader(client, typed):
    source = SourceFactory(name="Wire", slug="wire")
    section = SectionFactory(name=typed)
    ArticleFactory(
        published=True, source=source, section=section, headline=typed, byline=typed
    )
    response = client.get("/sources/wire/rss/")
    channel = strict_xml(response).find("channel")
    item = channel.find("item")
    written = [
        item.findtext("title"),
        item.findtext("{http://purl.org/dc/elements/1.1/}creator"),
        item.findtext("category"),
    ]
    for value in written:
        # A reader taking it as HTML sees the words and no markup...
        assert as_html(value) == (typed, [])
        # ...and so does one taking it as text, unless the words hold "<"
        # (always escaped, so that no reader can take it as a tag) or an
        # "&" that HTML would read as the start of a character reference.
        if typed in AS_TYPED:
            assert value == typed
    assert as_html(channel.findtext("title"))[1] == []
    assert as_html(channel.findtext("description"))[1] == []

    [entry] = read_feed(client, "/sources/wire/rss/").entries
    assert as_reader_shows(entry.title, entry.title_detail.type) == typed
    assert as_html(entry.author) == (typed, [])
    assert as_html(entry.tags[0].term)[1] == []


@pytest.mark.parametrize("typed", TEXTS)
def test_atom_title_and_author_are_plain_text(client, typed):
    source = SourceFactory(name="Wire", slug="wire")
    topic = TopicFactory(name=typed)
    ArticleFactory(
        published=True,
        source=source,
        section=SectionFactory(name="World"),
        topics=[topic],
        headline=typed,
        byline=typed,
    )
    root = strict_xml(client.get("/sources/wire/atom/"))
    entry = root.find("atom:entry", ATOM)
    title = entry.find("atom:title", ATOM)
    assert title.get("type", "text") == "text"
    assert title.text == typed
    assert entry.findtext("atom:author/atom:name", namespaces=ATOM) == typed
    categories = [tag.get("term") for tag in entry.findall("atom:category", ATOM)]
    assert categories == ["World", typed]
    [parsed] = read_feed(client, "/sources/wire/atom/").entries
    assert parsed.title_detail.type == "text/plain"
    assert parsed.title == typed


@pytest.mark.parametrize("typed", TEXTS)
def test_json_feed_title_is_plain_text(client, typed):
    ArticleFactory(published=True, headline=typed, byline=typed)
    [item] = client.get("/feeds/json/").json()["items"]
    assert item["title"] == typed
    assert item["authors"] == [{"name": typed}]


def test_rss_description_stays_escaped_html(client):
    ArticleFactory(published=True, standfirst="<b>Cod</b> & chips")
    [item] = strict_xml(client.get("/feeds/rss/")).iter("item")
    assert html.unescape(item.findtext("description")) == "<b>Cod</b> & chips"
    assert as_html(item.findtext("description")) == ("<b>Cod</b> & chips", [])
