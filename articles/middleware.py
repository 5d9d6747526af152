"""Cached reader pages, answered before Django does anything else for them.

A page already in the shared cache needs no session, no CSRF token, no user
and no URL resolution: this middleware, placed just after the static files
and the security headers, answers it from the cache (core/pagecache.py) and
passes everything else on. Pages not yet cached are rendered by their views,
whose `reader_page` decorator stores them under the same key.
"""

from core import pagecache

from .edition import EDITION


class CachedReaderPageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if pagecache.is_reader_page(request):
            # As CommonMiddleware would, before anything is answered: an
            # unknown Host gets its 400.
            request.get_host()
            response = pagecache.from_cache(request, edition=EDITION)
            if response is not None:
                return response
        return self.get_response(request)
