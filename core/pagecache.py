"""Reader pages rendered once, then served from the shared cache.

`serve()` wraps a page's view. A page is kept under the deploy id and its
address (with the page number, the one query parameter pages read), with the token of
what readers could see when it was rendered (from articles/edition.py). It
is served only while that token is still the current one: any change makes a
new token, so a cached copy is never stale. Answering from the cache takes
one round trip to the cache (the page and the current edition together) and
no SQL at all, so a page rendered a moment ago is still served while the
database is down.

The same entry carries the page's validators, so conditional requests get
`304 Not Modified` without rendering, and the headers a CDN needs: a
`Cache-Control` with `s-maxage`, `stale-while-revalidate` and
`stale-if-error`, and `Surrogate-Key`/`Cache-Tag` naming what the page shows
(core/cdn.py). When the next scheduled story is due sooner than the usual
lifetime, the lifetimes shrink to it.

The cache is an accelerator, never a dependency: if it cannot be reached the
page is rendered from the database as if nothing were cached.
"""

import contextlib
import contextvars
import hashlib
import logging
import math
import re
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, parse_http_date_safe

from . import cdn
from .cache import report
from .deploy import deploy_id

logger = logging.getLogger(__name__)

# Responses worth keeping: pages and permanent redirects (old addresses).
KEPT_STATUSES = {200, 301}
KEPT_HEADERS = [
    "Content-Type",
    "ETag",
    "Last-Modified",
    "Location",
    "X-Robots-Tag",
    # Set by a page whose content changes with the clock alone (the news
    # sitemap's two-day window): its copy is not used past that time.
    "Expires",
]
# On every reader page, so that an operator can purge the whole site.
SITE_TAG = "site"
# Never reader pages: the editors' desk and previews, and files.
NOT_READER_PAGES = ("/admin/", "/preview/", "/static/", "/media/")
# A missing page's lifetime, for browsers and a CDN alike: short, since the
# address may yet be given to a story, and no purge names a page that was
# not there.
NOT_FOUND_MAX_AGE = 60
# The query parameters reader pages may read: the page number of a listing,
# and of a sitemap. A page declares which of them it reads (`serve(query=)`);
# any other (utm_source, a cache-buster, a page number on a story) shares the
# same copy. Page numbers are cached only in their one canonical form.
QUERY = ("page", "p")
CANONICAL_NUMBER = re.compile(r"[1-9][0-9]{0,8}")


def etag(*parts):
    """A weak ETag over `parts` and the running code's version."""
    digest = hashlib.sha256("|".join(map(str, (deploy_id(), *parts))).encode())
    # Weak: equivalent, not byte-identical (e.g. the year in the footer).
    return f'W/"{digest.hexdigest()[:32]}"'


def tag(response, *tags):
    """Name what `response` shows, for the CDN (and for purging it)."""
    for name, value in cdn.surrogate_headers({SITE_TAG, *tags}).items():
        response[name] = value
    return response


def serve(request, render, *, edition, max_age=60, query=()):
    """The response for a reader page: from the cache when this version of
    it was rendered before, on any app server; otherwise `render()`'s, kept
    for the next request. `max_age` is the browser's lifetime for it;
    `query` the page-number parameters (from QUERY) the page reads.

    `edition` says what readers see now: its `cache_key` is read from the
    cache together with the page (one round trip), and its `state(value)`,
    given what was read there, returns the State (articles/edition.py). The
    state's token must match the one the page was rendered under; its time
    of last change is the default Last-Modified, and its next scheduled
    change caps every lifetime.
    """
    canonical = _canonical_query(request, query)
    if canonical is not None:
        return canonical
    key = _key(request, query)
    missed = getattr(request, "page_cache_miss", None)
    if missed is not None and missed[0] == key:
        _, state, entry = missed
    else:
        _, state, entry = _lookup(request, edition, key)
    if entry is not None:
        return _answer(request, _response(entry), state, entry[1])
    with _watching_the_clock() as clock:
        response = render()
        if hasattr(response, "render"):
            response.render()
    if response.status_code not in KEPT_STATUSES or response.streaming:
        return response
    if "ETag" not in response and response.status_code == 200:
        # A listing (front page, feed, sitemap): its validators are the
        # edition's, whatever the view set.
        response["ETag"] = etag("page", state.token, key)
        if state.last_modified:
            response["Last-Modified"] = http_date(state.last_modified.timestamp())
    if clock.changes_at is not None:
        _expires(response, clock.changes_at)
    if "Surrogate-Key" not in response:
        tag(response)
    _set(key, _entry(state.token, max_age, response))
    return _answer(request, response, state, max_age)


