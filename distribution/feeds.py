"""The site's feeds: RSS, Atom and JSON Feed, for the site and per source.

Every item carries the full story; links are absolute from SITE_URL (there
is no Site object to take a domain from). distribution/urls.py serves them
through the shared page cache, so a poll that finds nothing new gets
`304 Not Modified` and one that does costs no query.
"""

import datetime
import mimetypes
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Enclosure
from django.utils.html import escape, format_html

from articles import text
from articles.models import Article, Source
from articles.views import source_moved
from core import pagecache
from core.links import absolute

from . import writers

ITEMS = 50
MAX_AGE = 5 * 60


def story_guid(article):
    """A permanent id: it survives edits to the headline, slug or date.

    The creation date is taken in UTC so that a change of TIME_ZONE cannot
    change it either.
    """
    domain = urlsplit(settings.SITE_URL).hostname
    created = article.created_at.astimezone(datetime.UTC)
    return f"tag:{domain},{created:%Y-%m-%d}:article:{article.pk}"


def hero_image(article):
    """The hero image with its real size and type, or None when there is
    none or its file cannot be read (a feed never fails over one image)."""
    # Asked for twice per item (enclosure, media:content); stat the file once.
    if not hasattr(article, "_feed_image"):
        article._feed_image = _read_hero_image(article)
    return article._feed_image


def _read_hero_image(article):
    if not article.image:
        return None
    try:
        length = article.image.size
    except (OSError, ValueError):
        return None
    mime_type, _ = mimetypes.guess_type(article.image.name)
    if not mime_type or not mime_type.startswith("image/"):
        return None
    return writers.Image(
        url=absolute(article.image.url),
        length=length,
        mime_type=mime_type,
        width=article.image_width,
        height=article.image_height,
        description=article.image_alt,
        credit=article.image_credit,
    )


def hero_figure(article, image):
    """The hero image at the top of the story, as the site shows it: many
    readers show only what is in the content, not the enclosure."""
    if image is None:
        return ""
    caption = " ".join(
        part
        for part in [
            f"{article.image_caption}." if article.image_caption else "",
            f"Source: {article.image_credit}" if article.image_credit else "",
        ]
        if part
    )
    return format_html(
        '<figure><img src="{}" alt="{}"{}>{}</figure>\n',
        image.url,
        article.image_alt,
        format_html(' width="{}" height="{}"', image.width, image.height)
        if image.width and image.height
        else "",
        format_html("<figcaption>{}</figcaption>", caption) if caption else "",
    )


class LatestStoriesFeed(Feed):
    feed_type = writers.NewsRssFeed
    url_name = "distribution:feed"

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        return pagecache.tag(response, *self.tags(**kwargs))

    def tags(self):
        return ["feeds"]

    def stories(self, source):
        return Article.objects.published()

    def items(self, source):
        return self.stories(source).with_source()[:ITEMS]

    def title(self, source):
        return f"{settings.SITE_NAME}: latest news"

    def description(self, source):
        return f"The latest stories from {settings.SITE_NAME}."

    def link(self, source):
        return absolute(reverse("articles:index"))

    def feed_url(self, source):
        return absolute(reverse(self.url_name))

    def author_name(self, source):
        return settings.SITE_NAME

    def item_title(self, article):
        # Plain text: Atom and JSON Feed say titles are text, and the RSS
        # writer encodes it for readers that take RSS titles as HTML
        # (writers.html_text), rather than Django's escaping twice (#6533).
        return article.headline

    def item_description(self, article):
        # RSS and Atom readers take the description as HTML.
        return escape(article.standfirst)

    def item_link(self, article):
        return article.absolute_url

    def item_guid(self, article):
        return story_guid(article)

    item_guid_is_permalink = False

    def item_author_name(self, article):
        return article.byline or None

    def item_pubdate(self, article):
        return article.published_at

    def item_updateddate(self, article):
        return article.modified_at

    def item_categories(self, article):
        return [article.source.name]

    def item_enclosures(self, article):
        image = hero_image(article)
        if image is None:
            return []
        return [
            Enclosure(
                url=image.url, length=str(image.length), mime_type=image.mime_type
            )
        ]

    def item_extra_kwargs(self, article):
        image = hero_image(article)
        body = text.absolute_links(article.body_html, base=article.absolute_url)
        return {
            "summary": article.standfirst,
            "content_html": hero_figure(article, image) + body,
            "image": image,
        }


class LatestStoriesAtomFeed(LatestStoriesFeed):
    feed_type = writers.NewsAtomFeed
    url_name = "distribution:feed-atom"

    def subtitle(self, source):
        return self.description(source)


class LatestStoriesJsonFeed(LatestStoriesFeed):
    feed_type = writers.JsonFeed
    url_name = "distribution:feed-json"


class SourceNotHere(Exception):
    """No source has this slug now: perhaps one had it before."""


class SourceStoriesFeed(LatestStoriesFeed):
    url_name = "distribution:source-feed"

    def __call__(self, request, *args, **kwargs):
        try:
            return super().__call__(request, *args, **kwargs)
        except SourceNotHere:
            return source_moved(request, kwargs["slug"], self.url_name)

    def get_object(self, request, slug):
        source = Source.objects.filter(slug=slug).first()
        if source is None:
            raise SourceNotHere  # not ObjectDoesNotExist, which Feed makes a 404
        return source

    def tags(self, slug):
        return ["feeds", f"source-{slug}"]

    def stories(self, source):
        return super().stories(source).filter(source=source)

    def title(self, source):
        return f"{settings.SITE_NAME}: stories from {source.name}"

    def description(self, source):
        return f"The latest stories from {source.name} on {settings.SITE_NAME}."

    def link(self, source):
        return absolute(source.get_absolute_url())

    def feed_url(self, source):
        return absolute(reverse(self.url_name, kwargs={"slug": source.slug}))


class SourceStoriesAtomFeed(SourceStoriesFeed):
    feed_type = writers.NewsAtomFeed
    url_name = "distribution:source-feed-atom"

    def subtitle(self, source):
        return self.description(source)
