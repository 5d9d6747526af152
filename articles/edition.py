"""What readers can see, as a token that changes whenever it may have changed.

It changes in two ways. An editor's change goes through desk/services.py,
which raises the `Edition` row's number in the same transaction. A scheduled
story going live changes nothing in the database: its time simply passes.
So the token is the edition number and the publication time of the latest
story to have gone live, and a snapshot of the edition carries the times of
the stories still scheduled, so that the token moves on at each of them with
no write, no job and no query.

Rendered pages are cached under the token and their ETags and Last-Modified
come from it: none of it grows with the number of stories. The snapshot
lives in the shared cache (read with each page); it is loaded from the
database when missing (one row, where the services keep the schedule),
written afresh by the services after every change, and kept (as a last
known copy) for when the database cannot be reached.
"""

import bisect
import datetime
import functools
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import DatabaseError
from django.utils import timezone

from core import pagecache
from core.deploy import deploy_id

from .models import Article, Edition

logger = logging.getLogger(__name__)

CACHE_KEY = "edition"
# Used only when the database cannot be reached: nothing can change then but
# the clock, and the snapshot knows what the clock will bring.
LAST_KNOWN_KEY = "edition:last-known"
# A safety net: should a writer fail to store its new snapshot (the cache
# unreachable from that one server), readers load it within this time.
TIMEOUT = 5 * 60
NOT_READ = object()
# Scheduled times a snapshot carries. Past the last of them (only with more
# than this many stories scheduled) the next request loads a new snapshot.
UPCOMING_LIMIT = 500


@dataclass(frozen=True)
class State:
    """What readers see at one moment."""

    token: str
    last_modified: datetime.datetime | None
    # When the next scheduled story goes live, changing the token.
    next_change: datetime.datetime | None


@dataclass(frozen=True)
class Snapshot:
    number: int
    changed_at: datetime.datetime | None
    # The latest publication time at or before the moment it was loaded.
    live_since: datetime.datetime | None
    # Publication times of scheduled stories after that moment, earliest first.
    upcoming: tuple[datetime.datetime, ...]
    # False when there were more scheduled stories than `upcoming` holds.
    complete: bool

    def at(self, now):
        """The state at `now`, or None when `now` is past what this snapshot
        knows (it must be loaded afresh)."""
        passed = bisect.bisect_right(self.upcoming, now)
        if passed == len(self.upcoming) and not self.complete:
            return None
        went_live = self.upcoming[passed - 1] if passed else self.live_since
        stamp = f"{went_live.timestamp():.6f}" if went_live else "-"
        moments = [m for m in (self.changed_at, went_live) if m is not None]
        return State(
            token=f"{self.number}.{stamp}",
            last_modified=max(moments, default=None),
            next_change=self.upcoming[passed] if passed < len(self.upcoming) else None,
        )

    # Kept in the cache as plain values, so that servers running the code
    # before and after a deploy read each other's snapshots.

    def to_cache(self):
        return (
            self.number,
            self.changed_at,
            self.live_since,
            list(self.upcoming),
            self.complete,
        )

    @classmethod
    def from_cache(cls, value):
        number, changed_at, live_since, upcoming, complete = value
        return cls(number, changed_at, live_since, tuple(upcoming), complete)


