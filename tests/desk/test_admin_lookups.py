"""Addresses typed or tampered with in the story list: a date the database
cannot answer gets the admin's "invalid lookup" handling, never a 500
(on SQLite and PostgreSQL alike)."""

import pytest

from tests.desk.admin_forms import CHANGELIST
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

INVALID = [
    "published_at__year=1",
    "published_at__year=1&published_at__month=1&published_at__day=1",
    "published_at__year=9999",
    "published_at__year=9999&published_at__month=12",
    "published_at__year=9999&published_at__month=12&published_at__day=31",
    "published_at__year=99999",
    "published_at__year=99999999999999999999",
    "published_at__year=-1",
    "published_at__year=two",
    "published_at__year=2016&published_at__month=13",
    "published_at__year=2016&published_at__month=2&published_at__day=30",
    "published_at__gte=0001-01-01",
    "published_at__lt=0001-01-01",
    "published_at__gte=99999-12-31",
    "published_at__gte=junk",
]


@pytest.mark.parametrize("query", INVALID)
def test_an_impossible_date_is_an_invalid_lookup(editor_client, query):
    ArticleFactory(published=True)
    editor_client.raise_request_exception = False
    response = editor_client.get(f"{CHANGELIST}?{query}")
    assert response.status_code == 302, response.status_code
    assert response["Location"] == f"{CHANGELIST}?e=1"


@pytest.mark.parametrize(
    "query",
    [
        "published_at__year=2016",
        "published_at__year=1900",
        "published_at__year=2200&published_at__month=12&published_at__day=31",
    ],
)
def test_a_year_in_range_still_drills_down(editor_client, query):
    ArticleFactory(published=True)
    assert editor_client.get(f"{CHANGELIST}?{query}").status_code == 200
