"""The desk's front page places (the ones editors chose, and what readers
see in each place now) and the site's own pages."""

import datetime

import pytest
from django.utils import timezone

from articles.models import FrontPagePin, SitePage
from desk import services
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_the_list_shows_what_readers_see_in_each_place(editor_client, editor, html):
    now = timezone.now()
    ArticleFactory(published=True, headline="The newest story")
    chosen = ArticleFactory(
        published=True,
        headline="An older story chosen to lead",
        published_at=now - datetime.timedelta(days=2),
    )
    until = now + datetime.timedelta(hours=3)
    services.pin_story(
        user=editor, article=chosen, slot=FrontPagePin.Slot.LEAD, ends_at=until
    )
    page = html(editor_client.get("/admin/articles/frontpagepin/"))
    rows = [
        [" ".join(cell.get_text().split()) for cell in row.select("th, td")]
        for row in page.select("#front-page-now tbody tr")
    ]
    assert rows[0][:2] == ["Lead story", "An older story chosen to lead"]
    assert rows[0][2].startswith("Chosen until ") and rows[0][2].endswith("by ed")
    assert rows[1] == ["Second tier, first", "The newest story", "The newest story"]
    assert rows[2] == ["Second tier, second", "(no story published yet)", ""]
    assert len(rows) == 5
    link = page.select_one("#front-page-now tbody tr td a")
    assert link["href"] == chosen.get_absolute_url()


def test_an_editor_chooses_the_lead_in_the_admin(editor_client, html):
    story = ArticleFactory(published=True, headline="Lead me")
    ArticleFactory(published=True, headline="Newer")
    response = editor_client.post(
        "/admin/articles/frontpagepin/add/",
        {
            "slot": FrontPagePin.Slot.LEAD,
            "article": story.pk,
            "ends_at_0": "",
            "ends_at_1": "",
        },
    )
    assert response.status_code == 302
    front = html(editor_client.get("/"))
    assert front.select_one(".story-card--lead h2").get_text() == "Lead me"
    assert FrontPagePin.objects.get().pinned_by.username == "ed"


def test_a_reporter_sees_the_places_but_cannot_choose(reporter_client):
    assert reporter_client.get("/admin/articles/frontpagepin/").status_code == 200
    story = ArticleFactory(published=True)
    response = reporter_client.post(
        "/admin/articles/frontpagepin/add/",
        {"slot": FrontPagePin.Slot.LEAD, "article": story.pk},
    )
    assert response.status_code == 403
    assert not FrontPagePin.objects.exists()


def test_an_editor_writes_site_pages_in_the_admin(editor_client, html):
    added = editor_client.post(
        "/admin/articles/sitepage/add/",
        {
            "title": "About us",
            "slug": "about",
            "description": "Who we are.",
            "body": "We are a **newsroom**.",
            "in_footer": "on",
            "position": "1",
        },
    )
    assert added.status_code == 302, html(added).select(".errorlist")
    page = SitePage.objects.get()
    changed = editor_client.post(
        f"/admin/articles/sitepage/{page.pk}/change/",
        {
            "title": "About us",
            "slug": "about",
            "description": "Who we are.",
            "body": "We are a **small** newsroom.",
            "position": "1",
        },
    )
    assert changed.status_code == 302
    about = html(editor_client.get("/about/"))
    assert about.select_one(".site-page strong").get_text() == "small"
    # Out of the footer now.
    assert "About us" not in [a.get_text() for a in about.select("footer a")]
    deleted = editor_client.post(
        f"/admin/articles/sitepage/{page.pk}/delete/", {"post": "yes"}
    )
    assert deleted.status_code == 302
    assert editor_client.get("/about/").status_code == 404
