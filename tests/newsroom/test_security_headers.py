"""The security headers every kind of response carries, read off real
responses: a reader's page (rendered, then from the page cache), a feed,
the desk's login, an uploaded image and a static file.

nginx serves /static/ and /media/ itself in production: its headers are
checked in tests/newsroom/test_nginx.py, and gunicorn's in
tests/newsroom/test_app_server_headers.py.
"""

import re

import pytest
from django.templatetags.static import static

from tests.conftest import cache_control
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

# What the site never uses, so no page, and nothing injected into one, may.
DENIED = [
    "camera",
    "microphone",
    "geolocation",
    "payment",
    "usb",
    "serial",
    "hid",
    "midi",
    "display-capture",
    "browsing-topics",
    "accelerometer",
    "gyroscope",
    "magnetometer",
]
# What it does use: share.js opens the system share sheet and copies links.
ALLOWED = ["web-share", "clipboard-write"]


def directives(header, separator):
    """'a x y; b z' as {"a": "x y", "b": "z"} (CSP), or 'a=(), b=(self)' as
    {"a": "()", "b": "(self)"} (Permissions-Policy)."""
    found = {}
    for part in header.split(separator):
        name, _, value = part.strip().partition("=" if separator == "," else " ")
        if name:
            assert name not in found, f"{name} twice in {header!r}"
            found[name] = value.strip()
    return found


def csp(response):
    return directives(response["Content-Security-Policy"], ";")


def assert_common_headers(response):
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Server" not in response
    policy = directives(response["Permissions-Policy"], ",")
    for feature in DENIED:
        assert policy.get(feature) == "()", feature
    for feature in ALLOWED:
        assert feature not in policy, feature


def assert_page_headers(response):
    assert_common_headers(response)
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    policy = csp(response)
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["base-uri"] == "'self'"
    assert policy["form-action"] == "'self'"


@pytest.fixture
def story(db):
    return ArticleFactory(published=True)


def test_a_story_page_rendered_and_from_the_cache(client, story):
    url = story.get_absolute_url()
    for _ in range(2):  # the second comes from the page cache
        response = client.get(url)
        assert response.status_code == 200
        assert_page_headers(response)
        assert csp(response)["style-src"] == "'self'"


@pytest.mark.parametrize("url", ["/", "/feeds/rss/", "/sitemap.xml", "/no/such/"])
def test_reader_pages_feeds_and_errors(client, story, url):
    response = client.get(url)
    assert response.status_code in {200, 404}
    assert_page_headers(response)


def test_the_desk_login(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert_page_headers(response)
    # The desk's own policy: scripts only from the site, no inline ones.
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_the_desk_for_a_signed_in_editor(editor_client):
    response = editor_client.get("/admin/articles/article/")
    assert response.status_code == 200
    assert_page_headers(response)


def test_an_uploaded_image(client, settings):
    photo = settings.MEDIA_ROOT / "articles" / "2016" / "12" / "harbour.jpg"
    photo.parent.mkdir(parents=True)
    photo.write_bytes(b"\xff\xd8\xff\xe0 a picture")
    response = client.get("/media/articles/2016/12/harbour.jpg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert_common_headers(response)
    # Feed readers on other sites show the story's pictures.
    assert response["Cross-Origin-Resource-Policy"] == "cross-origin"
    # Not content-addressed: a day, not a year (docs/operations.md).
    assert cache_control(response) == {"public": True, "max-age": 86400}


def test_a_static_file(collected):
    response = collected.get(static("img/logo.png"))
    assert response.status_code == 200
    assert_common_headers(response)
    assert response["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert re.search(r"max-age=31536000", response["Cache-Control"])
