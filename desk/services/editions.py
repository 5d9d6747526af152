"""How a change reaches readers: whether a story is live, scheduled or
hidden, and, when that changes, a new edition in the same transaction and,
once committed, the edition stored for every app server and the CDN
purged (articles/edition.py, core/cdn.py)."""

from django.db import transaction
from django.utils import timezone

from articles import edition
from articles.models import (
    Article,
    Edition,
)
from core import cdn

# How a change reaches readers: a story is live, scheduled, or neither.
HIDDEN, SCHEDULED, LIVE = "hidden", "scheduled", "live"


def visibility(story, now=None):
    if story.status != Article.Status.PUBLISHED or story.published_at is None:
        return HIDDEN
    return LIVE if story.published_at <= (now or timezone.now()) else SCHEDULED


def shown(story, *, before, after=None, tags=None):
    """Record what this change to `story` does to what readers see."""
    after = after or visibility(story)
    if LIVE in (before, after):
        new_edition(tags=tags or pages_showing(story))
    elif SCHEDULED in (before, after):
        new_schedule(tags=tags or pages_showing(story))


def new_edition(*, tags):
    """A change readers can see: raise the edition number in this
    transaction; after it commits, store the new edition for every app
    server and purge what the CDN holds."""
    _record_edition(visible=True)
    _after_commit().tags.update(tags)


def new_schedule(*, tags):
    """Nothing readers see has changed yet, but what the clock will bring
    has: a story was scheduled, rescheduled or unscheduled. The pages that
    will show it are purged too: a CDN's copy fetched before now knows
    nothing of the new time, and would keep its full lifetime past it."""
    _record_edition(visible=False)
    _after_commit().tags.update(tags)


def _record_edition(*, visible):
    now = timezone.now()
    # Locked first: the schedule below then sees every change committed by
    # a writer that held the lock before this one.
    row, _ = Edition.objects.select_for_update().get_or_create(pk=1)
    if visible:
        row.number += 1
        row.changed_at = now
    row.revision += 1
    for name, value in edition.schedule(now).items():
        setattr(row, name, value)
    row.save()


class _AfterCommit:
    """What follows the commit of a transaction that changed the edition,
    once however many changes it held (a bulk action): the new edition
    stored for every app server, then one purge of every page affected."""

    def __init__(self):
        self.tags = set()

    def __call__(self):
        edition.refresh()
        cdn.purge(self.tags)


def _after_commit():
    # Django keeps the callbacks of the open transaction on the connection:
    # find this transaction's, or register one.
    callbacks = transaction.get_connection().run_on_commit
    for _, callback, _ in callbacks:
        if isinstance(callback, _AfterCommit):
            return callback
    callback = _AfterCommit()
    transaction.on_commit(callback, robust=True)
    return callback


def reason_for(before, story, default):
    after = visibility(story)
    if after == before or (before == LIVE and after != HIDDEN):
        return default
    return {LIVE: "Published", SCHEDULED: "Scheduled", HIDDEN: "Unpublished"}[after]


def pages_showing(story):
    """The CDN tags of every page that shows `story` as it is saved now
    (core/pagecache.py): its own, its source's, section's, authors' and
    topics' pages, and the site-wide listings."""
    tags = {f"story-{story.pk}", f"source-{story.source.slug}", "front"}
    tags |= {"feeds", "sitemaps"}
    if story.section_id:
        tags.add(f"section-{story.section.slug}")
    if story.pk:
        tags |= {
            f"author-{slug}" for slug in story.authors.values_list("slug", flat=True)
        }
        tags |= {
            f"topic-{slug}" for slug in story.topics.values_list("slug", flat=True)
        }
    return tags
