"""What readers can see, as a token that changes whenever it may have changed.

It changes in two ways. An editor's change goes through desk/services/,
which raises the `Edition` row's number in the same transaction. A scheduled
story going live changes nothing in the database: its time simply passes.
So the token is the edition number and the publication time of the latest
story to have gone live, and a snapshot of the edition carries the times of
the stories still scheduled, so that the token moves on at each of them with
no write, no job and no query.

Rendered pages are cached under the token, their ETags and Last-Modified
come from it, and the number of stories in each listing (for pagination)
comes with the snapshot: none of it grows with the number of stories. The
snapshot lives in the shared cache (read with each page); it is loaded from
the database when missing (one row, on which the services keep the schedule
and the counts), written afresh by the services after every change, and
kept (as a last known copy) for when the database cannot be reached.
"""

import bisect
import datetime
import functools
import logging
from dataclasses import dataclass

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import DatabaseError
from django.db.models import Count, Max
from django.utils import timezone

from core import pagecache
from core.cache import report

from .models import Article, Authorship, Edition, FrontPagePin

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
    # Published stories in each listing: "front" for all, "source:<id>",
    # "section:<id>", "author:<id>", "topic:<id>".
    counts: dict

    def count(self, scope):
        return self.counts.get(scope, 0)


@dataclass(frozen=True)
class Snapshot:
    number: int
    changed_at: datetime.datetime | None
    # The latest publication time at or before the moment it was worked out.
    live_since: datetime.datetime | None
    # What the clock brings after that moment, earliest first: (time, the
    # listings that gain a story then). A scheduled story gains "front" and
    # its source's, section's, authors' and topics'; a front page place's
    # end gains none, but changes the token all the same.
    upcoming: tuple[tuple[datetime.datetime, tuple[str, ...]], ...]
    # False when there were more scheduled stories than `upcoming` holds.
    complete: bool
    # Published stories in each listing at that moment (see State.counts).
    counts: dict
    # The Edition row's revision it was loaded from.
    revision: int = 0

    def at(self, now):
        """The state at `now`, or None when `now` is past what this snapshot
        knows (it must be loaded afresh)."""
        passed = bisect.bisect_right(self.upcoming, now, key=lambda event: event[0])
        if passed == len(self.upcoming) and not self.complete:
            return None
        went_live = self.upcoming[passed - 1][0] if passed else self.live_since
        stamp = f"{went_live.timestamp():.6f}" if went_live else "-"
        moments = [m for m in (self.changed_at, went_live) if m is not None]
        counts = dict(self.counts)
        for _, scopes in self.upcoming[:passed]:
            for scope in scopes:
                counts[scope] = counts.get(scope, 0) + 1
        following = self.upcoming[passed][0] if passed < len(self.upcoming) else None
        return State(
            token=f"{self.number}.{stamp}",
            last_modified=max(moments, default=None),
            next_change=following,
            counts=counts,
        )

    # Kept in the cache and on the Edition row as plain values, so that
    # servers running the code before and after a deploy read each other's.

    def to_cache(self):
        return (
            self.number,
            self.changed_at,
            self.live_since,
            [(moment.isoformat(), list(scopes)) for moment, scopes in self.upcoming],
            self.complete,
            self.counts,
            self.revision,
        )

    @classmethod
    def from_cache(cls, value):
        number, changed_at, live_since, upcoming, complete, counts, revision = value
        return cls(
            number,
            changed_at,
            live_since,
            _times(upcoming),
            complete,
            counts,
            revision,
        )


def _times(upcoming):
    return tuple(
        (datetime.datetime.fromisoformat(moment), _scopes(scopes))
        for moment, scopes in upcoming
    )


def _scopes(value):
    # Before sections, an entry named its source's id alone.
    if isinstance(value, int):
        return ("front", f"source:{value}")
    return tuple(value)


def schedule(now):
    """What only the clock will change, from the stories themselves: the
    latest publication time (or end of a front page place) at or before
    `now`; the stories scheduled and places ending after it (earliest first,
    with the listings they change); whether that list is complete; and how
    many stories each listing holds. A few queries, on indexes but for the
    counts; desk/services/ keeps the answer on the Edition row with every
    change, so that readers never count."""
    published = Article.objects.published(at=now)
    latest = [
        published.order_by("-published_at")
        .values_list("published_at", flat=True)
        .first(),
        FrontPagePin.objects.filter(ends_at__lte=now)
        .aggregate(Max("ends_at"))
        .get("ends_at__max"),
    ]
    live_since = max(filter(None, latest), default=None)
    scheduled = list(
        Article.objects.scheduled(at=now)
        .order_by("published_at")
        .values_list("pk", "published_at", "source_id", "section_id")[
            : UPCOMING_LIMIT + 1
        ]
    )
    credits = _credit_scopes([pk for pk, *_ in scheduled])
    stories = [
        (
            moment,
            ("front", f"source:{source}", f"section:{section}", *credits.get(pk, ())),
        )
        for pk, moment, source, section in scheduled
    ]
    places = [
        (moment, ())
        for moment in FrontPagePin.objects.filter(ends_at__gt=now)
        .order_by("ends_at")
        .values_list("ends_at", flat=True)
    ]
    complete = len(stories) <= UPCOMING_LIMIT
    if not complete:
        # As far as the stories known: later places wait for the reload.
        cut = stories.pop()[0]
        places = [place for place in places if place[0] < cut]
    upcoming = sorted(stories + places, key=lambda event: event[0])
    counts = {}
    for scope, column in [("source", "source_id"), ("section", "section_id")]:
        grouped = published.order_by().values_list(column).annotate(Count("pk"))
        counts |= {f"{scope}:{key}": n for key, n in grouped}
    for scope, through, column in _CREDITS:
        grouped = (
            through.objects.filter(article__in=published.values("pk"))
            .order_by()
            .values_list(column)
            .annotate(Count("pk"))
        )
        counts |= {f"{scope}:{key}": n for key, n in grouped}
    counts["front"] = sum(n for k, n in counts.items() if k.startswith("source:"))
    return {
        "live_since": live_since,
        "upcoming": [(m.isoformat(), list(scopes)) for m, scopes in upcoming],
        "schedule_complete": complete,
        "live_counts": counts,
    }


