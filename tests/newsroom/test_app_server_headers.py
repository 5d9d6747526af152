"""A real gunicorn, started from gunicorn.conf.py, and a real nginx from
deploy/nginx/newsroom.conf in front of one: the headers readers get, the
server's name kept to itself, and the login throttle seeing each client's
own address through the proxy and logging every failure.

Marked `postgres`: the servers share the test database (tests/servers.py).
"""

import ssl

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from tests.factories import PASSWORD, ArticleFactory, UserFactory
from tests.newsroom.test_security_headers import DENIED
from tests.nginx import Visitor, nginx
from tests.servers import free_port, gunicorn

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

LIMIT = settings.AXES_FAILURE_LIMIT


def real_password(user):
    # The suite hashes with MD5 for speed; gunicorn checks with the real
    # hashers.
    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(PASSWORD, hasher.salt())
    user.save(update_fields=["password"])
    return user


def log_in(visitor, username, password, headers=None):
    form = BeautifulSoup(visitor.get("/admin/login/", headers).text, "html.parser")
    token = form.select_one("input[name=csrfmiddlewaretoken]")["value"]
    return visitor.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password, "csrfmiddlewaretoken": token},
        {
            "Origin": visitor.url,
            "Referer": f"{visitor.url}/admin/login/",
            **(headers or {}),
        },
    )


def stylesheet(visitor):
    page = BeautifulSoup(visitor.get("/").text, "html.parser")
    return page.select_one('link[rel="stylesheet"]')["href"]


def permissions(answer):
    return {
        part.strip().removesuffix("=()")
        for part in answer.headers["Permissions-Policy"].split(",")
    }


def test_gunicorn_sends_the_headers_and_not_its_name(tmp_path, collected_static):
    story = ArticleFactory(published=True)
    photo = tmp_path / "media" / "harbour.jpg"
    photo.parent.mkdir()
    photo.write_bytes(b"\xff\xd8\xff\xe0 a picture")
    with gunicorn(tmp_path, collected_static, SERVE_MEDIA="true") as app:
        visitor = Visitor(app.url, ssl.create_default_context())
        pages = [story.get_absolute_url(), "/", "/feeds/rss/", "/admin/login/"]
        files = [stylesheet(visitor), "/media/harbour.jpg"]
        for path in pages + files:
            answer = visitor.get(path)
            assert answer.status == 200, path
            assert answer.headers["Server"] is None, path
            assert answer.headers["X-Content-Type-Options"] == "nosniff", path
            assert set(DENIED) <= permissions(answer), path
            corp = "cross-origin" if path in files else "same-origin"
            assert answer.headers["Cross-Origin-Resource-Policy"] == corp, path
            if path in pages:
                assert "script-src 'self'" in answer.headers["Content-Security-Policy"]
        media = visitor.get("/media/harbour.jpg")
        assert media.headers["Cache-Control"] == "public, max-age=86400"


def test_through_nginx(tmp_path, collected_static):
    real_password(UserFactory(username="ed"))
    https_port = free_port()
    media = tmp_path / "media"
    media.mkdir()
    (media / "harbour.jpg").write_bytes(b"\xff\xd8\xff\xe0 a picture")
    app_env = {
        "SERVE_MEDIA": "false",
        "CSRF_TRUSTED_ORIGINS": f"https://127.0.0.1:{https_port}",
        # nginx is the one proxy in front, as docs/operations.md says.
        "TRUSTED_PROXY_COUNT": "1",
    }
    with (
        gunicorn(tmp_path, collected_static, **app_env) as app,
        nginx(
            tmp_path,
            upstream_port=app.port,
            static_root=collected_static,
            media_root=media,
            https_port=https_port,
        ) as proxy,
    ):
        reader = proxy.visitor()
        front = reader.get("/")
        # nginx names itself without a version (server_tokens off), and
        # passes the app's headers on.
        assert front.headers["Server"] == "nginx"
        assert front.headers["Cross-Origin-Resource-Policy"] == "same-origin"
        assert set(DENIED) <= permissions(front)
        for path in [stylesheet(reader), "/media/harbour.jpg"]:
            answer = reader.get(path)
            assert answer.status == 200, path
            assert answer.headers["Server"] == "nginx", path
            assert answer.headers["Cross-Origin-Resource-Policy"] == "cross-origin"
            assert answer.headers["X-Content-Type-Options"] == "nosniff"
        upload = reader.get("/media/harbour.jpg")
        assert upload.headers["Cache-Control"] == "public, max-age=86400"

        # A made-up X-Forwarded-For on each guess buys no new attempts: the
        # app believes only the address nginx appended.
        for n in range(LIMIT):
            guesser = proxy.visitor()
            spoofed = {"X-Forwarded-For": f"10.9.9.{n}"}
            # The last one locks the address out.
            expected = 429 if n == LIMIT - 1 else 200
            assert log_in(guesser, f"user{n}", "wrong", spoofed).status == expected
        desk = proxy.visitor()
        locked = log_in(desk, "ed", PASSWORD, {"X-Forwarded-For": "10.9.9.200"})
        assert locked.status == 429
        assert locked.headers["Retry-After"] == str(15 * 60)
        assert "Too many failed logins" in locked.text
        assert not desk.cookies.get("sessionid")

    # Every failure reached gunicorn's log at WARNING, naming the username
    # and the address nginx saw, never a made-up one.
    logged = app.logged()
    failures = [line for line in logged.splitlines() if "login failure by" in line]
    assert len(failures) == LIMIT + 1, logged[-3000:]
    for n, line in enumerate(failures[:LIMIT]):
        assert line.startswith("WARNING axes."), line
        assert f'username: "user{n}", ip_address: "127.0.0.1"' in line, line
    assert 'username: "ed", ip_address: "127.0.0.1"' in failures[-1]
    assert "10.9.9." not in logged
    assert 'WARNING axes.handlers.database AXES: Locking out {username: "user' in logged
