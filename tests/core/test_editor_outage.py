"""An editor saving while the database cannot be reached is told plainly
that nothing was saved, and gets their text back to copy."""

import pytest
from django.db import OperationalError, connection

from tests.desk.admin_forms import ADD, change_url, form_data, soup
from tests.factories import ArticleFactory, SourceFactory

pytestmark = pytest.mark.django_db

TYPED = {
    "headline": "Fire at the <b>docks</b>",
    "standfirst": "Crews were called at 3am & stayed.",
    "body": "First line.\n\n<script>alert('x')</script> Second line.",
}


def database_down(monkeypatch):
    """The database stops answering: every query and every attempt to
    connect fails, as with PostgreSQL stopped (test_errors.py runs a real
    dead server)."""

    def refuse(*args, **kwargs):
        raise OperationalError('connection to server at "10.0.0.3" failed')

    monkeypatch.setattr(connection, "cursor", refuse)
    monkeypatch.setattr(connection, "ensure_connection", refuse)


def sent_back(response):
    page = soup(response)
    return {
        box["id"].removeprefix("sent-"): box.get_text().removeprefix("\n")
        for box in page.select("textarea[id^=sent-]")
    }


@pytest.fixture
def story():
    return ArticleFactory(headline="Old headline", source=SourceFactory())


def test_a_save_while_the_database_is_down_says_so_and_keeps_the_text(
    editor_client, story, monkeypatch
):
    data = form_data(editor_client.get(change_url(story))) | TYPED
    database_down(monkeypatch)
    editor_client.raise_request_exception = False

    response = editor_client.post(change_url(story), data)

    assert response.status_code == 503
    assert (response["Retry-After"], response["Cache-Control"]) == ("30", "no-store")
    page = soup(response)
    assert page.h1.get_text() == "Your change was not saved"
    text = " ".join(page.get_text(" ").split())
    assert "NOT saved" in text and "try again in a minute" in text
    kept = sent_back(response)
    assert {name: kept[name] for name in TYPED} == TYPED
    # Shown as text, never as markup; no token or bookkeeping echoed.
    assert b"<script>alert" not in response.content
    assert "csrfmiddlewaretoken" not in kept and "opened_version" not in kept
    assert data["csrfmiddlewaretoken"] not in response.content.decode()
    assert b"10.0.0.3" not in response.content

    monkeypatch.undo()
    story.refresh_from_db()
    assert story.headline == "Old headline"


def test_a_new_story_is_kept_too(editor_client, monkeypatch):
    database_down(monkeypatch)
    editor_client.raise_request_exception = False
    response = editor_client.post(ADD, TYPED | {"slug": "fire"})
    assert response.status_code == 503
    assert sent_back(response)["headline"] == TYPED["headline"]


def test_a_password_is_never_echoed(editor_client, editor, monkeypatch):
    database_down(monkeypatch)
    editor_client.raise_request_exception = False
    response = editor_client.post(
        f"/admin/auth/user/{editor.pk}/password/",
        {"password1": "hunter2-secret", "password2": "hunter2-secret"},
    )
    assert response.status_code == 503
    assert b"hunter2-secret" not in response.content


def test_readers_still_get_the_readers_503(client, monkeypatch):
    database_down(monkeypatch)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 503
    assert soup(response).h1.get_text() == "We’ll be right back"
