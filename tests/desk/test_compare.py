"""Comparing any two saved versions of a story, from its history page."""

import datetime

import pytest
import time_machine
from django.test import Client

from articles.models import Article
from desk.compare import Line, line_diff
from tests.desk.admin_forms import ADD, change_url, form_data, soup
from tests.factories import ArticleFactory, SourceFactory, UserFactory

pytestmark = pytest.mark.django_db

SYDNEY = datetime.timezone(datetime.timedelta(hours=11))
FIRST_SAVE = datetime.datetime(2016, 12, 24, 9, 44, tzinfo=SYDNEY)
HOSTILE = '<script>alert("x")</script> Storm & surge'
BODY_1 = "The storm arrived overnight.\n\nPower lines came down.\n\nSchools shut."
BODY_3 = "The storm arrived overnight.\n\nPower is back.\n\nSchools shut."


def history_url(story):
    return f"/admin/articles/article/{story.pk}/history/"


def compare_url(story, old, new):
    return f"{history_url(story)}compare/?from={old.history_id}&to={new.history_id}"


def edit(client, story, **changes):
    response = client.post(
        change_url(story), form_data(client.get(change_url(story))) | changes
    )
    assert response.status_code == 302
    return response


@pytest.fixture
def story(editor_client):
    """A story the editor added and then saved twice, all through the admin."""
    new = form_data(editor_client.get(ADD)) | {
        "headline": "Storm hits the coast",
        "slug": "storm-hits-the-coast",
        "standfirst": "Thousands without power.",
        "body": BODY_1,
        "source": SourceFactory().pk,
    }
    with time_machine.travel(FIRST_SAVE, tick=False):
        assert editor_client.post(ADD, new).status_code == 302
    story = Article.objects.get(slug="storm-hits-the-coast")
    edit(editor_client, story, headline=HOSTILE)
    edit(editor_client, story, body=BODY_3, byline="Rita Reporter", status="published")
    return story


def versions(story):
    return list(story.history.order_by("history_id"))


def text(element):
    return " ".join(element.get_text(" ").split())


def test_compare_first_and_last_version(editor_client, story):
    first, _, third = versions(story)
    response = editor_client.get(compare_url(story, first, third))
    assert response.status_code == 200
    page = soup(response)

    labels = [text(th) for th in page.select("#compare-table tbody th[scope=row]")]
    assert labels == ["Headline", "Body", "Byline", "Status", "Publication time"]

    headers = [
        text(th) for th in page.select("#compare-table thead th.compare-version")
    ]
    assert headers[0].startswith("Version 1, 24 December 2016 9:44am by Ed Member")
    assert headers[1].startswith("Version 3, ")
    assert "(current)" in headers[1] and "(current)" not in headers[0]

    body = page.select_one("tr.compare-field.field-body")
    assert body.select_one(".compare-old").get_text() == BODY_1
    assert body.select_one(".compare-new").get_text() == BODY_3
    lines = page.select_one("tr.compare-lines.field-body .line-diff")
    assert [d.get_text() for d in lines.find_all("del")] == ["Power lines came down."]
    assert [i.get_text() for i in lines.find_all("ins")] == ["Power is back."]

    status = page.select_one("tr.field-status")
    assert text(status.select_one(".compare-old")) == "Draft"
    assert text(status.select_one(".compare-new")) == "Published"
    assert text(page.select_one("tr.field-byline .compare-old")) == "(empty)"


def test_an_editors_hostile_headline_is_shown_escaped(editor_client, story):
    first, _, third = versions(story)
    response = editor_client.get(compare_url(story, first, third))
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Storm &amp; surge" in html
    page = soup(response)
    cell = page.select_one("tr.field-headline .compare-new")
    assert cell.get_text() == HOSTILE
    assert cell.find("script") is None


