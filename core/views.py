"""Site-wide views: the error pages and uploaded media."""

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponseServerError
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.views import defaults
from django.views.static import serve

from . import pagecache


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


def page_not_found(request, exception):
    """Django's 404 page (templates/404.html), with the lifetime a reader's
    missing page may be kept for (core/pagecache.py)."""
    response = defaults.page_not_found(request, exception)
    return pagecache.not_found(request, response)


# How long browsers and CDNs keep an upload; nginx says the same
# (deploy/nginx/newsroom.conf). A day, not a year: names are not
# content-addressed. Django never overwrites a file (a new picture gets a new
# name), but a name freed by deleting its file can be given to another
# picture, and a picture taken down must leave browsers soon.
MEDIA_MAX_AGE = 60 * 60 * 24


def media(request, path):
    """Uploaded images, when SERVE_MEDIA is on (see settings)."""
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    patch_cache_control(response, public=True, max_age=MEDIA_MAX_AGE)
    return response
