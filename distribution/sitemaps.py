"""Sitemaps for search engines, and the Google News sitemap.

URLs are absolute from SITE_URL: there is no Site object, and the Host a
crawler happened to use must not decide them.
"""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property

from articles import edition
from articles.edition import EditionPaginator
from articles.models import Article, Author, Section, SitePage, Source, Topic

NEWS_WINDOW = datetime.timedelta(days=2)


class SiteUrlSitemap(Sitemap):
    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class StorySitemap(SiteUrlSitemap):
    """Every published story, oldest first: a page of the sitemap keeps its
    stories as new ones are published, so crawlers find the older pages
    unchanged."""

    # Search engines read up to 50,000 per file; pages of 5,000 keep each
    # one cheap to render cold, with the index listing them all.
    limit = 5000
    # What a sitemap entry needs, not the body of every story on the page.
    FIELDS = ("pk", "slug", "published_at", "updated_at")

    def items(self):
        return (
            Article.objects.published()
            .order_by("published_at", "pk")
            .only(*self.FIELDS)
        )

    def lastmod(self, article):
        return article.modified_at

    @cached_property
    def paginator(self):
        # Counted by the edition, not over the archive for every request.
        state = edition.current()
        return EditionPaginator(self.items(), self.limit, scope="front", state=state)

    def get_latest_lastmod(self):
        # For the sitemap index: when any story last changed, constant-cost.
        return edition.current().last_modified


class ListingSitemap(SiteUrlSitemap):
    """The sources, sections, authors or topics with at least one published
    story, last modified when their latest story went out."""

    model = None
    lookup = ""  # from a story to its owner

    def items(self):
        latest = (
            Article.objects.published()
            .filter(**{self.lookup: OuterRef("pk")})
            .order_by("-published_at")
            .values("published_at")[:1]
        )
        return self.model.objects.annotate(latest=Subquery(latest)).filter(
            latest__isnull=False
        )

    def lastmod(self, owner):
        return owner.latest


class SourceSitemap(ListingSitemap):
    model, lookup = Source, "source"


class SectionSitemap(ListingSitemap):
    model, lookup = Section, "section"


class AuthorSitemap(ListingSitemap):
    model, lookup = Author, "authorship__author"


class TopicSitemap(ListingSitemap):
    model, lookup = Topic, "topics"


class FrontPageSitemap(SiteUrlSitemap):
    """The front page and /latest/, then the site's own pages (About...)."""

    changefreq = "hourly"

    def items(self):
        return ["articles:index", "articles:latest", *SitePage.objects.all()]

    def location(self, item):
        return item.get_absolute_url() if isinstance(item, SitePage) else reverse(item)

    def lastmod(self, item):
        if isinstance(item, SitePage):
            return item.updated_at
        return self.latest_change

    @cached_property
    def latest_change(self):
        latest = Article.objects.published().first()
        return latest.modified_at if latest else None


class NewsSitemap(SiteUrlSitemap):
    """Stories published in the last two days, as Google News wants them."""

    # Google News reads at most 1,000 URLs from one news sitemap.
    limit = 1000

    def items(self):
        since = timezone.now() - NEWS_WINDOW
        return Article.objects.published().filter(published_at__gte=since)

    def oldest_leaves_at(self):
        """When the oldest story in the sitemap drops out of the window."""
        oldest = self.items().order_by("published_at").first()
        return oldest.published_at + NEWS_WINDOW if oldest else None

    def lastmod(self, article):
        return article.modified_at


SITEMAPS = {
    "pages": FrontPageSitemap,
    "stories": StorySitemap,
    "sources": SourceSitemap,
    "sections": SectionSitemap,
    "authors": AuthorSitemap,
    "topics": TopicSitemap,
}