def test_restore_links_open_the_revert_page_of_each_version(editor_client, story):
    first, _, third = versions(story)
    page = soup(editor_client.get(compare_url(story, first, third)))
    links = page.select("a.restore-link")
    assert [a["href"] for a in links] == [
        f"{history_url(story)}{first.history_id}/",
        f"{history_url(story)}{third.history_id}/",
    ]
    assert [text(a) for a in links] == ["Restore version 1", "Restore version 3"]
    reverted = editor_client.get(links[0]["href"])
    assert form_data(reverted, "historicalarticle_form")["body"] == BODY_1


def test_history_page_offers_the_compare_form(editor_client, story):
    first, second, third = versions(story)
    page = soup(editor_client.get(history_url(story)))
    form = page.find("form", id="compare-versions")
    assert form is not None
    assert (form["method"], form["action"]) == ("get", f"{history_url(story)}compare/")
    for name in ("from", "to"):
        options = form.find("select", attrs={"name": name}).find_all("option")
        assert [o["value"] for o in options] == [
            str(v.history_id) for v in (third, second, first)
        ]
    assert form.find("input", attrs={"type": "submit"})["value"] == "Compare"

    # As submitted untouched: the last save against the one before.
    data = form_data(editor_client.get(history_url(story)), "compare-versions")
    assert data == {"from": str(second.history_id), "to": str(third.history_id)}
    response = editor_client.get(f"{history_url(story)}compare/", data)
    labels = [text(th) for th in soup(response).select("tbody th[scope=row]")]
    assert labels == ["Body", "Byline", "Status", "Publication time"]


def test_a_version_against_itself_has_no_differences(editor_client, story):
    first = versions(story)[0]
    page = soup(editor_client.get(compare_url(story, first, first)))
    assert "These two versions are the same." in text(page.find(id="compare-table"))


@pytest.mark.parametrize(
    "query",
    [
        "",
        "from={first}",
        "to={first}",
        "from=&to={first}",
        "from=abc&to={first}",
        "from={first}&to=1.5",
        "from=-1&to={first}",
        "from={first}&to=99999999999999999999999999",
        "from={first}&to=" + "9" * 5000,
    ],
)
def test_missing_or_bad_version_ids_are_not_found(editor_client, story, query):
    query = query.format(first=versions(story)[0].history_id)
    response = editor_client.get(f"{history_url(story)}compare/?{query}")
    assert response.status_code == 404


def test_a_version_of_another_story_is_not_found(editor_client, story):
    other = ArticleFactory()
    first = versions(story)[0]
    url = compare_url(story, first, other.history.get())
    assert editor_client.get(url).status_code == 404


@pytest.mark.parametrize("story_id", ["999999", "abc"])
def test_a_missing_story_is_not_found(editor_client, story, story_id):
    first = versions(story)[0]
    url = f"/admin/articles/article/{story_id}/history/compare/"
    response = editor_client.get(url, {"from": first.history_id, "to": 1})
    assert response.status_code == 404


def test_logged_out_visitors_are_sent_to_log_in(story):
    first, _, third = versions(story)
    url = compare_url(story, first, third)
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=")


def test_reporter_may_compare_but_is_offered_no_restore(reporter, story):
    client = Client()
    client.force_login(reporter)
    first, _, third = versions(story)
    response = client.get(compare_url(story, first, third))
    assert response.status_code == 200
    links = [text(a) for a in soup(response).select("a.restore-link")]
    assert links == ["Open version 1", "Open version 3"]


def test_staff_without_view_permission_are_refused(story):
    client = Client()
    client.force_login(UserFactory())
    first, _, third = versions(story)
    assert client.get(compare_url(story, first, third)).status_code == 403


def test_line_diff_keeps_a_little_context_around_each_change():
    before = "\n".join(f"line {n}" for n in range(1, 11))
    after = before.replace("line 5", "line five")
    assert line_diff(before, after) == [
        Line("gap"),
        Line("same", "line 3"),
        Line("same", "line 4"),
        Line("removed", "line 5"),
        Line("added", "line five"),
        Line("same", "line 6"),
        Line("same", "line 7"),
        Line("gap"),
    ]
