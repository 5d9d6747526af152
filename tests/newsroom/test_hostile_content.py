"""Hostile content in every field an editor or a wire fills, and every page,
feed, sitemap, JSON-LD block and admin page that shows it: no live markup,
no server error, well-formed XML.

One story (and its source) per payload, written through the services as a
wire would and then read everywhere it appears. A page is checked against
the rules in `live_markup`; `test_the_checks_catch_live_markup` shows that
they catch what they look for, and `test_a_plain_story_passes_the_checks`
that the site's own pages pass them.

The payloads and the checks are in tests/newsroom/hostile.py.
"""

import datetime
import json
from collections import Counter
from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.utils import timezone

from articles import text
from articles.models import Article, Author, Section, Source, Topic
from desk import services
from tests.conftest import picture
from tests.desk.admin_forms import ADD, errors, form_data
from tests.newsroom.hostile import (
    IMAGE_TEXT,
    MEGABYTE,
    PAYLOADS,
    SOURCE_TEXT,
    STORY_TEXT,
    check_feed,
    check_html,
    check_json_feed,
    check_xml,
    fit,
    live_markup,
)

pytestmark = pytest.mark.django_db


def reader_urls(story):
    listings = [
        f"/sources/{story.source.slug}/",
        f"/sections/{story.section.slug}/",
        *(f"/authors/{author.slug}/" for author in story.authors.all()),
        *(f"/topics/{topic.slug}/" for topic in story.topics.all()),
    ]
    return {
        "html": ["/", "/latest/", story.get_absolute_url(), *listings],
        "feeds": [
            "/feeds/rss/",
            "/feeds/atom/",
            *(f"{listing}{ending}/" for listing in listings for ending in FEEDS),
        ],
        "sitemaps": [
            "/sitemap.xml",
            "/sitemap-stories.xml",
            "/sitemap-pages.xml",
            "/sitemap-news.xml",
            *(f"/sitemap-{kind}.xml" for kind in LISTINGS),
        ],
    }


FEEDS = ["rss", "atom"]
LISTINGS = ["sources", "sections", "authors", "topics"]


def admin_urls(story):
    """The admin's pages that show the story, by kind."""
    base = f"/admin/articles/article/{story.pk}"
    versions = list(
        story.history.order_by("history_id").values_list("history_id", flat=True)
    )
    first, last = versions[0], versions[-1]
    return {
        "changelist": "/admin/articles/article/",
        "search": f"/admin/articles/article/?q={quote(story.headline[:50])}",
        "change": f"{base}/change/",
        "history": f"{base}/history/",
        "version": f"{base}/history/{first}/",
        "compare": f"{base}/history/compare/?from={first}&to={last}",
        "sources": "/admin/articles/source/",
        "source": f"/admin/articles/source/{story.source_id}/change/",
    }


def admin_findings(client, story):
    findings = {}
    for kind, url in admin_urls(story).items():
        soup = check_html(client.get(url), admin=True)
        findings[kind] = Counter(live_markup(soup, reader=False))
    return findings


# What the admin's own pages hold that live_markup reports (its scripts,
# its inline SVG icons), from a plain story: the same for every story.
_ADMIN_BASELINE = {}


@pytest.fixture
def admin_baseline(client, editor):
    if not _ADMIN_BASELINE:
        client.force_login(editor)
        _ADMIN_BASELINE.update(
            admin_findings(client, write_story(editor, "A plain value", slug="plain"))
        )
        client.logout()
    return _ADMIN_BASELINE


def check_everywhere(client, story):
    """Every page, feed and sitemap that shows the story, as readers and
    crawlers get them, then the admin's pages as its editor sees them."""
    story = Article.objects.select_related("source").get(pk=story.pk)
    urls = reader_urls(story)
    for url in urls["html"]:
        check_html(client.get(url))
    page = check_html(client.get(story.get_absolute_url()))
    # The words come back as stored, and the JSON-LD parses to them: nothing
    # was cut short by markup or broke out of its element.
    assert page.find("h1").get_text() == story.headline
    [ld] = page.find_all("script", type="application/ld+json")
    data = json.loads(ld.string)
    assert (data["headline"], data["description"]) == (story.headline, story.standfirst)
    assert data["sourceOrganization"]["name"] == story.source.name
    for url in urls["feeds"]:
        check_feed(client.get(url))
    check_json_feed(client.get("/feeds/json/"))
    for url in urls["sitemaps"]:
        check_xml(client.get(url))


