"""Site-wide views: the error pages and uploaded media."""

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponseServerError
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
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

    An editor whose change (a form sent to the admin) failed that way gets
    a page that says it was not saved and gives back what they typed.

    Django renders these without context processors, so the site-wide names
    are passed in.
    """
    context = {"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL}
    if not database_reachable():
        template = "503.html"
        if _is_editors_change(request):
            template = "503_not_saved.html"
            context["sent"] = _text_sent(request)
        response = HttpResponse(render_to_string(template, context), status=503)
        response["Retry-After"] = "30"
        response["Cache-Control"] = "no-store"
        return response
    return HttpResponseServerError(render_to_string("500.html", context))


# What a form sends that is not the editor's text: tokens, the version the
# form was opened with, the admin's buttons and selections.
NOT_TYPED = {"csrfmiddlewaretoken", "opened_version", "action", "select_across"}


def _is_editors_change(request):
    """A form sent from the admin, other than signing in: the editor may
    have typed something that is now lost unless the page gives it back."""
    if request.method != "POST":
        return False
    try:
        admin, login = reverse("admin:index"), reverse("admin:login")
    except NoReverseMatch:
        return False
    return request.path.startswith(admin) and request.path != login


def _text_sent(request):
    """(field name, label, value) of every non-empty text field the form
    sent, in its order, leaving out passwords and bookkeeping. Pictures are
    not text and are not shown."""
    return [
        (name, name.replace("_", " ").capitalize(), "\n".join(values))
        for name, values in request.POST.lists()
        if name not in NOT_TYPED
        and not name.startswith("_")
        and "password" not in name
        and any(value.strip() for value in values)
    ]


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
