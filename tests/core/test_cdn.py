"""Purging a CDN by tag: the requests Fastly, Cloudflare and Varnish expect,
sent to a stand-in server on this machine."""

import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from core import cdn


@pytest.fixture
def api():
    """A local server that records each request and answers `status`."""
    received = []

    class Handler(BaseHTTPRequestHandler):
        status = 200

        def handle_one(self):
            length = int(self.headers.get("Content-Length") or 0)
            received.append(
                {
                    "method": self.command,
                    "path": self.path,
                    "headers": {k.lower(): v for k, v in self.headers.items()},
                    "body": self.rfile.read(length),
                }
            )
            self.send_response(Handler.status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"{}")

        do_POST = do_PURGE = handle_one

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.received = received
    server.handler = Handler
    server.url = f"http://127.0.0.1:{server.server_port}"
    yield server
    server.shutdown()
    server.server_close()


def test_off_by_default_sends_nothing(api, settings):
    assert settings.CDN_PURGE == ""
    cdn.purge({"front"})
    assert api.received == []


def test_fastly_purges_by_surrogate_key(api, settings):
    settings.CDN_PURGE, settings.CDN_API_URL = "fastly", api.url
    settings.CDN_SERVICE_ID, settings.CDN_API_TOKEN = "svc123", "token-abc"
    cdn.purge({"story-12", "front", "feeds"})
    [request] = api.received
    assert (request["method"], request["path"]) == ("POST", "/service/svc123/purge")
    assert request["headers"]["fastly-key"] == "token-abc"
    assert request["headers"]["surrogate-key"] == "feeds front story-12"


def test_cloudflare_purges_by_tag_thirty_at_a_time(api, settings):
    settings.CDN_PURGE, settings.CDN_API_URL = "cloudflare", api.url
    settings.CDN_SERVICE_ID, settings.CDN_API_TOKEN = "zone9", "token-xyz"
    tags = {f"story-{n}" for n in range(45)}
    cdn.purge(tags)
    assert [r["path"] for r in api.received] == ["/zones/zone9/purge_cache"] * 2
    assert api.received[0]["headers"]["authorization"] == "Bearer token-xyz"
    sent = [json.loads(r["body"])["tags"] for r in api.received]
    assert [len(batch) for batch in sent] == [30, 15]
    assert set(sent[0] + sent[1]) == tags


def test_varnish_gets_a_purge_request_with_xkey(api, settings):
    settings.CDN_PURGE, settings.CDN_API_URL = "varnish", api.url + "/"
    cdn.purge({"source-aap", "front"})
    [request] = api.received
    assert (request["method"], request["path"]) == ("PURGE", "/")
    assert request["headers"]["xkey-purge"] == "front source-aap"


def test_a_failed_purge_is_logged_not_raised(api, settings, caplog):
    settings.CDN_PURGE, settings.CDN_API_URL = "fastly", api.url
    settings.CDN_SERVICE_ID, settings.CDN_API_TOKEN = "svc", "t"
    api.handler.status = 503
    with caplog.at_level(logging.ERROR, logger="core.cdn"):
        cdn.purge({"front"})
    assert "CDN purge of front failed" in caplog.text
    settings.CDN_API_URL = "http://127.0.0.1:9"  # nothing listens there
    cdn.purge({"front"})


def test_pages_carry_both_header_forms():
    assert cdn.surrogate_headers({"story-1", "front"}) == {
        "Surrogate-Key": "front story-1",
        "Cache-Tag": "front,story-1",
    }
