"""deploy/nginx/newsroom.conf, run for real (tests/nginx.py): Debian's nginx
with the file as shipped, TLS included, in front of a live gunicorn on the
test database and Redis, or of a stand-in app for the caching rules.

What readers, editors and operators meet: reader pages come from a
five-second micro-cache (X-Cache-Status), static files and uploads straight
from disk; a publish reaches readers within the cache's lifetime; anyone
logged in always gets the app, and what the app tells them is never stored;
with the app down, readers get the last copy.
"""

import contextlib
import http.server
import re
import signal
import threading
import time
from collections import Counter
from dataclasses import dataclass

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from desk import services
from tests.factories import PASSWORD, ArticleFactory, SourceFactory
from tests.nginx import Nginx, nginx, plain_http
from tests.servers import free_port, gunicorn

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

# The micro-cache's lifetime in seconds, as docs/operations.md promises it.
LIFETIME = 5


# The caching rules, against a stand-in for the app that answers with
# whatever headers a path asks for and counts what reaches it.

PUBLIC = {"Cache-Control": "public, max-age=60, s-maxage=60"}
STAND_IN = {
    "/public/": PUBLIC,
    "/private/": {"Cache-Control": "private, max-age=60"},
    "/no-store/": {"Cache-Control": "no-store"},
    # Django's never_cache.
    "/never-cache/": {
        "Cache-Control": "max-age=0, no-cache, no-store, must-revalidate, private"
    },
    # What the app sends when a scheduled story is due this second.
    "/due-now/": {"Cache-Control": "public, max-age=0, s-maxage=0"},
    "/browsers-only/": {"Cache-Control": "max-age=0"},
    "/sets-a-cookie/": {**PUBLIC, "Set-Cookie": "messages=hello; Path=/"},
    "/varies-by-cookie/": {**PUBLIC, "Vary": "Cookie"},
    # Whatever these say, they are never cached.
    "/admin/": PUBLIC,
    "/preview/1/": PUBLIC,
    "/healthz": PUBLIC,
}
STATUSES = {"/gone/": 404, "/broken/": 500}


@contextlib.contextmanager
def stand_in_app():
    served = Counter()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            path = self.path.partition("?")[0]
            served[self.path] += 1
            body = f"{self.path} answer {served[self.path]}".encode()
            self.send_response(STATUSES.get(path, 200))
            for name, value in STAND_IN.get(path, {}).items():
                self.send_header(name, value)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_address[1], served
    finally:
        server.shutdown()
        server.server_close()


def test_what_is_cached_and_for_whom(tmp_path):
    static, media = tmp_path / "static", tmp_path / "media"
    static.mkdir()
    media.mkdir()
    with (
        stand_in_app() as (port, served),
        nginx(
            tmp_path, upstream_port=port, static_root=static, media_root=media
        ) as proxy,
    ):
        reader = proxy.visitor()
        statuses = [reader.get("/public/").cache for _ in range(3)]
        assert statuses == ["MISS", "HIT", "HIT"]
        assert served["/public/"] == 1

        never_stored = [path for path in STAND_IN if path != "/public/"]
        for path in [*never_stored, "/broken/"]:
            answers = [reader.get(path) for _ in range(2)]
            assert served[path] == 2, path
            assert [a.body for a in answers] == [
                f"{path} answer {n}".encode() for n in (1, 2)
            ]
        # An address that is gone is kept too: so a takedown replaces the
        # page's cached copy (see the publish test below).
        gone = [reader.get("/gone/") for _ in range(2)]
        assert [(a.status, a.cache) for a in gone] == [(404, "MISS"), (404, "HIT")]

        # Anyone with a session goes to the app, and what they were sent is
        # not kept for the next reader.
        staff = {"Cookie": "csrftoken=abc; sessionid=k3y"}
        assert reader.get("/public/", staff).cache == "BYPASS"
        assert reader.get("/public/?q=1", staff).cache == "BYPASS"
        assert reader.get("/public/?q=1").cache == "MISS"
        assert served["/public/?q=1"] == 2
        credentials = {"Authorization": "Basic eDp5"}
        assert reader.get("/public/", credentials).cache == "BYPASS"
        # A csrftoken alone is no session; nor does any cookie change the key.
        for cookie in ["csrftoken=abc", "theme=dark", "sessionid="]:
            assert reader.get("/public/", {"Cookie": cookie}).cache == "HIT", cookie
        assert served["/public/"] == 3  # the first time, and the two bypasses


