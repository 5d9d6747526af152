import datetime
from zoneinfo import ZoneInfo

import pytest

from articles import formats
from articles.formats import machine_time, newsroom_time

UTC = datetime.UTC
SYDNEY = ZoneInfo("Australia/Sydney")


def test_machine_time_is_a_valid_html_datetime_in_the_newsroom_zone(settings):
    settings.TIME_ZONE = "Australia/Sydney"
    moment = datetime.datetime(2016, 12, 23, 22, 44, 5, 123456, tzinfo=UTC)
    # HTML allows at most three digits of a fraction of a second.
    assert machine_time(moment) == "2016-12-24T09:44:05+11:00"


def test_newsroom_time_reads_like_a_newspaper(settings):
    settings.TIME_ZONE = "Australia/Sydney"
    moment = datetime.datetime(2016, 12, 24, 9, 44, tzinfo=ZoneInfo("Australia/Sydney"))
    assert newsroom_time(moment) == "24 December 2016 9:44am"


def test_missing_times_render_as_nothing():
    assert machine_time(None) == "" and newsroom_time(None) == ""


@pytest.mark.parametrize(
    "age, says",
    [
        (datetime.timedelta(seconds=59), "Just now"),
        (datetime.timedelta(minutes=1), "1 minute ago"),
        (datetime.timedelta(minutes=59, seconds=59), "59 minutes ago"),
        (datetime.timedelta(hours=1), "1 hour ago"),
        (datetime.timedelta(hours=23, minutes=59), "23 hours ago"),
        (datetime.timedelta(hours=24), "7 December 2026 10:00am"),
        (-datetime.timedelta(minutes=5), "8 December 2026 10:05am"),
    ],
)
def test_relative_times_for_a_day_then_the_time(age, says):
    now = datetime.datetime(2026, 12, 8, 10, 0, tzinfo=SYDNEY)
    assert formats.relative_time(now - age, now=now) == says
