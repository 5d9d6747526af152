"""Site-wide middleware: the health check, the security headers and the
refusal of NUL characters."""

import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render

from .cache import report

logger = logging.getLogger(__name__)

# The reader's pages load nothing from third parties.
READER_CSP = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "script-src 'self'",
        "style-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# The desk: Django's admin has no inline scripts, and one inline style, on
# django-simple-history's history page ('border-top: 0'), allowed by its
# hash alone. Checked in Chromium with no violation on the list, the form
# (its word count, select2), history and compare
# (tests/desk/test_browser_admin_csp.py).
ADMIN_CSP = READER_CSP.replace(
    "style-src 'self'",
    "style-src 'self' 'unsafe-hashes' "
    "'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='",
)
# Browser features no page of the site uses, refused to the page and to
# anything injected into it (each one Chromium knows: the browser test checks
# it applies them). Not web-share or clipboard-write: share.js uses both.
# interest-cohort is FLoC's, browsing-topics its successor's.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in [
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "interest-cohort",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    ]
)


class SecurityHeadersMiddleware:
    """The headers Django's SecurityMiddleware does not send. Placed above
    WhiteNoise, so static files get them too.

    Cross-Origin-Resource-Policy: pages, feeds and the desk are the site's
    own (same-origin). Static files and uploads are public and are shown by
    other sites: browser-based feed readers display the stories' pictures,
    link previews the logo, and a CDN host for STATIC_URL would make the
    site's own pages cross-origin to its files (cross-origin).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.file_prefixes = tuple(
            "/" + url.lstrip("/")
            for url in [settings.STATIC_URL, settings.MEDIA_URL]
            if not url.startswith(("http://", "https://", "//"))
        )

    def __call__(self, request):
        response = self.get_response(request)
        desk = request.path.startswith("/admin/")
        headers = response.headers
        headers.setdefault("Content-Security-Policy", ADMIN_CSP if desk else READER_CSP)
        headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        headers.setdefault(
            "Cross-Origin-Resource-Policy",
            "cross-origin"
            if request.path.startswith(self.file_prefixes)
            else "same-origin",
        )
        return response


class HealthCheckMiddleware:
    """`GET /healthz` for load balancers and monitors: 200 when the database
    and the cache answer, 503 naming the one that failed, as JSON.

    First in the middleware: answered before the HTTPS redirect and the
    Host check, since a load balancer probes by address over plain HTTP.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path != "/healthz":
            return self.get_response(request)
        checks = {"database": _database_answers(), "cache": _cache_answers()}
        healthy = all(result == "ok" for result in checks.values())
        response = JsonResponse(
            {"status": "ok" if healthy else "unavailable", "checks": checks},
            status=200 if healthy else 503,
        )
        response["Cache-Control"] = "no-store"
        return response


def _database_answers():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        connection.close_if_unusable_or_obsolete()
        # The answer is public: the error's text (addresses, user names)
        # goes to the log for the operator; the probe learns which failed.
        logger.error("Health check: the database does not answer", exc_info=True)
        return "error"
    return "ok"


def _cache_answers():
    key = f"healthz:{uuid.uuid4().hex}"
    try:
        cache.set(key, "ok", 10)
        answered = cache.get(key)
        cache.delete(key)
    except Exception as error:  # Any backend's connection error.
        report(error, "Health check: the cache does not answer")
        return "error"
    if answered != "ok":
        logger.error("Health check: the cache did not keep a value")
        return "error"
    return "ok"


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
NUL_REFUSED = (
    "The address or the form you sent contains a NUL character (%00), which "
    "no page or form here accepts. Check the link, or retype what you pasted."
)


class RefuseNulCharactersMiddleware:
    """400 for a NUL character in the path, a query parameter (name or
    value) or a form field, before anything reads it: PostgreSQL refuses
    one in any text it is given (a search, a filter, a saved headline), and
    no one types one. Files uploaded are not text and are not looked at.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _carries_nul(request):
            response = render(request, "400.html", {"reason": NUL_REFUSED}, status=400)
            response["Cache-Control"] = "no-store"
            return response
        return self.get_response(request)


def _carries_nul(request):
    query = request.META.get("QUERY_STRING", "")
    if "\x00" in request.path or "%00" in query or "\x00" in query:
        return True
    if request.method == "POST" and request.content_type in FORM_TYPES:
        return any(
            "\x00" in name or any("\x00" in value for value in values)
            for name, values in request.POST.lists()
        )
    return False


class HeadWithoutBodyMiddleware:
    """A HEAD request gets GET's headers, Content-Length included, and no
    body. Django leaves dropping the body to the server; gunicorn sends
    none but logs a warning for every such response, which a monitor
    probing with HEAD would turn into a log line a minute."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method != "HEAD":
            return response
        if response.streaming:
            response.streaming_content = []  # the file is closed with it
        else:
            length = len(response.content)
            response.content = b""
            response["Content-Length"] = str(length)
        return response