def schedule(now):
    """What the clock will change, from the stories themselves: the latest
    publication time at or before `now`, the scheduled times after it
    (earliest first), and whether that list is complete. Two queries, both
    on indexes; desk/services.py stores the answer on the Edition row."""
    live_since = (
        Article.objects.published(at=now)
        .order_by("-published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    upcoming = list(
        Article.objects.scheduled(at=now)
        .order_by("published_at")
        .values_list("published_at", flat=True)[: UPCOMING_LIMIT + 1]
    )
    return live_since, tuple(upcoming[:UPCOMING_LIMIT]), len(upcoming) <= UPCOMING_LIMIT


def load(now=None):
    """A snapshot from the database: the Edition row, one query. Its schedule
    is worked out from the stories (two more) only when the row has none
    yet, or when `now` is past the end of a list that was cut short."""
    now = now or timezone.now()
    row = (
        Edition.objects.filter(pk=1)
        .values_list(
            "number", "changed_at", "live_since", "upcoming", "schedule_complete"
        )
        .first()
    )
    # No row only after a test suite's flush: no change recorded yet.
    number, changed_at, live_since, upcoming, complete = row or (
        0,
        None,
        None,
        [],
        None,
    )
    snapshot = Snapshot(
        number=number,
        changed_at=changed_at,
        live_since=live_since,
        upcoming=tuple(datetime.datetime.fromisoformat(t) for t in upcoming),
        complete=bool(complete),
    )
    if complete is None or snapshot.at(now) is None:
        live_since, upcoming, complete = schedule(now)
        snapshot = Snapshot(number, changed_at, live_since, upcoming, complete)
    return snapshot


def current(now=None, *, cached=NOT_READ):
    """The `State` readers see now: from the shared cache (or `cached`, the
    value already read from it under CACHE_KEY), or loaded."""
    now = now or timezone.now()
    cached = _cache_get(CACHE_KEY) if cached is NOT_READ else _snapshot(cached)
    if cached is not None and (state := cached.at(now)) is not None:
        return state
    try:
        snapshot = load(now)
    except DatabaseError:
        last_known = _cache_get(LAST_KNOWN_KEY)
        if last_known is None or (state := last_known.at(now)) is None:
            raise
        return state
    # `add`, not `set`: a writer may have stored a newer snapshot since this
    # one was read. Past the end of a snapshot's schedule the stored one is
    # of no use to anyone, and is replaced.
    _store(snapshot, replace=cached is not None)
    return snapshot.at(now)


def state_for(request):
    """The State `request` is being answered under: the one the page cache
    worked out for it, or the current one."""
    return getattr(request, "page_cache_state", None) or current()


def refresh():
    """Store a new snapshot for every app server. Called by desk/services.py
    once a change has been committed."""
    _store(load(), replace=True)


def _store(snapshot, *, replace):
    value = snapshot.to_cache()
    try:
        if replace:
            cache.set(CACHE_KEY, value, TIMEOUT)
        else:
            cache.add(CACHE_KEY, value, TIMEOUT)
        cache.set(LAST_KNOWN_KEY, value, None)
    except Exception:  # Any backend's connection error: the cache is optional.
        logger.warning("Cache unavailable; edition not stored", exc_info=True)


def _cache_get(key):
    try:
        return _snapshot(cache.get(key))
    except Exception:
        logger.warning("Cache unavailable; loading the edition", exc_info=True)
        return None


def _snapshot(value):
    try:
        return None if value is None else Snapshot.from_cache(value)
    except (TypeError, ValueError):  # another release's shape: load afresh
        return None


class _Edition:
    """What core/pagecache.py asks for beside each page: the key to read
    with it, and the state that value gives."""

    cache_key = CACHE_KEY

    @staticmethod
    def state(value):
        return current(cached=value)


EDITION = _Edition()


def reader_page(view=None, *, max_age=60):
    """Serve a reader page's view through the shared page cache, keyed on
    what readers can see now (core/pagecache.py); `max_age` is the
    browser's lifetime for the page.

        @method_decorator(reader_page, name="dispatch")
        class FrontPage(ListView): ...
    """
    if view is None:
        return functools.partial(reader_page, max_age=max_age)

    @functools.wraps(view)
    def serve(request, *args, **kwargs):
        render = functools.partial(view, request, *args, **kwargs)
        if request.method not in ("GET", "HEAD"):
            return render()
        return pagecache.serve(request, render, edition=EDITION, max_age=max_age)

    return serve


class EditionPaginator(Paginator):
    """Django's paginator, counting the stories once per edition of the site:
    the count is kept in the shared cache beside the pages, so rendering a
    page afresh costs the listing query alone, not a count over the archive.
    `scope` names the listing ("front", "source:aap"), `state` the edition
    it is counted in (`state_for(request)`)."""

    def __init__(self, *args, scope, state, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope = scope
        self.state = state

    @functools.cached_property
    def count(self):
        key = f"count:{deploy_id()}:{self.state.token}:{self.scope}"
        try:
            counted = cache.get(key)
        except Exception:
            logger.warning("Cache unavailable; counting", exc_info=True)
            counted = None
        if counted is None:
            counted = super().count
            try:
                cache.set(key, counted, settings.PAGE_CACHE_SECONDS or 1)
            except Exception:
                logger.warning("Cache unavailable; count not kept", exc_info=True)
        return counted