def from_cache(request, *, edition):
    """The cached copy of the page at this address, answered as serve()
    would answer it, or None. For middleware that answers before the URL is
    even resolved (articles/middleware.py)."""
    if any(
        not CANONICAL_NUMBER.fullmatch(request.GET[name])
        for name in QUERY
        if name in request.GET
    ):
        return None  # the view redirects it, or answers 404
    _, state, entry = _lookup(request, edition, _key(request, QUERY))
    if entry is None:
        return None
    return _answer(request, _response(entry), state, entry[1])


def _canonical_query(request, query):
    """None if the page numbers `query` names are in their one form (none
    for the first page); otherwise a permanent redirect to that form, or
    404 for what is no number at all. Each spelling of a number ("01",
    "１", "+1") would otherwise render and keep a copy of its own."""
    changed = False
    params = request.GET.copy()
    for name in query:
        if name not in params:
            continue
        value = params[name]
        if CANONICAL_NUMBER.fullmatch(value) and value != "1":
            continue
        try:
            number = int(value)  # Unicode digits, zeros, signs, spaces
        except ValueError:
            raise Http404(f"{name}={value!r} is not a page number") from None
        if number < 1 or not CANONICAL_NUMBER.fullmatch(str(number)):
            raise Http404(f"{name}={value!r} is not a page number")
        changed = True
        if number == 1:
            del params[name]
        else:
            params[name] = str(number)
    if not changed:
        return None
    kept = urlencode(list(params.lists()), doseq=True)
    location = request.path + (f"?{kept}" if kept else "")
    return tag(HttpResponsePermanentRedirect(location))


class _Clock:
    """When the page being rendered would first read differently with no
    change to the stories ("5 minutes ago", today's date), or None."""

    def __init__(self):
        self.changes_at = None


_clock = contextvars.ContextVar("page_clock", default=None)


@contextlib.contextmanager
def _watching_the_clock():
    clock = _Clock()
    token = _clock.set(clock)
    try:
        yield clock
    finally:
        _clock.reset(token)


def changes_at(moment):
    """Say that the page being rendered reads differently from `moment`
    on, whatever the editors do: its cached copy, and every browser's and
    CDN's, will not be used past it. For what a template works out from the
    clock: a relative time, today's date. Outside serve() it does nothing."""
    clock = _clock.get()
    if clock is not None and (clock.changes_at is None or moment < clock.changes_at):
        clock.changes_at = moment


def _expires(response, moment):
    """`moment`, rounded up to the second HTTP dates have, as the page's
    Expires, unless it already ends sooner; its ETag then names that end
    too, so a browser revalidating after it gets the new words, not 304."""
    stamp = math.ceil(moment.timestamp())
    earlier = parse_http_date_safe(response.get("Expires", ""))
    if earlier is not None and earlier <= stamp:
        return
    response["Expires"] = http_date(stamp)
    if "ETag" in response:
        response["ETag"] = etag(response["ETag"], stamp)


def is_reader_page(request):
    return request.method in ("GET", "HEAD") and not request.path.startswith(
        NOT_READER_PAGES
    )


