import subprocess
import sys

import pytest
from django.db import OperationalError

pytestmark = pytest.mark.django_db


def test_404_page_is_in_the_site_design(client, html):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    page = html(response)
    assert page.h1.get_text() == "We couldn’t find that page"
    assert page.select_one(".masthead .site-name").get_text() == "Newsroom"
    assert b"Traceback" not in response.content


def test_unknown_host_gets_400(client):
    response = client.get("/", HTTP_HOST="evil.example.com")
    assert response.status_code == 400
    assert b"Traceback" not in response.content


def test_a_crash_shows_the_500_page_without_a_traceback(client, html, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("articles.views.FrontPageView.get", explode)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 500
    page = html(response)
    assert page.h1.get_text() == "Something went wrong on our side"
    assert "boom" not in response.content.decode()


DEAD_DATABASE_PROBE = """
import django
django.setup()
from django.test import Client, override_settings
# Unhashed static files: this checkout has not run collectstatic.
override_settings(STORAGES={
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}).enable()
client = Client(raise_request_exception=False)
for url in ["/", "/2016/12/24/a-story/", "/feeds/rss/"]:
    response = client.get(url)
    print(url, response.status_code, response.get("Retry-After"),
          b"right back" in response.content)
# An editor signing in: the admin needs the database too.
response = client.post("/admin/login/", {"username": "ed", "password": "pw"})
print("login", response.status_code, response.get("Retry-After"),
      b"right back" in response.content)
"""


def test_a_dead_database_gets_503_with_retry_after():
    # A real connection to a port where no database listens.
    result = subprocess.run(
        [sys.executable, "-c", DEAD_DATABASE_PROBE],
        env={
            "PATH": "/usr/bin:/bin",
            "ENV_FILE": "",
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            "SECRET_KEY": "k",
            "ALLOWED_HOSTS": "testserver",
            "HTTPS": "false",
            "DATABASE_URL": "postgres://postgres@127.0.0.1:9/newsroom",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    lines = [line.split() for line in result.stdout.splitlines()]
    assert lines == [
        [url, "503", "30", "True"]
        for url in ["/", "/2016/12/24/a-story/", "/feeds/rss/", "login"]
    ], result.stderr[-2000:]


def test_a_query_bug_with_the_database_up_is_a_500_not_an_outage(
    client, html, monkeypatch
):
    def broken_query(*args, **kwargs):
        raise OperationalError("no such column: articles_article.typo")

    monkeypatch.setattr("articles.selectors.front_page", broken_query)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 500
    assert html(response).h1.get_text() == "Something went wrong on our side"


def test_reader_pages_send_a_strict_content_security_policy(client):
    csp = client.get("/")["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp


def run_settings(env):
    return subprocess.run(
        [sys.executable, "-c", "import django.conf as c; c.settings.SECRET_KEY"],
        env={
            "PATH": "/usr/bin:/bin",
            "ENV_FILE": "",
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            **env,
        },
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize(
    ("env", "complaint"),
    [
        ({"ALLOWED_HOSTS": "x", "SITE_URL": "https://x"}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": "k", "SITE_URL": "https://x"}, "ALLOWED_HOSTS must be set"),
        (
            {"SECRET_KEY": "k", "ALLOWED_HOSTS": "*", "SITE_URL": "https://x"},
            "may not contain",
        ),
        ({"SECRET_KEY": "k", "ALLOWED_HOSTS": "x"}, "SITE_URL"),
        ({"SECRET_KEY": "k", "ALLOWED_HOSTS": "x", "HTTPS": "maybe"}, "true or false"),
    ],
)
def test_production_settings_refuse_to_start_half_configured(env, complaint):
    result = run_settings(env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and complaint in result.stderr


def test_production_settings_turn_on_https_protections():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT,"
            " s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)",
        ],
        env={
            "PATH": "/usr/bin:/bin",
            "ENV_FILE": "",
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            "SECRET_KEY": "k",
            "ALLOWED_HOSTS": "news.example.com",
            "SITE_URL": "https://news.example.com",
        },
        capture_output=True,
        text=True,
    )
    assert result.stdout.split() == ["True", "31536000", "True", "True"], result.stderr
