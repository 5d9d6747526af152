"""The search page: its form and messages, pagination that keeps the
query, headers, highlights shown as text, and its cost."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search.query import MAX_LENGTH
from tests.conftest import cache_control, parse_html
from tests.factories import ArticleFactory, SourceFactory
from tests.search.conftest import SEARCH

pytestmark = pytest.mark.django_db


def text_of(page, selector):
    return " ".join(page.select_one(selector).get_text().split())


def test_without_a_query_the_page_says_what_to_type(client):
    response = client.get(SEARCH)
    assert response.status_code == 200
    page = parse_html(response)
    assert "Type a word or a few" in text_of(page, ".search-message")
    assert page.select(".search-result") == []
    for field in page.select("form input, form select"):
        assert page.select_one(f"label[for={field['id']}]"), field["name"]


def test_results_pages_are_not_for_search_engines_and_keep_a_minute(client):
    response = client.get(SEARCH, {"q": "anything"})
    assert response["X-Robots-Tag"] == "noindex"
    robots = parse_html(response).select_one('meta[name="robots"]')
    assert robots["content"] == "noindex"
    assert cache_control(response) == {"public": True, "max-age": 60}


def test_the_count_and_the_query_are_said(search_page):
    for n in range(3):
        ArticleFactory(published=True, headline=f"Election update {n}")
    assert text_of(search_page("election"), ".search-count") == (
        "3 stories match “election”"
    )
    assert text_of(search_page("update 1"), ".search-count") == (
        "1 story matches “update 1”"
    )


def test_a_query_with_nothing_to_look_for_says_so(search_page):
    message = text_of(search_page("-the"), ".search-message")
    assert message.startswith("“-the” leaves nothing to look for")


def test_nothing_found_suggests_removing_the_filters(search_page):
    SourceFactory(slug="wire")
    plain = text_of(search_page("zebra"), ".search-message")
    assert plain.startswith("No stories match “zebra”.")
    filtered = text_of(search_page("zebra", source="wire"), ".search-message")
    assert "with these filters" in filtered


def test_a_long_query_is_cut_not_refused(search_page):
    ArticleFactory(published=True, headline="Zebra crossing approved")
    page = search_page("zebra " + "x" * 10_000)
    assert len(page.select_one("#id_q")["value"]) == MAX_LENGTH
    assert page.select_one("#id_q")["maxlength"] == str(MAX_LENGTH)
    assert page.select(".search-result") == []  # "xxx…" matches nothing


@pytest.mark.parametrize(
    ("params", "field", "error"),
    [
        ({"from": "2024-02-30"}, "from", "There is no such date"),
        ({"to": "0001-01-01"}, "to", "Give a date between the years 1900 and 2200."),
        ({"from": "2024-03-02", "to": "2024-03-01"}, "to", "This comes before"),
        ({"section": "no-such-section"}, "section", "Select a valid choice."),
        ({"sort": "random"}, "sort", "Select a valid choice."),
    ],
)
def test_a_filter_that_cannot_be_read_is_an_error_on_the_page(
    search_page, params, field, error
):
    ArticleFactory(published=True, headline="Zebra crossing approved")
    page = search_page("zebra", **params)
    assert page.select_one(f"#id_{field}")["aria-invalid"] == "true"
    assert error in text_of(page, f"#id_{field}_error")
    assert page.select(".search-result") == []
    assert page.select_one("[role=alert]")


def test_an_impossible_date_is_not_given_back_to_the_date_input(search_page):
    page = search_page("zebra", **{"from": "2024-02-30", "to": "2024-03-01"})
    assert not page.select_one("#id_from").get("value")
    assert page.select_one("#id_to")["value"] == "2024-03-01"


@pytest.fixture
def many(editor):
    source = SourceFactory(slug="wire")
    return ArticleFactory.create_batch(
        25, published=True, headline="Market report", source=source
    )


def test_pages_keep_the_query_and_its_filters(client, many):
    first = parse_html(
        client.get(SEARCH, {"q": "market", "source": "wire", "section": ""})
    )
    assert len(first.select(".search-result")) == 20
    following = first.select_one("a[rel=next]")
    assert following.get_text() == "More results"
    assert following["href"] == "?q=market&source=wire&page=2"
    second = parse_html(client.get(SEARCH + following["href"]))
    assert len(second.select(".search-result")) == 5
    assert second.select_one("ol.search-results")["start"] == "21"
    assert second.select_one("a[rel=prev]")["href"] == "?q=market&source=wire&page=1"
    assert "page 2 of 2" in text_of(second, ".search-count")


@pytest.mark.parametrize(
    "page", ["3", "0", "-1", "abc", "1.5", "99999999999999999999", "", "%00"]
)
def test_a_page_that_is_not_there_is_not_found(client, many, page):
    response = client.get(f"{SEARCH}?q=market&page={page}")
    if page in ["", "%00"]:
        # The first page; a NUL is refused site-wide with 400.
        assert response.status_code == (200 if page == "" else 400)
    else:
        assert response.status_code == 404


def test_hostile_text_in_a_story_comes_out_as_text(search_page):
    ArticleFactory(
        published=True,
        headline="<script>alert(1)</script> election <b>night</b>",
        standfirst="<img src=x onerror=alert(2)> The count goes on.",
        body="Polls close at <em>six</em>. <script>alert(3)</script> The election "
        "count begins.",
    )
    page = search_page("election")
    result = page.select_one(".search-result")
    assert result.select("script, img, b, em") == []
    headline = result.select_one(".search-result__headline a")
    assert headline.get_text() == "<script>alert(1)</script> election <b>night</b>"
    assert [mark.get_text() for mark in headline.select("mark")] == ["election"]
    snippet = result.select_one(".search-result__snippet")
    assert "<script>alert(3)</script> The election count begins." in snippet.get_text()
    assert [mark.get_text() for mark in snippet.select("mark")] == ["election"]


def test_a_long_body_shows_the_passage_that_matched(search_page):
    filler = " ".join(f"word{n}" for n in range(200))
    ArticleFactory(
        published=True,
        headline="A long read",
        body=f"{filler} The referendum result was close. {filler}",
    )
    snippet = search_page("referendum").select_one(".search-result__snippet")
    text = snippet.get_text()
    assert text.startswith("… ") and text.endswith(" …")
    assert "The referendum result was close." in text
    assert len(text.split()) <= 32


def test_a_search_costs_the_same_queries_whatever_the_number_of_stories(client):
    def queries():
        with CaptureQueriesContext(connection) as context:
            response = client.get(SEARCH, {"q": "market", "sort": "newest"})
        assert response.status_code == 200
        return len(context)

    ArticleFactory(published=True, headline="Market report")
    few = queries()
    ArticleFactory.create_batch(30, published=True, headline="Market report")
    SourceFactory.create_batch(3)
    assert queries() == few


def test_a_search_runs_one_count_and_one_page_of_results(
    client, many, django_assert_max_num_queries
):
    client.get("/")  # the edition in the cache, as on a live site
    # The sections and sources offered, the count, the page; the
    # masthead's sections and the footer's pages.
    with django_assert_max_num_queries(6):
        response = client.get(SEARCH, {"q": "market"})
    assert len(parse_html(response).select(".search-result")) == 20


def test_every_page_names_the_search_for_browsers(client, html):
    head = html(client.get("/")).select_one('head link[rel="search"]')
    assert head["type"] == "application/opensearchdescription+xml"
    assert head["href"] == "/opensearch.xml"
    assert head["title"] == "Newsroom"
