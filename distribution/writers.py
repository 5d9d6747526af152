"""Feed formats: Django's RSS 2.0 and Atom 1.0 writers taught to carry the
full story and its hero image, and a JSON Feed 1.1 writer.

Each item may carry, besides Django's standard fields:
`content_html` (the full body, links absolute) and `image` (an `Image`).

Every string a writer is given is cleaned first (core/characters.py), so
a stored row with a character XML cannot carry never fails or breaks a
feed; and RSS writes its text fields so that no reader renders them as
markup (`html_text`).
"""

import dataclasses
import html
import json
import re
from dataclasses import dataclass

from django.utils.feedgenerator import (
    Atom1Feed,
    Enclosure,
    Rss201rev2Feed,
    SyndicationFeed,
    rfc3339_date,
)

from core.characters import clean_text

CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
MEDIA_NS = "http://search.yahoo.com/mrss/"


@dataclass(frozen=True)
class Image:
    url: str
    length: int
    mime_type: str
    width: int | None = None
    height: int | None = None
    description: str = ""
    credit: str = ""


def _media_content(handler, image):
    attrs = {
        "url": image.url,
        "medium": "image",
        "type": image.mime_type,
        "fileSize": str(image.length),
    }
    if image.width and image.height:
        attrs |= {"width": str(image.width), "height": str(image.height)}
    handler.startElement("media:content", attrs)
    if image.description:
        handler.addQuickElement(
            "media:description", image.description, {"type": "plain"}
        )
    if image.credit:
        handler.addQuickElement("media:credit", image.credit)
    handler.endElement("media:content")


def _cleaned(value):
    """`value` with every string in it cleaned, however deep."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list | tuple):
        return type(value)(_cleaned(part) for part in value)
    if isinstance(value, dict):
        return {key: _cleaned(part) for key, part in value.items()}
    if isinstance(value, Image):
        return dataclasses.replace(
            value,
            **{
                field.name: _cleaned(getattr(value, field.name))
                for field in dataclasses.fields(value)
            },
        )
    if isinstance(value, Enclosure):
        return Enclosure(
            *(_cleaned(part) for part in (value.url, value.length, value.mime_type))
        )
    return value


class CleanText(SyndicationFeed):
    """Cleans every string given for the feed or an item, whatever the
    format: no stored row, whoever wrote it, can make a feed fail."""

    def __init__(self, *args, **kwargs):
        super().__init__(*_cleaned(args), **_cleaned(kwargs))

    def add_item(self, *args, **kwargs):
        super().add_item(*_cleaned(args), **_cleaned(kwargs))


# An "&" that HTML reads as the start of a character reference, up to the
# next "&": html.unescape() follows HTML's own rules ("&copy" and "&notit"
# are references in text, "AT&T" and "Fish & chips" are not).
_AMPERSAND = re.compile(r"&[^&]*")


def _escape_reference(match):
    tail = match.group()
    return "&amp;" + tail[1:] if html.unescape(tail) != tail else tail


def html_text(value):
    """Plain text written so that a reader taking it as HTML and one taking
    it as text show the same words, and neither renders markup.

    RSS 2.0 never said whether titles, authors and categories are text or
    HTML, and readers differ: feedparser and most web readers take them as
    HTML (a headline "<b>x</b>" came out bold), newsboat as text. So every
    "<" is escaped for HTML as well as for XML (`&lt;` in the text): no
    reader can see a tag, and a text reader shows "&lt;" for the rare
    headline with a "<" in it. An "&" is escaped again only where HTML
    would otherwise read a character reference; "Fish & chips" and "AT&T",
    by far the commoner, read the same in both. (Django escapes the whole
    title twice, #6533, and text readers then show every "&" as "&amp;";
    the RSS Best Practices Profile's hexadecimal references are the same
    characters as "<" and "&" to an XML parser, so they do not help.)
    """
    if value is None:
        return None
    return _AMPERSAND.sub(_escape_reference, value).replace("<", "&lt;")


class NewsRssFeed(CleanText, Rss201rev2Feed):
    """RSS 2.0 with `content:encoded`, `media:content` and `atom:updated`;
    its titles, descriptions of the channel, authors and categories written
    with `html_text`. (Items' descriptions are HTML already.)"""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("title", "description"):
            self.feed[name] = html_text(self.feed[name])

    def add_item(self, *args, **kwargs):
        super().add_item(*args, **kwargs)
        item = self.items[-1]
        item["title"] = html_text(item["title"])
        item["author_name"] = html_text(item["author_name"])
        item["categories"] = [html_text(name) for name in item["categories"]]

    def rss_attributes(self):
        return super().rss_attributes() | {
            "xmlns:content": CONTENT_NS,
            "xmlns:media": MEDIA_NS,
        }

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item["updateddate"] is not None:
            # RSS 2.0 has no element for it; feed readers know Atom's.
            handler.addQuickElement("atom:updated", rfc3339_date(item["updateddate"]))
        if item.get("content_html"):
            handler.addQuickElement("content:encoded", item["content_html"])
        if item.get("image"):
            _media_content(handler, item["image"])


class NewsAtomFeed(CleanText, Atom1Feed):
    """Atom 1.0 with the full story in `content` and `media:content`."""

    def root_attributes(self):
        return super().root_attributes() | {"xmlns:media": MEDIA_NS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content", item["content_html"], {"type": "html"})
        if item.get("image"):
            _media_content(handler, item["image"])


class JsonFeed(CleanText, SyndicationFeed):
    """JSON Feed 1.1: https://www.jsonfeed.org/version/1.1/"""

    content_type = "application/feed+json; charset=utf-8"

    def write(self, outfile, encoding):
        feed = self.feed
        document = {
            "version": "https://jsonfeed.org/version/1.1",
            "title": feed["title"],
            "home_page_url": feed["link"],
            "feed_url": feed["feed_url"],
            "description": feed["description"],
            "language": feed["language"],
            "authors": [{"name": feed["author_name"]}] if feed["author_name"] else [],
            "items": [self._item(item) for item in self.items],
        }
        outfile.write(json.dumps(_without_empty(document), ensure_ascii=False))

    def _item(self, item):
        image = item.get("image")
        return _without_empty(
            {
                "id": item["unique_id"],
                "url": item["link"],
                "title": item["title"],
                "summary": item.get("summary"),
                "content_html": item.get("content_html"),
                "image": image and image.url,
                "date_published": item["pubdate"] and item["pubdate"].isoformat(),
                "date_modified": item["updateddate"]
                and item["updateddate"].isoformat(),
                "authors": [{"name": item["author_name"]}]
                if item["author_name"]
                else [],
                "tags": list(item["categories"]),
                "attachments": [
                    {
                        "url": image.url,
                        "mime_type": image.mime_type,
                        "size_in_bytes": image.length,
                    }
                ]
                if image
                else [],
            }
        )


def _without_empty(mapping):
    return {
        key: value
        for key, value in mapping.items()
        if key == "items" or value not in (None, [])
    }
