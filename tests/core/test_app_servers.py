"""Several app servers on one PostgreSQL and Redis, as in production: a
change made through one is seen by the others at their next request; with
the database gone the pages already cached are still served, the rest is the
503 page, and the site recovers by itself; with Redis gone everything is
rendered from the database."""

import http.cookiejar
import urllib.error
import urllib.parse
import urllib.request

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model

from articles.models import Article
from desk import services
from tests.desk.admin_forms import form_data
from tests.factories import ArticleFactory, SourceFactory
from tests.servers import (
    NoRedirects,
    TcpProxy,
    database_url,
    gunicorn,
    redis_url,
    until,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-editor-password"


class Page:
    """What tests.desk.admin_forms reads: a response's content."""

    def __init__(self, body):
        self.content = body


class EditorSession:
    """An editor in the admin over HTTP, cookies and CSRF token included."""

    def __init__(self, server):
        self.server = server
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirects
        )

    def request(self, path, data=None):
        body = None
        if data is not None:
            data = {**data, "csrfmiddlewaretoken": self.cookie("csrftoken")}
            body = urllib.parse.urlencode(data, doseq=True).encode()
        request = urllib.request.Request(self.server.url + path, data=body)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def cookie(self, name):
        return next((c.value for c in self.jar if c.name == name), "")

    def log_in(self, username):
        self.request("/admin/login/")
        status, body = self.request(
            "/admin/login/",
            {"username": username, "password": PASSWORD, "next": "/admin/"},
        )
        assert status == 302, body[-2000:]

    def form(self, path):
        status, body = self.request(path)
        assert status == 200, path
        return form_data(Page(body))

    def save(self, path, **changes):
        status, body = self.request(path, self.form(path) | changes)
        errors = BeautifulSoup(body, "html.parser").select(".errorlist")
        assert status == 302, [e.get_text(" ") for e in errors]


@pytest.fixture
def editor_account(settings):
    # The servers check passwords with the site's own hashers.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    return get_user_model().objects.create_superuser(
        "chief", "chief@news.example.com", PASSWORD
    )


def shown(server, path):
    status, _, body = server.get(path)
    return status, body.decode()


def test_a_change_through_one_server_is_seen_by_the_other_at_once(
    tmp_path, collected_static, editor_account
):
    source = SourceFactory(slug="wire", name="Wire")
    older = ArticleFactory(published=True, source=source, headline="Older news")
    with (
        gunicorn(tmp_path, collected_static, WEB_CONCURRENCY="2") as one,
        gunicorn(tmp_path, collected_static, WEB_CONCURRENCY="2") as other,
    ):
        desk = EditorSession(one)
        desk.log_in("chief")
        assert "Older news" in shown(other, "/")[1]  # the reader's copy is warm

        desk.save(
            "/admin/articles/article/add/",
            headline="Bridge opens to traffic",
            slug="bridge-opens",
            standfirst="Cars cross at last.",
            body="The first car crossed at dawn.",
            source=str(source.pk),
            status="published",
        )
        story = Article.objects.get(slug="bridge-opens")
        url = story.get_absolute_url()
        for path in ["/", url, "/feeds/rss/", "/sources/wire/"]:
            assert "Bridge opens to traffic" in shown(other, path)[1], path

        desk.save(
            f"/admin/articles/article/{story.pk}/change/",
            headline="Bridge opens to traffic, a year late",
        )
        for path in ["/", url, "/feeds/atom/"]:
            assert "a year late" in shown(other, path)[1], path

        status, _ = desk.request(
            "/admin/articles/article/",
            {"action": "unpublish", "_selected_action": [story.pk]},
        )
        assert status == 302
        assert shown(other, url)[0] == 404
        assert "Bridge opens" not in shown(other, "/")[1]

        desk.request(
            "/admin/articles/article/",
            {"action": "publish_now", "_selected_action": [story.pk]},
        )
        assert shown(other, url)[0] == 200
        status, _ = desk.request(
            f"/admin/articles/article/{story.pk}/delete/", {"post": "yes"}
        )
        assert status == 302
        assert shown(other, url)[0] == 404
        for path in ["/", "/feeds/rss/", "/sources/wire/"]:
            page = shown(other, path)[1]
            assert "Bridge opens" not in page and "Older news" in page, path
        assert older.headline in shown(one, "/")[1]


def test_with_the_database_gone_cached_pages_are_still_served(
    tmp_path, collected_static
):
    story = ArticleFactory(published=True, headline="Flood waters recede")
    other = ArticleFactory(published=True, headline="Not read before the outage")
    database = TcpProxy(5432)
    with gunicorn(
        tmp_path, collected_static, DATABASE_URL=database_url(port=database.port)
    ) as server:
        cached = ["/", story.get_absolute_url(), "/feeds/rss/", "/sitemap.xml"]
        before = {path: server.get(path) for path in cached}
        assert all(status == 200 for status, _, _ in before.values())

        database.cut()
        for path, (_, _, body) in before.items():
            status, _, again = server.get(path)
            assert (status, again) == (200, body), path
        status, headers, body = server.get(other.get_absolute_url())
        assert status == 503 and headers["Retry-After"] == "30"
        assert b"right back" in body and b"Traceback" not in body
        status, _, body = server.get("/healthz")
        assert status == 503 and b'"database": "error' in body

        database.restore()
        assert until(lambda: server.get(other.get_absolute_url())[0] == 200)
        assert server.get("/healthz")[0] == 200


def test_with_redis_gone_everything_is_rendered_from_the_database(
    tmp_path, collected_static
):
    story = ArticleFactory(published=True, headline="Markets steady")
    redis = TcpProxy(6379)
    with gunicorn(
        tmp_path, collected_static, REDIS_URL=redis_url(port=redis.port)
    ) as server:
        assert server.get(story.get_absolute_url())[0] == 200
        redis.cut()
        services.update_article(article=story, user=None, headline="Markets fall")
        for path in ["/", story.get_absolute_url(), "/feeds/rss/"]:
            status, _, body = server.get(path)
            assert status == 200 and b"Markets fall" in body, path
        status, _, body = server.get("/healthz")
        assert status == 503 and b'"cache": "error' in body
        redis.restore()
        assert until(lambda: server.get("/healthz")[0] == 200)
