"""Site-wide middleware: the health check, the readers' security policy and
the refusal of NUL characters."""

import logging
import uuid

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render

from .cache import report

logger = logging.getLogger(__name__)

# The reader's pages load nothing from third parties; the admin keeps
# Django's own defaults because it relies on inline styles.
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


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith("/admin/"):
            response.headers.setdefault("Content-Security-Policy", READER_CSP)
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
