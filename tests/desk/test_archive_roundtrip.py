"""export_content then import_content gives back the same site: every row,
every version, every file byte for byte, and the same pages and feeds.
Run on SQLite and, in make test's second run, on PostgreSQL."""

import json
import zipfile

import pytest

from articles.models import Article, Edition, Section
from tests.desk.archives import (
    HistoricalArticle,
    build_site,
    empty_the_site,
    export,
    media,
    reader_view,
    restore,
    rows,
)
from tests.factories import ArticleFactory, SourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(editor, reporter):
    build_site(editor, reporter)


def test_a_site_comes_back_exactly(site, client, tmp_path):
    before_rows, before_media, before_pages = rows(), media(), reader_view(client)
    # The live stories, and no more.
    assert len(before_pages["/feeds/rss/"]) == len(before_pages["sitemap"]) == 3
    archive = tmp_path / "site.zip"
    export(archive)

    empty_the_site()
    assert not any(rows().values())
    assert media() == {}
    out, warnings = restore(archive)

    assert rows() == before_rows
    assert media() == before_media
    assert reader_view(client) == before_pages
    files = len(before_media)
    assert f"3 sources, 6 stories, 13 versions, 1 old addresses, {files} files." in out
    assert warnings == ""


def test_the_archive_holds_what_the_site_held(site, tmp_path):
    archive = tmp_path / "site.zip"
    export(archive)
    with zipfile.ZipFile(archive) as held:
        manifest = json.loads(held.read("manifest.json"))
        stories = [
            json.loads(line) for line in held.read("stories.jsonl").split(b"\n") if line
        ]
        versions = [
            json.loads(line)
            for line in held.read("versions.jsonl").split(b"\n")
            if line
        ]
        names = set(held.namelist())
    assert manifest["format"] == "newsroom-content" and manifest["version"] == 2
    assert (
        manifest["counts"]["stories.jsonl"] == Article.objects.count() == len(stories)
    )
    assert manifest["counts"]["versions.jsonl"] == HistoricalArticle.objects.count()
    assert "0001_initial" in manifest["migrations"]["articles"]
    edited = next(story for story in stories if story["slug"] == "edited-story")
    assert edited["created_by"] == "ed" and edited["body_html"].startswith("<p>First")
    reasons = [v["history_change_reason"] for v in versions if v["id"] == edited["id"]]
    assert reasons == ["Created", "Fixed a typo", "New picture", "Restored version 1"]
    assert {v["history_type"] for v in versions} == {"+", "~", "-"}
    # The picture of every version, not only the current ones, and thumbnails.
    pictures = {v["image"] for v in versions if v["image"]}
    assert len(pictures) == 3
    assert {f"media/{name}" for name in pictures} <= names
    assert f"media/{edited['thumbnail']}" in names


def test_new_stories_never_take_a_restored_or_deleted_storys_id(site, tmp_path, editor):
    highest = max(HistoricalArticle.objects.values_list("id", flat=True))
    assert highest > Article.objects.order_by("-pk").first().pk  # the deleted one
    highest_version = HistoricalArticle.objects.order_by("-pk").first().pk
    export(tmp_path / "site.zip")
    empty_the_site()
    restore(tmp_path / "site.zip")

    story = ArticleFactory(created_by=editor, source=SourceFactory(slug="new"))

    assert story.pk > highest
    assert story.history.get().pk > highest_version


def test_a_restore_raises_the_edition_once(site, tmp_path, client):
    export(tmp_path / "site.zip")
    number = Edition.objects.get().number
    empty_the_site()
    restore(tmp_path / "site.zip")
    assert Edition.objects.get().number == number + 1


def test_an_account_missing_here_is_named_and_left_out(
    site, tmp_path, django_user_model
):
    export(tmp_path / "site.zip")
    empty_the_site()
    django_user_model.objects.filter(username="leaver").delete()

    _, warnings = restore(tmp_path / "site.zip")

    assert "no account named 'leaver'" in warnings
    story = Article.objects.get(slug="by-leaver")
    assert story.created_by is None and story.updated_by is None
    assert story.history.get().history_user is None
    assert Article.objects.get(slug="edited-story").created_by.username == "ed"


def test_check_reads_the_archive_and_writes_nothing(site, tmp_path):
    export(tmp_path / "site.zip")
    empty_the_site()
    out, _ = restore(tmp_path / "site.zip", "--check")
    assert "can be restored here" in out
    assert rows()["stories"] == [] and media() == {}


def test_a_picture_lost_before_the_export_is_named_both_ways(site, tmp_path, settings):
    story = Article.objects.get(slug="scheduled-story")
    (settings.MEDIA_ROOT / story.image.name).unlink()
    before = rows()

    said = export(tmp_path / "site.zip")
    empty_the_site()
    _, warnings = restore(tmp_path / "site.zip")

    assert f"Warning: {story.image.name} is named by a story but not stored" in said
    assert f"Warning: {story.image.name} was already missing" in warnings
    assert rows() == before  # the row as it was, picture name and size
    assert not (settings.MEDIA_ROOT / story.image.name).exists()


def test_a_new_sites_default_section_gives_way_to_the_archives(site, tmp_path):
    """A database just migrated holds the default section (News): the
    archive's sections, ids and all, take its place."""
    before = rows()
    export(tmp_path / "site.zip")
    empty_the_site()
    Section.default()
    restore(tmp_path / "site.zip")
    assert rows() == before
