"""Cached reader pages, answered before Django does anything else for them.

A page already in the shared cache needs no session, no CSRF token, no user
and no URL resolution: this middleware, placed just after the static files
and the security headers, answers it from the cache (core/pagecache.py) and
passes everything else on. Pages not yet cached are rendered by their views,
whose `reader_page` decorator stores them under the same key.
"""

from core import pagecache

from .edition import EDITION

# Never reader pages: the editors' desk and previews, and what the
# middleware above has already answered.
NOT_READER_PAGES = ("/admin/", "/preview/", "/static/", "/media/")


class CachedReaderPageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and not request.path.startswith(
            NOT_READER_PAGES
        ):
            # As CommonMiddleware would, before anything is answered: an
            # unknown Host gets its 400.
            request.get_host()
            response = pagecache.from_cache(request, edition=EDITION)
            if response is not None:
                return response
        return self.get_response(request)