# The listings a story joins through its credits: an author's page, a
# topic's page.
_CREDITS = [
    ("author", Authorship, "author_id"),
    ("topic", Article.topics.through, "topic_id"),
]


def _credit_scopes(story_ids):
    """{story id: ("author:<id>", "topic:<id>", ...)} for `story_ids`, in
    one query per kind of credit."""
    scopes = {}
    for scope, through, column in _CREDITS:
        rows = through.objects.filter(article_id__in=story_ids).values_list(
            "article_id", column
        )
        for story, key in rows:
            scopes.setdefault(story, []).append(f"{scope}:{key}")
    return scopes


def load(now=None):
    """A snapshot from the database: the Edition row, one query. What only
    the clock changes is worked out from the stories only when the row does
    not have it yet, or when `now` is past the end of a list cut short."""
    now = now or timezone.now()
    row = (
        Edition.objects.filter(pk=1)
        .values("number", "changed_at", "revision", *SCHEDULE_FIELDS)
        .first()
    )
    # No row only after a test suite's flush: no change recorded yet.
    row = row or {
        "number": 0,
        "changed_at": None,
        "revision": 0,
        "schedule_complete": None,
    }
    if row["schedule_complete"] is not None:
        snapshot = _from_row(row)
        if snapshot.at(now) is not None:
            return snapshot
    return _from_row(row | schedule(now))


SCHEDULE_FIELDS = ["live_since", "upcoming", "schedule_complete", "live_counts"]


def _from_row(row):
    return Snapshot(
        number=row["number"],
        changed_at=row["changed_at"],
        live_since=row["live_since"],
        upcoming=_times(row["upcoming"]),
        complete=row["schedule_complete"],
        counts=row["live_counts"],
        revision=row["revision"],
    )


def current(now=None, *, cached=NOT_READ):
    """The `State` readers see now: from the shared cache (or `cached`, the
    value already read from it under CACHE_KEY), or loaded."""
    now = now or timezone.now()
    cached = _cache_get(CACHE_KEY) if cached is NOT_READ else _snapshot(cached)
    if _Unstored.pending:
        cached = None
    elif cached is not None and (state := cached.at(now)) is not None:
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
    _store(snapshot, replace=cached is not None or _Unstored.pending)
    return snapshot.at(now)


def state_for(request):
    """The State `request` is being answered under: the one the page cache
    worked out for it, or the current one."""
    return getattr(request, "page_cache_state", None) or current()


def refresh():
    """Store a new snapshot for every app server. Called by desk/services/
    once a change has been committed.

    Two writers committing close together each store what they loaded, and
    the older one may be stored last. So after storing, each checks the
    row's revision: whoever stored last then sees any newer change and
    stores again, and the cache never keeps an older edition than the
    database's."""
    for _ in range(5):
        snapshot = load()
        _store(snapshot, replace=True)
        latest = Edition.objects.filter(pk=1).values_list("revision", flat=True).first()
        if latest is None or latest <= snapshot.revision:
            return
    logger.warning("Edition still changing after five stores; readers load it")
    try:
        cache.delete(CACHE_KEY)
    except Exception as error:
        report(error, "Cache unavailable; edition not cleared")


class _Unstored:
    """Whether this process failed to store a snapshot (the cache was down
    when a change committed here). The cache may then still hold the one
    from before the change, so the next reading here loads afresh and
    stores it, rather than waiting out TIMEOUT."""

    pending = False


def _store(snapshot, *, replace):
    value = snapshot.to_cache()
    try:
        if replace:
            cache.set(CACHE_KEY, value, TIMEOUT)
        else:
            cache.add(CACHE_KEY, value, TIMEOUT)
        cache.set(LAST_KNOWN_KEY, value, None)
    except Exception as error:  # Any backend's connection error: optional.
        _Unstored.pending = True
        report(error, "Cache unavailable; edition not stored")
    else:
        _Unstored.pending = False


def _cache_get(key):
    try:
        return _snapshot(cache.get(key))
    except Exception as error:
        report(error, "Cache unavailable; loading the edition")
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


def reader_page(view=None, *, max_age=60, query=()):
    """Serve a reader page's view through the shared page cache, keyed on
    what readers can see now (core/pagecache.py); `max_age` is the
    browser's lifetime for the page, `query` the page-number parameters it
    reads ("page" for a listing, "p" for a sitemap).

        @method_decorator(reader_page(query=["page"]), name="dispatch")
        class FrontPage(ListView): ...
    """
    if view is None:
        return functools.partial(reader_page, max_age=max_age, query=tuple(query))

    @functools.wraps(view)
    def serve(request, *args, **kwargs):
        render = functools.partial(view, request, *args, **kwargs)
        if request.method not in ("GET", "HEAD"):
            return render()
        return pagecache.serve(
            request, render, edition=EDITION, max_age=max_age, query=query
        )

    return serve


class EditionPaginator(Paginator):
    """Django's paginator, with the number of stories taken from the edition
    (kept on its row by the services) instead of counted over the archive
    on every page. `scope` names the listing ("front", "source:<id>"),
    `state` the edition it is shown in (`state_for(request)`)."""

    def __init__(self, *args, scope, state, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope = scope
        self.state = state

    @functools.cached_property
    def count(self):
        return self.state.count(self.scope)
