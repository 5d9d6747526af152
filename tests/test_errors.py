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
    assert page.select_one(".site-header .site-name").get_text() == "Newsroom"
    assert b"Traceback" not in response.content


def test_unknown_host_gets_400(client):
    response = client.get("/", HTTP_HOST="evil.example.com")
    assert response.status_code == 400
    assert b"Traceback" not in response.content


def test_a_crash_shows_the_500_page_without_a_traceback(client, html, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("articles.views.ArticleListView.get", explode)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 500
    page = html(response)
    assert page.h1.get_text() == "Something went wrong on our side"
    assert "boom" not in response.content.decode()


def test_a_dead_database_gets_503_with_retry_after(client, html, monkeypatch):
    def unreachable(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("articles.views.ArticleListView.get_queryset", unreachable)
    response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert html(response).h1.get_text() == "We’ll be right back"


def test_reader_pages_send_a_strict_content_security_policy(client):
    csp = client.get("/")["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp


def run_settings(env):
    return subprocess.run(
        [sys.executable, "-c", "import django.conf as c; c.settings.SECRET_KEY"],
        env={
            "PATH": "/usr/bin:/bin",
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
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            "SECRET_KEY": "k",
            "ALLOWED_HOSTS": "news.example.com",
            "SITE_URL": "https://news.example.com",
        },
        capture_output=True,
        text=True,
    )
    assert result.stdout.split() == ["True", "31536000", "True", "True"], result.stderr
