from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponseServerError
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from django.views.static import serve

from articles.metadata import absolute
from articles.sitemaps import SITEMAPS, NewsSitemap


def database_reachable():
    try:
        connection.ensure_connection()
        return connection.is_usable()
    except DatabaseError:
        return False


def server_error(request):
    """Every unhandled exception ends here. If the database cannot be
    reached, that is an outage, not a bug: 503 with Retry-After, so readers
    and crawlers come back. Otherwise the 500 page.

    Django renders these without context processors, so the site-wide names
    are passed in.
    """
    context = {"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL}
    if not database_reachable():
        response = HttpResponse(render_to_string("503.html", context), status=503)
        response["Retry-After"] = "30"
        response["Cache-Control"] = "no-store"
        return response
    return HttpResponseServerError(render_to_string("500.html", context))


@require_safe
@cache_control(public=True, max_age=300)
@x_robots_tag
def sitemap_index(request):
    """Like django.contrib.sitemaps.views.index, but with every address on
    SITE_URL rather than on whatever Host the request came with."""
    entries = []
    for section, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        url = absolute(reverse("sitemap-section", kwargs={"section": section}))
        lastmod = sitemap.get_latest_lastmod()
        entries.append(SitemapIndexItem(url, lastmod))
        entries += [
            SitemapIndexItem(f"{url}?p={page}", lastmod)
            for page in range(2, sitemap.paginator.num_pages + 1)
        ]
    return TemplateResponse(
        request,
        "sitemap_index.xml",
        {"sitemaps": entries},
        content_type="application/xml",
    )


@require_safe
@cache_control(public=True, max_age=3600)
def robots_txt(request):
    context = {
        "sitemaps": [
            absolute(reverse("sitemap-index")),
            absolute(reverse("sitemap-news")),
        ]
    }
    return TemplateResponse(
        request, "robots.txt", context, content_type="text/plain; charset=utf-8"
    )


@require_safe
@cache_control(public=True, max_age=300)
def news_sitemap(request):
    """Google News sitemap: stories from the last two days. Well-formed and
    empty when there are none."""
    response = sitemap_views.sitemap(
        request, {"news": NewsSitemap}, template_name="sitemap_news.xml"
    )
    response.context_data |= {
        "publication_name": settings.SITE_NAME,
        # Google News wants the ISO 639 code: "en", not "en-au".
        "publication_language": settings.LANGUAGE_CODE.split("-")[0],
    }
    return response


def media(request, path):
    """Uploaded images, when SERVE_MEDIA is on (see settings)."""
    return serve(request, path, document_root=settings.MEDIA_ROOT)
