"""Whatever a reader (or a script) puts in the search's address, the answer
is a normal page or a 404 for a page that is not there: never a server
error, on either database."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import parse_html
from tests.factories import ArticleFactory
from tests.search.conftest import SEARCH

pytestmark = pytest.mark.django_db

EXAMPLES = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)

# What FTS5, websearch_to_tsquery, SQL and HTML make something of.
SYNTAX = [
    '"', "'", "*", "-", "+", "^", ":", "(", ")", "NEAR(", "NEAR/2", "col:",
    "headline:", "AND", "OR", "NOT", "or", "-or", '""', "\\", ";", "--", "/*",
    "%", "_", "<script>", "&amp;", "\u202e", "\u200f", "🗳️", "👩‍👩‍👧", "ﷺ",
    "\x02", "\x03", "\ufffe", "\x0b", "الانتخابات", "選挙", "e\u0301",
    " ", "\t", "\n", "the", "election", "elections",
]  # fmt: skip
QUERIES = st.one_of(
    st.text(max_size=60),
    st.lists(st.sampled_from(SYNTAX), max_size=12).map(" ".join),
    st.lists(st.sampled_from(SYNTAX), max_size=12).map("".join),
)
DATES = st.sampled_from(["2024-02-29", "0000-01-01", "9999-12-31", "2024-13-01"])
PARAMS = st.fixed_dictionaries(
    {"q": QUERIES},
    optional={
        "section": st.one_of(st.just("news"), st.text(max_size=10)),
        "source": st.text(max_size=10),
        "from": st.one_of(DATES, st.text(max_size=12)),
        "to": st.one_of(DATES, st.text(max_size=12)),
        "sort": st.sampled_from(["newest", "relevance", "", "random"]),
        "page": st.one_of(st.integers(-5, 10**25).map(str), st.text(max_size=5)),
    },
)


@pytest.fixture
def stories():
    ArticleFactory(published=True, headline="Election night: the count")
    ArticleFactory(published=True, headline="<b>Elections</b> & \"quotes\" 'too'")
    ArticleFactory(headline="A draft election story")


def test_no_search_is_a_server_error(client, stories):
    @EXAMPLES
    @given(params=PARAMS)
    def check(params):
        response = client.get(SEARCH, params)
        expected = {200, 404} if "page" in params else {200}
        if "\x00" in "".join(params.values()):
            expected = {400}
        assert response.status_code in expected, (params, response.status_code)

    check()


@pytest.mark.parametrize(
    "q",
    [
        '"',
        '"""',
        "*",
        "election*",
        "NEAR(election count)",
        "headline:election",
        "election AND",
        "OR election",
        "election NOT",
        "(election",
        "'; DROP TABLE search_searchentry; --",
        "1' OR '1'='1",
        "🗳️ election 🗳️",
        "الانتخابات election",
        "-",
        "--election",
        "x" * 10_000,
    ],
)
def test_query_syntax_is_never_an_error(client, stories, q):
    response = client.get(SEARCH, {"q": q})
    assert response.status_code == 200
    assert parse_html(response).select_one("h1").get_text() == "Search"


def test_a_nul_character_is_refused_as_everywhere_else(client):
    assert client.get(SEARCH + "?q=%00").status_code == 400
