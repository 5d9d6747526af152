"""Every kind of reader page is valid HTML, as the Nu Html Checker (the
validator behind validator.w3.org/nu) reads it, and the stylesheet is valid
CSS.

The pages are rendered once with Django's test client into files and checked
in a single run of the checker: its JVM takes seconds to start, so one run
per module, not one per page.
"""

import io
import json
import shutil
import subprocess
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import Client, RequestFactory, override_settings

from articles.models import Source
from core.views import server_error
from tests.conftest import ROOT
from tests.factories import ArticleFactory

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
STYLESHEET = ROOT / "static" / "css" / "site.css"
# The pages are rendered by a module fixture, but pytest-django creates the
# test database only for a run that has tests marked as needing it.
pytestmark = pytest.mark.django_db

STORY = "/2016/12/24/russia-urges-peace-after-battle-for-aleppo/"

# Reader pages by file name, fetched with the test client: (URL, status).
PAGES = {
    "front": ("/", 200),
    "front-page-2": ("/?page=2", 200),
    "story": (STORY, 200),
    "source": ("/sources/aap/", 200),
    "not-found": ("/no/such/page/", 404),
    # Results with highlights and pages that keep the query, then the
    # page's other states: no query yet, nothing found, a date refused.
    "search": ("/search/?q=story+number&source=aap&sort=newest", 200),
    "search-passage": ("/search/?q=aleppo", 200),
    "search-empty": ("/search/", 200),
    "search-nothing": ("/search/?q=zebra&source=aap", 200),
    "search-invalid": ("/search/?q=story&from=2024-02-30&to=1800-01-01", 200),
}
ERROR_PAGES = ["bad-request", "server-error", "unavailable"]

# What the checker may say about our pages without failing the suite, as
# (page or "*", exact message), each with the reason it is acceptable. It is
# empty: the pages draw no warnings today, and a new one should be read and
# fixed (or justified here) rather than waved through by a pattern.
ALLOWED_MESSAGES: set[tuple[str, str]] = set()

# A page the checker must reject, proving that a clean result means it read
# the files rather than failing to.
BROKEN_PAGE = "<!doctype html><title>x</title><p><div>unclosed</p>"


def render_pages(directory):
    """Write every reader page into `directory` as NAME.html."""
    call_command("load_demo", stdout=io.StringIO())
    # Enough stories for pagination links on the front page (and in a
    # search's results).
    aap = Source.objects.get(slug="aap")
    ArticleFactory.create_batch(24, published=True, source=aap)
    reader = Client()
    for name, (url, status) in PAGES.items():
        response = reader.get(url)
        assert response.status_code == status, url
        (directory / f"{name}.html").write_bytes(response.content)

    editor = Client()
    editor.force_login(get_user_model().objects.create_superuser("editor"))
    draft = ArticleFactory(headline="A draft under review")
    response = editor.get(f"/preview/{draft.pk}/")
    assert response.status_code == 200
    (directory / "draft-preview.html").write_bytes(response.content)

    bad_host = reader.get("/", headers={"host": "evil.example.com"})
    assert bad_host.status_code == 400
    (directory / "bad-request.html").write_bytes(bad_host.content)
    crashed = server_error(RequestFactory().get("/"))
    (directory / "server-error.html").write_bytes(crashed.content)
    with mock.patch("core.views.database_reachable", return_value=False):
        unavailable = server_error(RequestFactory().get("/"))
    assert unavailable.status_code == 503
    (directory / "unavailable.html").write_bytes(unavailable.content)


def run_checker(paths):
    if not VNU.exists():
        pytest.fail(f"{VNU} is missing: `make test` installs it (npm ci).")
    java = shutil.which("java")
    if java is None:
        pytest.fail("java is missing: `make test` installs it (install-test-tools).")
    result = subprocess.run(
        [java, "-jar", str(VNU), "--format", "json", "--stdout"]
        + ["--also-check-css", *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    report = json.loads(result.stdout)
    messages = {path.name: [] for path in paths}
    for message in report["messages"]:
        name = message.get("url", "").rsplit("/", 1)[-1]
        messages.setdefault(name, []).append(message)
    return messages


@pytest.fixture(scope="module")
def checker_says(django_db_setup, django_db_blocker, tmp_path_factory):
    directory = tmp_path_factory.mktemp("pages")
    with (
        django_db_blocker.unblock(),
        override_settings(
            MEDIA_ROOT=tmp_path_factory.mktemp("media"),
            STORAGES={
                "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                "staticfiles": {
                    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
                },
            },
        ),
        transaction.atomic(),
    ):
        render_pages(directory)
        # Leave the test database as every other test expects it: empty.
        transaction.set_rollback(True)
    (directory / "broken.html").write_text(BROKEN_PAGE)
    shutil.copy(STYLESHEET, directory / STYLESHEET.name)
    return run_checker(sorted(directory.iterdir()))


def complaints(messages, page):
    return [
        f"{m['type']}{'/' + m['subType'] if 'subType' in m else ''} "
        f"line {m.get('lastLine')}: {m['message']}\n    {m.get('extract', '')!r}"
        for m in messages
        if (page, m["message"]) not in ALLOWED_MESSAGES
        and ("*", m["message"]) not in ALLOWED_MESSAGES
    ]


@pytest.mark.parametrize("page", [*PAGES, "draft-preview", *ERROR_PAGES], ids=str)
def test_page_is_valid_html(checker_says, page):
    said = checker_says[f"{page}.html"]
    assert complaints(said, page) == [], "\n".join(complaints(said, page))


def test_stylesheet_is_valid_css(checker_says):
    said = checker_says[STYLESHEET.name]
    assert complaints(said, "site.css") == [], "\n".join(complaints(said, "css"))


def test_the_checker_rejects_a_broken_page(checker_says):
    errors = [m for m in checker_says["broken.html"] if m["type"] == "error"]
    assert errors, "the checker found nothing wrong with a broken page"