def check_admin(client, story, baseline):
    for kind, found in admin_findings(client, story).items():
        assert found - baseline[kind] == Counter(), kind


def write_story(editor, payload, slug="hostile"):
    """A story and its source carrying `payload` in every text field, first
    plain and then edited, so that its history has two versions."""
    now = timezone.now()
    source = services.create_source(
        user=editor, name="Wire", slug=f"{slug}-wire", url="https://wire.example/"
    )
    story = services.create_article(
        user=editor,
        headline="A plain headline",
        slug=slug,
        standfirst="A plain standfirst.",
        body="A plain body.",
        source=source,
        status=Article.Status.PUBLISHED,
        published_at=now - datetime.timedelta(hours=1),
        image=picture(),
        image_alt="A photo",
    )
    services.update_source(
        source=source,
        user=editor,
        **{name: fit(payload, Source._meta.get_field(name)) for name in SOURCE_TEXT},
    )
    # Where the story is filed and who wrote it, carrying it too: their
    # names are on its page, its cards, feeds and their own pages.
    listed = {
        "section": services.save_section(
            user=editor, slug=f"{slug}-section", **hostile(Section, payload)
        ),
        "authors": [
            services.save_author(
                user=editor,
                slug=f"{slug}-author",
                website="https://jane.example/",
                **hostile(Author, payload),
            )
        ],
        "topics": [
            services.save_topic(
                user=editor, slug=f"{slug}-topic", **hostile(Topic, payload)
            )
        ],
    }
    story = services.update_article(article=story, user=editor, **listed)
    fields = STORY_TEXT + IMAGE_TEXT
    values = {name: fit(payload, Article._meta.get_field(name)) for name in fields}
    if not fits_a_body(values["body"]):
        # Refused as a body (too long, or nested too deep to show whole):
        # the services say so, and the other fields still carry it.
        with pytest.raises(ValidationError) as refused:
            services.update_article(article=story, user=editor, **values)
        assert set(refused.value.message_dict) == {"body"}
        values["body"] = values["body"][: text.MAX_BODY_CHARACTERS]
        if not fits_a_body(values["body"]):
            values["body"] = "A plain body."
    return services.update_article(article=story, user=editor, **values)


def hostile(model, payload):
    """`payload` in each of `model`'s text fields an editor types (its
    profiles excepted: web addresses only, checked by the model)."""
    names = {
        Section: ["name", "description"],
        Author: ["name", "title", "bio"],
        Topic: ["name", "description"],
    }[model]
    return {name: fit(payload, model._meta.get_field(name)) or "x" for name in names}


def fits_a_body(value):
    try:
        text.validate_body(value)
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_hostile_text_through_the_services(client, editor, admin_baseline, payload):
    story = write_story(editor, payload)
    check_everywhere(client, story)
    client.force_login(editor)
    check_admin(client, story, admin_baseline)


@pytest.mark.parametrize(
    "name",
    [
        "script-breakout",
        "attribute-breakout",
        "control-characters",
        "non-characters",
        "bidi-overrides",
        "encoded-javascript",
    ],
)
def test_hostile_text_typed_into_the_admin(client, editor, admin_baseline, name):
    payload = PAYLOADS[name].replace("\x00", "")  # the form refuses NUL itself
    client.force_login(editor)
    response = client.post(
        "/admin/articles/source/add/",
        {
            "name": fit(payload, Source._meta.get_field("name")),
            "slug": "wire",
            "url": "",
            "description": payload,
        },
    )
    assert response.status_code == 302, errors(response)
    data = (
        form_data(client.get(ADD))
        | {name: fit(payload, Article._meta.get_field(name)) for name in STORY_TEXT}
        | {
            "slug": "hostile",
            "source": Source.objects.get(slug="wire").pk,
            "status": "published",
            "published_at_0": "",
        }
    )
    response = client.post(ADD, data)
    assert response.status_code == 302, errors(response)
    story = Article.objects.get(slug="hostile")
    services.update_article(article=story, user=editor, body=payload + " (edited)")
    check_admin(client, story, admin_baseline)
    client.logout()
    check_everywhere(client, story)


