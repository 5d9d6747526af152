import logging

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

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


class DatabaseUnavailableMiddleware:
    """Answer 503 with a friendly page when the database cannot be reached.

    Only connection-level failures qualify; a query bug still surfaces as a
    500 so that it gets fixed.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        except (OperationalError, InterfaceError) as error:
            return self.unavailable(error)

    def process_exception(self, request, exception):
        if isinstance(exception, (OperationalError, InterfaceError)) or (
            isinstance(exception, DatabaseError)
            and "connection" in str(exception).lower()
        ):
            return self.unavailable(exception)
        return None

    def unavailable(self, error):
        logger.error("Database unavailable: %s", error)
        response = HttpResponse(
            render_to_string("503.html", {"site_name": settings.SITE_NAME}), status=503
        )
        response["Retry-After"] = "30"
        response["Cache-Control"] = "no-store"
        return response
