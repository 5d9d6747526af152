import datetime
from zoneinfo import ZoneInfo

from articles.formats import machine_time, newsroom_time

UTC = datetime.UTC


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