def not_found(request, response):
    """Headers for a reader's 404: cacheable by anyone for a short while
    (a CDN would otherwise apply its own default, often an hour), never past
    the next scheduled story's time. The editors' 404s stay private."""
    if not is_reader_page(request) or settings.SESSION_COOKIE_NAME in request.COOKIES:
        patch_cache_control(response, private=True, no_store=True)
        return response
    lifetime = min(NOT_FOUND_MAX_AGE, settings.CDN_MAX_AGE)
    state = getattr(request, "page_cache_state", None)
    if state is not None and state.next_change is not None:
        remaining = state.next_change.timestamp() - timezone.now().timestamp()
        lifetime = min(lifetime, max(0, math.floor(remaining)))
    patch_cache_control(response, public=True, max_age=lifetime, s_maxage=lifetime)
    return tag(response)


def _lookup(request, edition, key):
    found = _get_many([edition.cache_key, key])
    state = edition.state(found.get(edition.cache_key))
    entry = found.get(key)
    if entry is not None and (entry[0] != state.token or _expired(entry)):
        entry = None
    # Worked out once per request: the view that renders a page missed here
    # (and anything it asks of the edition) reads it back, rather than
    # asking the cache, or with nothing cached the database, again.
    request.page_cache_state = state
    if entry is None:
        request.page_cache_miss = (key, state, None)
    return key, state, entry


def _answer(request, response, state, max_age):
    conditional = get_conditional_response(
        request,
        etag=response.get("ETag"),
        last_modified=parse_http_date_safe(response.get("Last-Modified", "")),
        response=response,
    )
    if conditional is not response:
        # 304 Not Modified: the validators and what the page shows, no body.
        for name in ["Surrogate-Key", "Cache-Tag"]:
            if name in response:
                conditional[name] = response[name]
        response = conditional
    _cache_headers(response, state, max_age)
    return response


def _key(request, query):
    address = (
        request.path
        + "?"
        + "&".join(
            f"{name}={request.GET.get(name, '') if name in query else ''}"
            for name in QUERY
        )
    )
    digest = hashlib.sha256(address.encode()).hexdigest()[:40]
    return f"page:{deploy_id()}:{digest}"


def _entry(token, max_age, response):
    headers = {
        name: response[name]
        for name in [*KEPT_HEADERS, "Surrogate-Key", "Cache-Tag"]
        if name in response
    }
    return (token, max_age, response.status_code, headers, response.content)


def _response(entry):
    _, _, status, headers, content = entry
    return HttpResponse(content, status=status, headers=headers)


def _expired(entry):
    headers = entry[3]
    expires = parse_http_date_safe(headers.get("Expires", ""))
    return expires is not None and expires <= timezone.now().timestamp()


def _cache_headers(response, state, max_age):
    """Public caching, for browsers (`max-age`) and for a CDN or nginx in
    front (`s-maxage`, and stale copies while refreshing or while the site
    is down), never past the next scheduled story's time or the page's own
    expiry."""
    shared = settings.CDN_MAX_AGE
    ends = [state.next_change and state.next_change.timestamp()]
    ends.append(parse_http_date_safe(response.get("Expires", "")))
    for end in filter(None, ends):
        cap = max(0, math.floor(end - timezone.now().timestamp()))
        max_age, shared = min(max_age, cap), min(shared, cap)
    patch_cache_control(
        response,
        public=True,
        max_age=max_age,
        s_maxage=shared,
        stale_while_revalidate=settings.CDN_STALE_WHILE_REVALIDATE,
        stale_if_error=settings.CDN_STALE_IF_ERROR,
    )


def _get_many(keys):
    try:
        return cache.get_many(keys)
    except Exception as error:  # Any backend's connection error: render instead.
        report(error, "Cache unavailable; rendering afresh")
        return {}


def _set(key, entry):
    if settings.PAGE_CACHE_SECONDS <= 0:
        return
    try:
        cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
    except Exception as error:
        report(error, "Cache unavailable; page not kept")
