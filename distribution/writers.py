"""Feed formats: Django's RSS 2.0 and Atom 1.0 writers taught to carry the
full story and its hero image, and a JSON Feed 1.1 writer.

Each item may carry, besides Django's standard fields:
`content_html` (the full body, links absolute) and `image` (an `Image`).
"""

import json
from dataclasses import dataclass

from django.utils.feedgenerator import (
    Atom1Feed,
    Rss201rev2Feed,
    SyndicationFeed,
    rfc3339_date,
)

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


class NewsRssFeed(Rss201rev2Feed):
    """RSS 2.0 with `content:encoded`, `media:content` and `atom:updated`."""

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


class NewsAtomFeed(Atom1Feed):
    """Atom 1.0 with the full story in `content` and `media:content`."""

    def root_attributes(self):
        return super().root_attributes() | {"xmlns:media": MEDIA_NS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content", item["content_html"], {"type": "html"})
        if item.get("image"):
            _media_content(handler, item["image"])


class JsonFeed(SyndicationFeed):
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
