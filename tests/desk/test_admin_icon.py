"""The desk's pages name the site's icon, as the reader's do: a browser
would otherwise ask for /favicon.ico (a 404) on every admin page."""

import pytest
from django.contrib.staticfiles import finders

from tests.conftest import parse_html

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/admin/login/",
        "/admin/",
        "/admin/articles/article/",
        "/admin/articles/article/add/",
    ],
)
def test_admin_pages_name_the_site_icon(admin_client, client, url):
    viewer = client if url == "/admin/login/" else admin_client
    page = parse_html(viewer.get(url))
    icon = page.find("link", rel="icon")
    assert icon is not None and icon["href"].endswith(".svg"), url
    assert icon["href"] == parse_html(client.get("/")).find("link", rel="icon")["href"]
    assert finders.find("img/favicon.svg")
