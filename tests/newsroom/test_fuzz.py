"""Property-based tests (hypothesis): whatever a reader, a crawler or a
logged-in editor puts in an address, no answer is a server error.

Every public URL pattern is filled with generated values (well-formed and
not), with generated query parameters, the ones the pages read among them;
then the admin's list of stories with its filters, search, ordering, date
drill-down and page number, and its autocomplete. The values come from an
alphabet rich in what breaks things: NUL and other control characters,
non-characters, lone surrogates' neighbours, digits of other scripts, huge
numbers, percent signs and dots.
"""

import datetime
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.models import Article
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    SectionFactory,
    SitePageFactory,
    SourceFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

EXAMPLES = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,  # the same examples on every run: a failure reproduces
)

HOSTILE = st.one_of(
    st.text(max_size=40),
    st.lists(
        st.sampled_from(
            list("09-_.%/+ ~aZ")
            + ["\x00", "\x0b", "\x1f", "\x7f", "\ufffe", "\uffff", "\u202e"]
            + ["٣", "２", "𝟗", "\u00a0", "../", "%00", "%2F", "\\"]
        ),
        max_size=20,
    ).map("".join),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(["", "0", "-1", "1e9", "99999999999", "last", "NaN", "２", "01"]),
)


@pytest.fixture
def site():
    source = SourceFactory(slug="wire")
    SitePageFactory(slug="about")
    story = ArticleFactory(
        published=True,
        source=source,
        slug="harbour-reopens",
        section=SectionFactory(slug="world"),
        authors=[AuthorFactory(slug="jane")],
        topics=[TopicFactory(slug="harbours")],
    )
    ArticleFactory(source=source, slug="a-draft")
    return story


def reader_paths(story):
    """Each public URL pattern, as a template over generated values."""
    day = story.published_at.date()
    return st.one_of(
        st.just("/"),
        st.builds(
            lambda y, m, d, slug: f"/{y}/{m}/{d}/{quote(slug, safe='')}/",
            st.one_of(st.just(f"{day:%Y}"), HOSTILE),
            st.one_of(st.just(f"{day:%m}"), HOSTILE),
            st.one_of(st.just(f"{day:%d}"), HOSTILE),
            st.one_of(st.sampled_from([story.slug, "a-draft"]), HOSTILE),
        ),
        st.builds(
            lambda kind, slug, tail: f"/{kind}/{quote(slug, safe='')}/{tail}",
            st.sampled_from(["sources", "sections", "authors", "topics"]),
            st.one_of(st.sampled_from(["wire", "world", "jane", "harbours"]), HOSTILE),
            st.sampled_from(["", "rss/", "atom/"]),
        ),
        st.builds(
            lambda slug: f"/{quote(slug, safe='')}/",
            st.one_of(st.sampled_from(["about", "latest"]), HOSTILE),
        ),
        st.sampled_from(["/feeds/rss/", "/feeds/atom/", "/feeds/json/"]),
        st.builds(
            lambda section: f"/sitemap-{quote(section, safe='')}.xml",
            st.one_of(
                st.sampled_from(
                    ["stories", "sources", "sections", "authors", "topics", "pages"]
                ),
                HOSTILE,
            ),
        ),
        st.sampled_from(["/sitemap.xml", "/robots.txt", "/healthz"]),
        st.builds(lambda pk: f"/preview/{pk}/", st.integers(0, 10**12)),
        st.builds(lambda rest: "/" + quote(rest, safe="/"), HOSTILE),
    )


QUERY = st.dictionaries(
    st.one_of(st.sampled_from(["page", "p", "q", "utm_source", "format"]), HOSTILE),
    HOSTILE,
    max_size=3,
)


def query_string(params):
    return urlencode(params) if params else ""


def test_no_public_address_is_a_server_error(client, site):
    @EXAMPLES
    @given(path=reader_paths(site), params=QUERY)
    def check(path, params):
        response = client.get(path, QUERY_STRING=query_string(params))
        assert response.status_code < 500, (path, params, response.status_code)

    check()


ADMIN_FILTERS = st.dictionaries(
    st.sampled_from(
        [
            "state",
            "source__id__exact",
            "published_at__year",
            "published_at__month",
            "published_at__day",
            "published_at__gte",
            "published_at__lt",
            "q",
            "o",
            "p",
            "e",
            "all",
            "_to_field",
            "_popup",
        ]
    ),
    HOSTILE,
    max_size=4,
)


def test_no_admin_list_or_autocomplete_is_a_server_error(admin_client, site):
    @EXAMPLES
    @given(params=ADMIN_FILTERS)
    def changelist(params):
        response = admin_client.get(
            "/admin/articles/article/", QUERY_STRING=query_string(params)
        )
        assert response.status_code < 500, (params, response.status_code)

    @EXAMPLES
    @given(
        term=HOSTILE,
        page=HOSTILE,
        field=st.sampled_from(["source", "nothing"]),
        model=st.sampled_from(["article", "source", "nothing"]),
    )
    def autocomplete(term, page, field, model):
        params = {
            "app_label": "articles",
            "model_name": model,
            "field_name": field,
            "term": term,
            "page": page,
        }
        response = admin_client.get(
            "/admin/autocomplete/", QUERY_STRING=urlencode(params)
        )
        assert response.status_code < 500, (params, response.status_code)

    @EXAMPLES
    @given(query=HOSTILE)
    def other_lists(query):
        for url in ["/admin/articles/source/", "/admin/articles/article/history/"]:
            response = admin_client.get(url, {"q": query})
            assert response.status_code < 500, (url, query, response.status_code)

    changelist()
    autocomplete()
    other_lists()


def test_the_generated_addresses_reach_real_pages(client, site):
    """The strategies are not all noise: the well-formed values they start
    from find the story, its source, section, author and topic, a site
    page, and the second page of the latest news."""
    ArticleFactory.create_batch(
        20,
        published=True,
        source=site.source,
        published_at=datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC),
    )
    assert client.get(site.get_absolute_url()).status_code == 200
    for url in [
        "/sources/wire/",
        "/sections/world/",
        "/authors/jane/",
        "/topics/harbours/",
        "/about/",
        "/latest/?page=2",
    ]:
        assert client.get(url).status_code == 200, url
    assert Article.objects.published().count() == 21
