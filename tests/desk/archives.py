"""A site worth backing up, and everything about it a restore must bring
back, for the archive tests."""

import datetime
import io
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import feedparser
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection
from django.utils import timezone

from articles.models import (
    Article,
    Author,
    Authorship,
    FrontPagePin,
    Section,
    SlugRedirect,
    Source,
    SourceRedirect,
    Topic,
)
from desk import services
from search.models import SearchEntry
from tests.conftest import parse_html, picture
from tests.factories import ArticleFactory, SourceFactory, UserFactory

HistoricalArticle = Article.history.model
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def build_site(editor, reporter):
    """Sources and stories in every state, with several versions, reasons,
    a renamed slug and a deleted story."""
    agency = SourceFactory(slug="agency", name="The Agency")
    wire = SourceFactory(slug="wire", name="Wire Service", url="")
    SourceFactory(slug="unused", name="Nobody's Source", description="")
    now = timezone.now().replace(microsecond=0)
    world = services.save_section(
        user=editor, name="World", slug="world", description="Abroad.", position=2
    )
    services.save_section(user=editor, name="Quiet", slug="quiet", in_navigation=False)
    sam = services.save_author(
        user=editor,
        name="Sam Lee",
        slug="sam-lee",
        title="Political reporter",
        bio="Covers Canberra.",
        website="https://sam.example.com/",
        profiles="https://bsky.app/profile/sam.example.com",
        photo=picture(colour="yellow"),
    )
    jo = services.save_author(user=editor, name="Jo Chan", slug="jo-chan")
    syria = services.save_topic(user=editor, name="Syria", slug="syria")
    services.save_topic(user=editor, name="Unused topic", slug="unused-topic")

    ArticleFactory(  # a reporter's draft, no picture
        created_by=reporter, slug="draft-story", source=agency, byline="Rita"
    )
    ArticleFactory(  # scheduled, with a picture
        created_by=editor,
        slug="scheduled-story",
        source=wire,
        status=Article.Status.PUBLISHED,
        published_at=now + datetime.timedelta(days=2),
        image=picture(colour="red"),
        image_alt="A red square",
        image_caption="Red",
        image_credit="AAP",
    )
    edited = ArticleFactory(
        created_by=editor,
        slug="edited-story",
        source=agency,
        status=Article.Status.PUBLISHED,
        published_at=now - datetime.timedelta(days=3),
        image=picture(colour="green", fmt="PNG"),
        image_alt="A green square",
        body="First *draft*.\n\n- one\n- two",
        section=world,
        label=Article.Label.ANALYSIS,
        authors=[jo, sam],
        topics=[syria],
    )
    services.pin_story(
        user=editor, article=edited, slot=0, ends_at=now + datetime.timedelta(days=1)
    )
    services.update_article(
        article=edited, user=editor, reason="Fixed a typo", headline="Edited twice"
    )
    services.update_article(
        article=edited,
        user=editor,
        reason="New picture",
        image=picture(colour="blue"),
        image_alt="A blue square",
    )
    first = edited.history.earliest()
    services.restore_version(article=edited, version=first, user=editor)

    gone = ArticleFactory(created_by=editor, published=True, source=wire)
    services.unpublish_article(article=gone, user=editor)

    renamed = ArticleFactory(
        created_by=editor, published=True, slug="old-name", source=agency
    )
    services.update_article(article=renamed, user=editor, slug="new-name")

    by_leaver = UserFactory(username="leaver", role="Editor")
    ArticleFactory(created_by=by_leaver, published=True, source=wire, slug="by-leaver")

    deleted = ArticleFactory(created_by=editor, published=True, source=wire)
    services.delete_article(article=deleted, user=editor)

    # A source renamed: its old address is part of the site too.
    services.update_source(source=agency, user=editor, slug="agency-renamed")


def rows():
    """Every row an archive holds, every column, in id order."""
    return {
        "sources": list(Source.objects.order_by("pk").values()),
        "stories": list(Article.objects.order_by("pk").values()),
        "versions": list(HistoricalArticle.objects.order_by("pk").values()),
        "redirects": list(SlugRedirect.objects.order_by("pk").values()),
        "source_redirects": list(SourceRedirect.objects.order_by("pk").values()),
        "sections": list(Section.objects.order_by("pk").values()),
        "authors": list(Author.objects.order_by("pk").values()),
        "topics": list(Topic.objects.order_by("pk").values()),
        "authorships": list(Authorship.objects.order_by("pk").values()),
        "story_topics": list(Article.topics.through.objects.order_by("pk").values()),
        "front_page": list(FrontPagePin.objects.order_by("pk").values()),
    }


def media():
    """Every stored file: its name under MEDIA_ROOT and its bytes."""
    root = Path(settings.MEDIA_ROOT)
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def reader_view(client):
    """What readers get: pages, feeds as a feed reader parses them, the
    sitemap's addresses, and where an old address leads."""
    cache.clear()
    seen = {}
    pages = ["/", "/sources/agency-renamed/", "/sources/wire/"]
    pages += [story.get_absolute_url() for story in Article.objects.published()]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        seen[url] = str(parse_html(response).find("main"))
    for url in ["/feeds/rss/", "/feeds/atom/", "/sources/agency-renamed/rss/"]:
        feed = feedparser.parse(client.get(url).content)
        seen[url] = [
            (e.id, e.title, e.link, e.published, e.updated, e.get("content"))
            for e in feed.entries
        ]
    seen["json"] = client.get("/feeds/json/").json()["items"]
    sitemap = ElementTree.fromstring(client.get("/sitemap-stories.xml").content)
    seen["sitemap"] = [loc.text for loc in sitemap.iter(f"{SITEMAP}loc")]
    old = Article.objects.get(slug="new-name").get_absolute_url()
    seen["redirect"] = client.get(old.replace("new-name", "old-name"))["Location"]
    seen["source redirect"] = client.get("/sources/agency/")["Location"]
    return seen


def export(path):
    out = io.StringIO()
    call_command("export_content", str(path), stdout=out, stderr=out)
    return out.getvalue()


def restore(path, *options):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_content", str(path), *options, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def empty_the_site():
    """The disaster: every row and file gone, and the ids starting again
    from 1, as in a new database (the accounts stay)."""
    models = [
        SearchEntry,
        SlugRedirect,
        SourceRedirect,
        FrontPagePin,
        Authorship,
        Article.topics.through,
        Article,
        HistoricalArticle,
        Source,
        Author,
        Topic,
        Section,
    ]
    tables = [model._meta.db_table for model in models]
    flush = connection.ops.sql_flush(no_style(), tables, reset_sequences=True)
    if connection.vendor == "postgresql":
        # PostgreSQL truncates only once the test's deferred checks have run.
        flush = [
            "SET CONSTRAINTS ALL IMMEDIATE",
            *flush,
            "SET CONSTRAINTS ALL DEFERRED",
        ]
    connection.ops.execute_sql_flush(flush)
    for path in sorted(Path(settings.MEDIA_ROOT).rglob("*"), reverse=True):
        path.rmdir() if path.is_dir() else path.unlink()


def rewrite(archive, target, change):
    """Copy a zip, member by member, through `change(name, data)`: the new
    data, or None to leave the member out."""
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(target, "w") as out:
        for info in source.infolist():
            data = change(info.filename, source.read(info))
            if data is not None:
                out.writestr(info, data)
    return target
