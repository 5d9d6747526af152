"""Site-wide views: the error pages and uploaded media."""

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponseServerError
from django.template.loader import render_to_string
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


def media(request, path):
    """Uploaded images, when SERVE_MEDIA is on (see settings)."""
    return serve(request, path, document_root=settings.MEDIA_ROOT)
