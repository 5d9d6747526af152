"""The sitemap index, the Google News sitemap and robots.txt."""

from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import http_date
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from articles.edition import reader_page
from core import pagecache
from core.links import absolute

from .sitemaps import SITEMAPS, NewsSitemap

# Sitemaps are read by crawlers every few minutes at most. A sitemap's own
# pages are numbered by "p" (Django's sitemap view); the index has none.
sitemap_index_page = reader_page(max_age=300)
sitemap_page = reader_page(max_age=300, query=["p"])


@require_safe
@sitemap_index_page
@x_robots_tag
def sitemap_index(request):
    """Like django.contrib.sitemaps.views.index, but with every address on
    SITE_URL rather than on whatever Host the request came with."""
    entries = []
    for section, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        url = absolute(
            reverse("distribution:sitemap-section", kwargs={"section": section})
        )
        lastmod = sitemap.get_latest_lastmod()
        entries.append(SitemapIndexItem(url, lastmod))
        entries += [
            SitemapIndexItem(f"{url}?p={page}", lastmod)
            for page in range(2, sitemap.paginator.num_pages + 1)
        ]
    response = TemplateResponse(
        request,
        "sitemap_index.xml",
        {"sitemaps": entries},
        content_type="application/xml",
    )
    return pagecache.tag(response, "sitemaps")


@require_safe
@sitemap_page
def sitemap_section(request, section):
    response = sitemap_views.sitemap(request, SITEMAPS, section=section)
    return pagecache.tag(response, "sitemaps")


@require_safe
@cache_control(public=True, max_age=3600)
def robots_txt(request):
    context = {
        "sitemaps": [
            absolute(reverse("distribution:sitemap-index")),
            absolute(reverse("distribution:sitemap-news")),
        ]
    }
    return TemplateResponse(
        request,
        "distribution/robots.txt",
        context,
        content_type="text/plain; charset=utf-8",
    )


@require_safe
@sitemap_page
def news_sitemap(request):
    """Google News sitemap: stories from the last two days. Well-formed and
    empty when there are none."""
    response = sitemap_views.sitemap(
        request, {"news": NewsSitemap}, template_name="distribution/sitemap_news.xml"
    )
    response.context_data |= {
        "publication_name": settings.SITE_NAME,
        # Google News wants the ISO 639 code: "en", not "en-au".
        "publication_language": settings.LANGUAGE_CODE.split("-")[0],
    }
    # The oldest story leaves the two-day window with no change recorded
    # anywhere: the cached copy must not outlive it.
    leaves = NewsSitemap().oldest_leaves_at()
    if leaves is not None:
        response["Expires"] = http_date(leaves.timestamp())
    return pagecache.tag(response, "sitemaps")
