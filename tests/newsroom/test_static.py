"""Static files as production serves them: collected with hashed names and
served by WhiteNoise with far-future caching, so a returning reader's
browser asks for them again only when they change."""

import re

import pytest
from django.templatetags.static import static

pytestmark = pytest.mark.django_db

ONE_YEAR = 365 * 24 * 60 * 60


def max_age(response):
    return int(re.search(r"max-age=(\d+)", response["Cache-Control"]).group(1))


@pytest.mark.parametrize("name", ["css/site.css", "js/share.js", "img/favicon.svg"])
def test_pages_link_hashed_names_cached_for_a_year(collected, name):
    url = static(name)
    assert re.search(r"\.[0-9a-f]{12}\.\w+$", url), url
    response = collected.get(url)
    assert response.status_code == 200
    assert max_age(response) >= ONE_YEAR
    assert "immutable" in response["Cache-Control"]


def test_the_story_page_links_the_hashed_stylesheet_and_script(
    collected, demo_article, html
):
    page = html(collected.get(demo_article.get_absolute_url()))
    stylesheet = page.select_one('link[rel="stylesheet"]')["href"]
    script = page.select_one("script[src]")["src"]
    assert stylesheet == static("css/site.css") != "/static/css/site.css"
    assert script == static("js/share.js") != "/static/js/share.js"


def test_static_files_are_served_compressed(collected):
    response = collected.get(
        static("css/site.css"), headers={"accept-encoding": "gzip"}
    )
    assert response["Content-Encoding"] == "gzip"
    assert response["Vary"] == "Accept-Encoding"


def test_unhashed_names_are_cached_only_briefly(collected):
    # An old name may change content at any deploy; it must not stick.
    response = collected.get("/static/css/site.css")
    assert response.status_code == 200
    assert max_age(response) <= 60 * 60
