"""HEAD: the headers a GET would get, and no body, straight from the WSGI
application (Django's test client drops HEAD bodies itself, so it cannot
show this; gunicorn logs a warning for each body it is handed)."""

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import RequestFactory

from tests.conftest import picture
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def wsgi(method, path):
    environ = RequestFactory()._base_environ(
        PATH_INFO=path, REQUEST_METHOD=method, SERVER_NAME="testserver"
    )
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"], answer["headers"] = status, dict(headers)

    # As Django's test client does: the request must not close the test's
    # own database connection (and its transaction) when it starts or ends.
    signals = [request_started, request_finished]
    for signal in signals:
        signal.disconnect(close_old_connections)
    try:
        chunks = WSGIHandler()(environ, start_response)
        try:
            body = b"".join(chunks)
        finally:
            getattr(chunks, "close", lambda: None)()
    finally:
        for signal in signals:
            signal.connect(close_old_connections)
    return answer["status"], answer["headers"], body


@pytest.mark.parametrize("kind", ["page", "cached page", "picture"])
def test_head_gets_the_headers_of_get_and_no_body(settings, kind):
    settings.SERVE_MEDIA = True
    story = ArticleFactory(published=True, image=picture(), image_alt="x")
    path = story.image.url if kind == "picture" else story.get_absolute_url()
    if kind == "cached page":
        wsgi("GET", path)  # now answered by the page cache's middleware
    status, headers, body = wsgi("GET", path)
    head_status, head_headers, head_body = wsgi("HEAD", path)
    assert status.startswith("200") and head_status == status
    assert head_body == b"" and len(body) > 0
    assert head_headers["Content-Length"] == str(len(body))
    assert head_headers["Content-Type"] == headers["Content-Type"]
