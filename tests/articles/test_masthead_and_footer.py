"""What every reader page carries: the masthead (name, today's date, the
sections, a search box) and the footer (sections, the site's own pages,
the feeds); the site's own pages; and a 404 page that helps."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError
from django.utils import timezone
from django.utils.http import http_date

from articles.models import SitePage
from desk import services
from tests.factories import ArticleFactory, SectionFactory, SitePageFactory

pytestmark = pytest.mark.django_db

SYDNEY = ZoneInfo("Australia/Sydney")


@pytest.fixture
def site():
    world = SectionFactory(name="World", slug="world", position=1)
    sport = SectionFactory(name="Sport", slug="sport", position=2)
    archive = SectionFactory(name="Archive", slug="archive", in_navigation=False)
    SectionFactory(name="Empty", slug="empty", position=3)
    earlier = timezone.now() - datetime.timedelta(hours=2)
    for section in [sport, archive]:
        ArticleFactory(published=True, section=section, published_at=earlier)
    SitePageFactory(title="About us", slug="about", position=1)
    SitePageFactory(title="Privacy", slug="privacy", position=2)
    SitePageFactory(title="Staff only", slug="staff", in_footer=False)
    return ArticleFactory(published=True, section=world)


@pytest.mark.parametrize("url", ["/", "/latest/", "story", "/sections/world/"])
def test_every_page_has_the_masthead_and_footer(client, html, site, url):
    url = site.get_absolute_url() if url == "story" else url
    page = html(client.get(url))
    masthead = page.select_one("header.masthead")
    assert masthead.select_one(".site-name").get_text() == "Newsroom"
    assert masthead.select_one(".site-name")["href"] == "/"
    nav = masthead.select_one("nav.section-nav")
    # In the navigation, with a story published: not Archive (hidden),
    # Empty, or News (the default section, with nothing filed there).
    assert [a.get_text() for a in nav.select("a")] == ["World", "Sport"]
    search = masthead.select_one("form[role=search]")
    assert (search["action"], search["method"]) == ("/search/", "get")
    field = search.select_one("input[name=q]")
    assert search.select_one(f"label[for={field['id']}]").get_text() == "Search stories"
    footer = page.select_one("footer.site-footer")
    links = {a.get_text(): a["href"] for a in footer.select("a")}
    assert links["About us"] == "/about/" and links["Privacy"] == "/privacy/"
    assert "Staff only" not in links
    assert links["RSS feed"] == "/feeds/rss/"
    assert links["Atom feed"] == "/feeds/atom/"
    assert links["JSON Feed"] == "/feeds/json/"
    assert links["World"] == "/sections/world/"


def test_the_masthead_dates_the_page_and_it_is_not_kept_past_midnight(
    client, html, site
):
    evening = datetime.datetime(2026, 12, 8, 23, 59, 30, tzinfo=SYDNEY)
    with time_machine.travel(evening, tick=False):
        response = client.get("/sources/" + site.source.slug + "/")
    page = html(response)
    assert page.select_one(".masthead__date").get_text() == "Tuesday 8 December 2026"
    midnight = datetime.datetime(2026, 12, 9, tzinfo=SYDNEY)
    assert response["Expires"] == http_date(midnight.timestamp())
    with time_machine.travel(midnight, tick=False):
        again = client.get("/sources/" + site.source.slug + "/")
    assert html(again).select_one(".masthead__date").get_text() == (
        "Wednesday 9 December 2026"
    )


def test_a_story_page_marks_its_section(client, html, site):
    story = ArticleFactory(
        published=True, section=SectionFactory(name="Business", slug="business")
    )
    page = html(client.get(story.get_absolute_url()))
    current = page.select(".section-nav a[aria-current]")
    assert [(a.get_text(), a["aria-current"]) for a in current] == [
        ("Business", "true")
    ]
    kicker = page.select_one(".story__kicker a")
    assert (kicker.get_text(), kicker["href"]) == ("Business", "/sections/business/")


def test_a_site_page_renders_what_the_editor_wrote(client, html):
    SitePageFactory(
        title="Corrections policy",
        slug="corrections",
        description="How we correct mistakes.",
        body="We **correct** errors.\n\n<script>alert(1)</script>",
    )
    response = client.get("/corrections/")
    page = html(response)
    assert page.h1.get_text() == "Corrections policy"
    assert page.select_one(".site-page strong").get_text() == "correct"
    assert page.select_one("main script") is None
    assert page.title.get_text() == "Corrections policy · Newsroom"
    assert page.head.find("meta", attrs={"name": "description"})["content"] == (
        "How we correct mistakes."
    )
    assert client.get("/nothing-here/").status_code == 404


@pytest.mark.parametrize("slug", ["latest", "search", "admin", "static", "media"])
def test_a_site_page_cannot_take_an_address_the_site_uses(slug):
    with pytest.raises(ValidationError) as refused:
        services.save_site_page(
            user=None, title="Mine", slug=slug, description="x", body="x"
        )
    assert "already another part of the site" in refused.value.message_dict["slug"][0]
    assert not SitePage.objects.exists()


def test_only_editors_write_site_pages(reporter, editor):
    fields = {"title": "About", "slug": "about", "description": "x", "body": "x"}
    with pytest.raises(PermissionDenied):
        services.save_site_page(user=reporter, **fields)
    page = services.save_site_page(user=editor, **fields)
    assert page.history.get().history_user == editor
    with pytest.raises(PermissionDenied):
        services.delete_site_page(site_page=page, user=reporter)
    services.delete_site_page(site_page=page, user=editor)
    assert not SitePage.objects.exists()


def test_the_404_page_offers_search_and_the_latest_news(client, html, site):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    page = html(response)
    form = page.select_one("main form[role=search]")
    assert form["action"] == "/search/"
    assert form.select_one("label").get_text() == "Search for it"
    latest = page.select(".not-found__latest .story-card__headline a")
    assert [a.get_text() for a in latest][0] == site.headline
    assert len(latest) == 3


def test_the_404_page_still_renders_with_the_database_down(client, html, monkeypatch):
    client.get("/")  # the edition is in the cache, as on a running site

    def refuse(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr("django.db.models.query.QuerySet._fetch_all", refuse)
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    page = html(response)
    assert page.h1.get_text() == "We couldn’t find that page"
    assert page.select_one(".section-nav") is None
    assert page.select_one(".not-found__latest") is None