@dataclass
class Site:
    nginx: Nginx
    app: object  # tests.servers.Server: the gunicorn behind nginx
    static_root: object
    media_root: object


@pytest.fixture
def site(tmp_path, collected_static):
    https_port = free_port()
    media = tmp_path / "media"
    media.mkdir()
    app_env = {
        # As in production: nginx serves the uploads.
        "SERVE_MEDIA": "false",
        # The site's address as browsers see it. nginx passes Host without
        # a port ($host), right on port 443; Django's CSRF check needs this
        # on any other.
        "CSRF_TRUSTED_ORIGINS": f"https://127.0.0.1:{https_port}",
    }
    with gunicorn(tmp_path, collected_static, **app_env) as app:
        with nginx(
            tmp_path,
            upstream_port=app.port,
            static_root=collected_static,
            media_root=media,
            https_port=https_port,
        ) as proxy:
            yield Site(proxy, app, collected_static, media)


def test_readers_get_cached_pages_and_files_from_disk(site):
    reader = site.nginx.visitor()
    story = ArticleFactory(published=True, headline="Harbour reopens")
    url = story.get_absolute_url()
    for page in ["/", url, "/feeds/rss/"]:
        first, again = reader.get(page), reader.get(page)
        assert (first.status, first.cache) == (200, "MISS"), page
        assert (again.status, again.cache) == (200, "HIT"), page
        assert again.body == first.body, page
        # The app's own caching headers still reach browsers and any CDN.
        assert again.headers["Cache-Control"] == first.headers["Cache-Control"]
    story_page = BeautifulSoup(reader.get(url).text, "html.parser")
    assert story_page.h1.get_text(strip=True) == "Harbour reopens"

    stylesheet = story_page.select_one('link[rel="stylesheet"]')["href"]
    assert re.fullmatch(r"/static/css/site\.[0-9a-f]{12}\.css", stylesheet)
    on_disk = site.static_root / stylesheet.removeprefix("/static/")
    plain = reader.get(stylesheet)
    assert (plain.status, plain.body) == (200, on_disk.read_bytes())
    assert plain.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert plain.headers["X-Content-Type-Options"] == "nosniff"
    # collectstatic's own .gz, as it is on disk.
    zipped = reader.get(stylesheet, {"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert zipped.body == on_disk.with_name(on_disk.name + ".gz").read_bytes()

    photo = site.media_root / "photos" / "harbour.jpg"
    photo.parent.mkdir()
    photo.write_bytes(b"\xff\xd8\xff\xe0 a picture")
    upload = reader.get("/media/photos/harbour.jpg")
    assert (upload.status, upload.body) == (200, photo.read_bytes())
    assert upload.headers["Content-Type"] == "image/jpeg"
    assert upload.headers["X-Content-Type-Options"] == "nosniff"

    for _ in range(2):
        health = reader.get("/healthz")
        assert (health.status, health.cache) == (200, None)
        assert health.headers["Cache-Control"] == "no-store"

    # gunicorn was asked for each page once, and for every health check,
    # but never for a file.
    logged = site.app.logged()
    assert logged.count(f'"GET {url} HTTP') == 1
    assert logged.count('"GET /healthz HTTP') == 2
    assert "/static/" not in logged and "/media/" not in logged

    # Plain HTTP is sent to HTTPS, to the same address.
    redirect = plain_http(site.nginx.http_url + url)
    assert redirect.status == 301
    assert redirect.headers["Location"] == f"https://news.example.com{url}"


def log_in(site, user):
    """An editor logging in through nginx with the admin's login form."""
    # The suite's fast password hasher is this process's setting only;
    # gunicorn checks passwords with the real ones.
    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(PASSWORD, hasher.salt())
    user.save(update_fields=["password"])
    editor = site.nginx.visitor()
    form = BeautifulSoup(editor.get("/admin/login/").text, "html.parser")
    token = form.select_one("input[name=csrfmiddlewaretoken]")["value"]
    answer = editor.post(
        "/admin/login/?next=/admin/",
        {"username": user.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        {"Origin": site.nginx.url, "Referer": f"{site.nginx.url}/admin/login/"},
    )
    assert (answer.status, answer.headers["Location"]) == (302, "/admin/"), answer.text
    assert editor.cookies.get("sessionid")
    return editor


def headline(answer):
    return BeautifulSoup(answer.text, "html.parser").h1.get_text(strip=True)


def test_editors_always_get_the_app_and_nothing_they_see_is_kept(site, editor):
    desk = log_in(site, editor)
    reader = site.nginx.visitor()
    story = ArticleFactory(published=True, headline="Harbour reopens")
    url = story.get_absolute_url()

    # The editor's copy is not stored: the first reader after them misses.
    assert [desk.get(url).cache for _ in range(2)] == ["BYPASS", "BYPASS"]
    assert [reader.get(url).cache for _ in range(2)] == ["MISS", "HIT"]

    # A correction: readers keep the cached copy for a few seconds, the
    # editor sees it at once.
    services.update_article(article=story, user=editor, headline="Harbour closes")
    for_reader, for_editor = reader.get(url), desk.get(url)
    assert (for_reader.cache, headline(for_reader)) == ("HIT", "Harbour reopens")
    assert (for_editor.cache, headline(for_editor)) == ("BYPASS", "Harbour closes")

    # The desk itself is never cached, for editors or anyone else.
    for _ in range(2):
        index = desk.get("/admin/")
        assert (index.status, index.cache) == (200, None)
        assert "private" in index.headers["Cache-Control"]
        assert reader.get("/admin/login/").cache is None

    # A draft's preview is the editor's alone, never stored for readers.
    draft = ArticleFactory(headline="Budget leaks early", created_by=editor)
    preview = desk.get(f"/preview/{draft.pk}/")
    assert (preview.status, headline(preview)) == (200, "Budget leaks early")
    leak = reader.get(f"/preview/{draft.pk}/")
    assert leak.status == 404 and "Budget leaks early" not in leak.text


def test_readers_get_changes_in_seconds_and_the_last_copy_while_the_app_is_down(
    site,
):
    # One test, so that the waits on the cache's lifetime overlap.
    reader = site.nginx.visitor()
    retracted = ArticleFactory(published=True, headline="Mayor resigns")
    kept = ArticleFactory(published=True, headline="Harbour reopens")
    gone, url = retracted.get_absolute_url(), kept.get_absolute_url()
    for page in ["/", gone, url]:
        assert [reader.get(page).cache, reader.get(page).cache] == ["MISS", "HIT"]
    cached_at = time.monotonic()

    services.create_article(
        user=None,
        headline="Bridge opens to traffic",
        slug="bridge-opens-to-traffic",
        standfirst="Cars crossed at dawn.",
        source=SourceFactory(),
        status="published",
    )
    services.unpublish_article(article=retracted, user=None)
    changed_at = time.monotonic()

    def shown():
        front, taken_down = reader.get("/").text, reader.get(gone)
        return (
            "Bridge opens to traffic" in front
            and "Mayor resigns" not in front
            and taken_down.status == 404
        )

    # nginx counts whole seconds, so a copy may live up to a second longer;
    # the first reader after that is still given it while nginx fetches the
    # new one.
    while not shown():
        waited = time.monotonic() - changed_at
        assert waited < LIFETIME + 2, f"not shown after {waited:.1f}s"
        time.sleep(0.1)

    # The app goes down. Once the story's copy has expired, readers are
    # still given it; anyone logged in gets the error instead.
    site.app.process.send_signal(signal.SIGTERM)
    site.app.process.wait(timeout=20)
    time.sleep(max(0, cached_at + LIFETIME + 1.5 - time.monotonic()))
    stale = reader.get(url)
    assert (stale.status, stale.cache) == (200, "STALE")
    assert headline(stale) == "Harbour reopens"
    for _ in range(3):
        again = reader.get(url)
        assert again.status == 200 and headline(again) == "Harbour reopens"
    assert reader.get(url, {"Cookie": "sessionid=k3y"}).status == 502