@pytest.mark.parametrize(
    "name", [name for name in PAYLOADS if name not in {"surrogates", "megabyte"}]
)
def test_rows_stored_around_the_services_break_no_feed_or_sitemap(client, editor, name):
    """What a shell, a migration or an older release may have stored: the
    feeds and sitemaps clean it again on the way out."""
    story = write_story(editor, "plain")
    payload = PAYLOADS[name].replace("\x00", "")  # PostgreSQL cannot store NUL
    Article.objects.filter(pk=story.pk).update(
        **{
            name: fit(payload, Article._meta.get_field(name))
            for name in STORY_TEXT + IMAGE_TEXT
        },
    )
    Source.objects.filter(pk=story.source_id).update(name=payload[:200])
    urls = reader_urls(story)
    for url in urls["html"]:
        assert client.get(url).status_code == 200
    for url in urls["feeds"]:
        check_feed(client.get(url))
    check_json_feed(client.get("/feeds/json/"))
    for url in urls["sitemaps"]:
        check_xml(client.get(url))


@pytest.mark.parametrize(
    "field",
    ["headline", "standfirst", "byline", "image_alt", "image_caption", "image_credit"],
)
def test_values_longer_than_a_field_are_refused(client, editor, field):
    story = write_story(editor, "plain")
    with pytest.raises(ValidationError) as refused:
        services.update_article(article=story, user=editor, **{field: "x" * MEGABYTE})
    assert field in refused.value.message_dict
    check_everywhere(client, story)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "https://wire.example/\x0b",
        "https://wire.example/" + "a" * MEGABYTE,
    ],
)
def test_source_addresses_that_are_not_web_addresses_are_refused(editor, url):
    with pytest.raises(ValidationError):
        services.create_source(user=editor, name="Wire", slug="wire", url=url)
    assert not Source.objects.exists()


def test_a_web_address_that_breaks_out_of_quotes_stays_inside_them(
    client, editor, admin_baseline
):
    """Django's URL validator takes any non-space characters in a path:
    the source page, JSON-LD and admin show such an address as text."""
    url = "https://wire.example/\"><script>alert(1)</script>'onclick='x"
    story = write_story(editor, "plain")
    services.update_source(source=story.source, user=editor, url=url)
    check_everywhere(client, story)
    page = check_html(client.get(story.source.get_absolute_url()))
    assert page.find("a", string="plain website")["href"] == url
    client.force_login(editor)
    check_admin(client, story, admin_baseline)


def test_a_plain_story_passes_the_checks(client, editor, admin_baseline):
    story = write_story(editor, "Fish & chips: \u201cprices\u201d fall")
    check_everywhere(client, story)
    client.force_login(editor)
    check_admin(client, story, admin_baseline)


@pytest.mark.parametrize(
    "html",
    [
        "<script>alert(1)</script>",
        '<script src="https://evil.example/x.js"></script>',
        "<img src=x onerror=alert(1)>",
        '<a href=" java\tscript:alert(1)">x</a>',
        '<a href="DATA:text/html,x">x</a>',
        "<svg></svg>",
        "<iframe></iframe>",
        '<meta http-equiv="refresh" content="0">',
        '<link rel="stylesheet" href="https://evil.example/">',
        "<form></form>",
    ],
)
def test_the_checks_catch_live_markup(html):
    assert live_markup(BeautifulSoup(html, "html.parser"), reader=True) != []
