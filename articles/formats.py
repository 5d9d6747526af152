"""How times read on the site, in the admin and in feeds."""

from django.utils import timezone
from django.utils.dateformat import format as format_date


def newsroom_time(value):
    """'24 December 2016 9:44am' in the newsroom's time zone."""
    if not value:
        return ""
    local = timezone.localtime(value)
    return format_date(local, "j F Y g:i") + ("am" if local.hour < 12 else "pm")


def machine_time(value):
    """'2016-12-24T09:44:00+11:00' for a <time datetime>.

    Django's `date:"c"` keeps microseconds, and HTML allows at most three
    digits of a fraction of a second; whole seconds are precise enough.
    """
    if not value:
        return ""
    return timezone.localtime(value).replace(microsecond=0).isoformat()
