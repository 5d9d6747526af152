"""How times read on the site, in the admin and in feeds."""

import datetime

from django.utils import timezone
from django.utils.dateformat import format as format_date

from core import pagecache


def local_time(value):
    """`value` in the newsroom's time zone; in UTC when that time is not one
    Python can hold (the first or last hours of years 1 and 9999, which the
    model refuses, but which a row written before that rule may have)."""
    try:
        return timezone.localtime(value)
    except OverflowError:
        return value.astimezone(datetime.UTC)


def newsroom_time(value):
    """'24 December 2016 9:44am' in the newsroom's time zone."""
    if not value:
        return ""
    local = local_time(value)
    return format_date(local, "j F Y g:i") + ("am" if local.hour < 12 else "pm")


def machine_time(value):
    """'2016-12-24T09:44:00+11:00' for a <time datetime>.

    Django's `date:"c"` keeps microseconds, and HTML allows at most three
    digits of a fraction of a second; whole seconds are precise enough.
    """
    if not value:
        return ""
    return local_time(value).replace(microsecond=0).isoformat()


def relative_time(value, now=None):
    """'Just now', '5 minutes ago', '2 hours ago' for a time in the last
    day; newsroom_time for any other. The page being rendered is told when
    the words change (core/pagecache.py): a cached copy never says
    '5 minutes ago' of a story out for an hour."""
    if not value:
        return ""
    now = now or timezone.now()
    age = now - value
    if not datetime.timedelta(0) <= age < datetime.timedelta(days=1):
        return newsroom_time(value)
    minutes = int(age.total_seconds() // 60)
    if minutes < 60:
        pagecache.changes_at(value + datetime.timedelta(minutes=minutes + 1))
        if minutes == 0:
            return "Just now"
        return f"{minutes} minute{'' if minutes == 1 else 's'} ago"
    hours = minutes // 60
    pagecache.changes_at(value + datetime.timedelta(hours=hours + 1))
    return f"{hours} hour{'' if hours == 1 else 's'} ago"


def today(now=None):
    """'Tuesday 8 December 2026' in the newsroom's time zone, for the
    masthead; the page being rendered changes at midnight there."""
    local = local_time(now or timezone.now())
    midnight = datetime.datetime.combine(
        local.date() + datetime.timedelta(days=1), datetime.time(), local.tzinfo
    )
    pagecache.changes_at(midnight)
    return format_date(local, "l j F Y")
