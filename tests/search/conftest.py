import pytest

from tests.conftest import parse_html

SEARCH = "/search/"


@pytest.fixture
def search_page(client):
    """search_page("elections", section="sport"): the results page, parsed."""

    def search(q, **params):
        response = client.get(SEARCH, {"q": q, **params})
        assert response.status_code == 200, response.status_code
        return parse_html(response)

    return search


@pytest.fixture
def found(search_page):
    """found("elections", sort="newest"): the headlines a search finds on
    its first page, in the order shown."""

    def search(q, **params):
        page = search_page(q, **params)
        return [a.get_text() for a in page.select(".search-result__headline a")]

    return search
