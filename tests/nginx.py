"""nginx from the repository's deploy/nginx/newsroom.conf, for the tests
that put it in front of an app server (tests/newsroom/test_nginx.py).

The file runs as shipped, TLS included (a throwaway self-signed
certificate), with only what differs between machines changed: paths,
listen ports and the upstream's port (scripts/nginx_local.py writes them,
for the bench too). It listens on 127.0.0.1 only, as a foreground master in
the test's folder, and is stopped when the block ends or the test run dies.
"""

import contextlib
import signal
import socket
import ssl
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

import pytest

from scripts import nginx_local
from tests.servers import NoRedirects, die_with_parent, free_port


@dataclass
class Answer:
    status: int
    headers: object
    body: bytes

    @property
    def text(self):
        return self.body.decode(errors="replace")

    @property
    def cache(self):
        return self.headers.get("X-Cache-Status")


@dataclass
class Visitor:
    """Someone using the site through nginx, keeping the cookies it is
    given, as a browser would."""

    url: str
    context: ssl.SSLContext
    cookies: dict = field(default_factory=dict)

    def get(self, path, headers=None):
        return self.request(path, headers=headers)

    def post(self, path, data, headers=None):
        return self.request(path, urllib.parse.urlencode(data).encode(), headers)

    def request(self, path, data=None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            kept = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            headers.setdefault("Cookie", kept)  # unless the test names its own
        opener = urllib.request.build_opener(
            urllib.request.HTTPSHandler(context=self.context), NoRedirects
        )
        request = urllib.request.Request(self.url + path, data, headers)
        try:
            with opener.open(request, timeout=10) as response:
                answer = Answer(response.status, response.headers, response.read())
        except urllib.error.HTTPError as error:
            answer = Answer(error.code, error.headers, error.read())
        for header in answer.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie(header)
            self.cookies.update({name: m.value for name, m in cookie.items()})
        return answer


@dataclass
class Nginx:
    url: str  # https://127.0.0.1:<port>
    http_url: str  # the plain-HTTP server
    context: ssl.SSLContext
    process: subprocess.Popen

    def visitor(self):
        return Visitor(self.url, self.context)


@contextlib.contextmanager
def nginx(tmp_path, *, upstream_port, static_root, media_root, https_port=None):
    """nginx with deploy/nginx/newsroom.conf, until the block ends."""
    root = tmp_path / "nginx"
    root.mkdir()
    https_port, http_port = https_port or free_port(), free_port()
    rendered = nginx_local.render(
        root,
        https_port=https_port,
        http_port=http_port,
        upstream_port=upstream_port,
        static_root=static_root,
        media_root=media_root,
    )
    nginx_local.check(rendered)
    log = root / "nginx.log"
    with open(log, "w") as output:
        process = subprocess.Popen(
            [*rendered.command, "-g", "daemon off;"],
            stdout=output,
            stderr=subprocess.STDOUT,
            preexec_fn=die_with_parent,
        )
    context = ssl.create_default_context(cafile=str(rendered.cert))
    server = Nginx(
        f"https://127.0.0.1:{https_port}",
        f"http://127.0.0.1:{http_port}",
        context,
        process,
    )
    try:
        listening(process, https_port, lambda: log.read_text() + errors(root))
        yield server
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def errors(root):
    path = root / "error.log"
    return path.read_text(errors="replace") if path.exists() else ""


def listening(process, port, logged, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"nginx exited:\n{logged()[-3000:]}")
        with contextlib.suppress(OSError):
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        time.sleep(0.05)
    pytest.fail(f"nginx did not listen in {timeout}s:\n{logged()[-3000:]}")


def plain_http(url):
    """GET `url` over plain HTTP, redirects not followed."""
    opener = urllib.request.build_opener(NoRedirects)
    try:
        with opener.open(url, timeout=10) as response:
            return Answer(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.headers, error.read())
