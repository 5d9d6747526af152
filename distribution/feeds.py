"""The site's feeds: RSS, Atom and JSON Feed for the site, and RSS and
Atom for each source, section, author and topic.

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
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Enclosure
from django.utils.html import escape, format_html

from articles import text
from articles.models import Article, Author, Section, Source, Topic
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
    caption = article.figure_caption
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
        return self.stories(source).with_source().with_credits()[:ITEMS]

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
        names = [author.name for author in article.credited_authors]
        if names:
            return " and ".join(
                [", ".join(names[:-1]), names[-1]] if names[1:] else names
            )
        return article.byline or None

    def item_pubdate(self, article):
        return article.published_at

    def item_updateddate(self, article):
        return article.modified_at

    def item_categories(self, article):
        return [article.section.name, *(topic.name for topic in article.topics.all())]

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


class ListingFeed(LatestStoriesFeed):
    """The stories of one source, section, author or topic (the feed's
    object, found by the slug in its address: 404 if none has it)."""

    owner_model = None
    kind = ""  # as in the CDN's tags: "section"
    lookup = ""  # from a story to its owner
    url_name = ""
    about = ""  # "stories from {}": what the feed's title says

    def get_object(self, request, slug):
        owner = self.owner_model.objects.filter(slug=slug).first()
        if owner is None:
            self.not_here(slug)
        return owner

    def not_here(self, slug):
        raise Http404(f"No {self.kind} is called {slug}.")

    def tags(self, slug):
        return ["feeds", f"{self.kind}-{slug}"]

    def stories(self, owner):
        return super().stories(owner).filter(**{self.lookup: owner})

    def title(self, owner):
        return f"{settings.SITE_NAME}: {self.about.format(owner.name)}"

    def description(self, owner):
        return f"The latest {self.about.format(owner.name)} on {settings.SITE_NAME}."

    def link(self, owner):
        return absolute(owner.get_absolute_url())

    def feed_url(self, owner):
        return absolute(reverse(self.url_name, kwargs={"slug": owner.slug}))

    def subtitle(self, owner):
        return self.description(owner)


class SourceStoriesFeed(ListingFeed):
    owner_model, kind, lookup = Source, "source", "source"
    url_name = "distribution:source-feed"
    about = "stories from {}"

    def __call__(self, request, *args, **kwargs):
        try:
            return super().__call__(request, *args, **kwargs)
        except SourceNotHere:
            return source_moved(request, kwargs["slug"], self.url_name)

    def not_here(self, slug):
        raise SourceNotHere  # not ObjectDoesNotExist, which Feed makes a 404


class SectionStoriesFeed(ListingFeed):
    owner_model, kind, lookup = Section, "section", "section"
    url_name = "distribution:section-feed"
    about = "stories in {}"


class AuthorStoriesFeed(ListingFeed):
    owner_model, kind, lookup = Author, "author", "authorship__author"
    url_name = "distribution:author-feed"
    about = "stories by {}"


class TopicStoriesFeed(ListingFeed):
    owner_model, kind, lookup = Topic, "topic", "topics"
    url_name = "distribution:topic-feed"
    about = "stories about {}"


def atom(feed_class, name):
    """The Atom version of `feed_class`, answering at the URL `name`."""
    return type(
        f"{feed_class.__name__}Atom",
        (feed_class,),
        {"feed_type": writers.NewsAtomFeed, "url_name": f"distribution:{name}"},
    )
