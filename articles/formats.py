"""How times read on the site, in the admin and in feeds."""

import datetime

from django.utils import timezone
from django.utils.dateformat import format as format_date


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
