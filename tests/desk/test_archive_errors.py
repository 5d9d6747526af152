"""A damaged, foreign, incomplete or newer archive, or one restored twice:
a message saying what is wrong, and nothing written."""

import json
import zipfile

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError

from articles.models import Article, SlugRedirect, Source
from desk import services
from desk.archive import Archive
from desk.archive.format import RECORDS
from desk.services import imports
from tests.desk.archives import (
    build_site,
    empty_the_site,
    export,
    media,
    restore,
    rewrite,
    rows,
)

pytestmark = pytest.mark.django_db

NOTHING = {
    name: []
    for name in [
        "sources",
        "stories",
        "versions",
        "redirects",
        "source_redirects",
        "sections",
        "authors",
        "topics",
        "authorships",
        "story_topics",
        "front_page",
    ]
}


@pytest.fixture
def archive(editor, reporter, tmp_path):
    """A sound archive of a site that has since been emptied."""
    build_site(editor, reporter)
    path = tmp_path / "site.zip"
    export(path)
    empty_the_site()
    return path


def refused(path, *options):
    """The message import_content gives, having written nothing."""
    with pytest.raises(CommandError) as error:
        restore(path, *options)
    found = rows()
    # A new site's database holds the default section its migrations made.
    found["sections"] = [s for s in found["sections"] if s["slug"] != "news"]
    assert found == NOTHING
    assert media() == {}
    return str(error.value)


def test_a_file_that_is_not_a_zip(db, tmp_path):
    path = tmp_path / "site.zip"
    path.write_bytes(b"This is not a zip archive at all.")
    assert "is not a zip archive, or it is damaged" in refused(path)


def test_a_missing_file(db, tmp_path):
    assert "There is no file at" in refused(tmp_path / "nowhere.zip")


def test_a_zip_from_somewhere_else(db, tmp_path):
    path = rewrite_members(tmp_path, {"notes.txt": b"hello"})
    assert "is not a Newsroom archive: it has no manifest.json" in refused(path)


def test_a_damaged_zip(archive, tmp_path):
    data = bytearray(archive.read_bytes())
    start = data.index(b"stories.jsonl") + 200
    data[start : start + 64] = bytes(64)  # a scratch in the middle of the stories
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(bytes(data))
    assert "The archive is damaged" in refused(damaged)


def test_a_media_file_missing_from_the_zip(archive, tmp_path):
    left_out = []

    def drop_first_picture(name, data):
        if name.startswith("media/articles/") and not left_out:
            left_out.append(name)
            return None
        return data

    path = rewrite(archive, tmp_path / "partial.zip", drop_first_picture)
    message = refused(path)
    assert f"is listed but the archive holds no {left_out[0]}" in message
    assert "nothing was written" in message


def test_a_media_file_changed_in_the_zip(archive, tmp_path):
    def swap(name, data):
        return b"not a picture" if name.startswith("media/articles/") else data

    assert "bytes; the index says" in refused(
        rewrite(archive, tmp_path / "x.zip", swap)
    )


def test_an_archive_from_a_newer_format(archive, tmp_path):
    path = rewrite(archive, tmp_path / "newer.zip", manifest_with(version=3))
    message = refused(path)
    assert "format version 3 by a newer Newsroom; this one reads version 2" in message


def test_an_archive_from_before_sections_says_how_to_bring_it_over(archive, tmp_path):
    path = rewrite(archive, tmp_path / "older.zip", manifest_with(version=1))
    message = refused(path)
    assert "format version 1 by an older Newsroom" in message
    assert "`manage.py migrate`" in message


def test_an_archive_from_a_newer_schema(archive, tmp_path):
    def later(manifest):
        manifest["migrations"]["articles"].append("0099_from_the_future")

    path = rewrite(archive, tmp_path / "newer.zip", manifest_with(change=later))
    message = refused(path)
    assert "migration articles.0099_from_the_future" in message
    assert "Upgrade this site first" in message


def test_a_truncated_records_file(archive, tmp_path):
    def cut(name, data):
        return data.split(b"\n", 1)[1] if name == "versions.jsonl" else data

    message = refused(rewrite(archive, tmp_path / "cut.zip", cut))
    assert "versions.jsonl holds 12 records; the manifest says 13" in message


def test_a_record_that_would_not_be_valid_here(archive, tmp_path):
    def bad_slug(name, data):
        if name != "stories.jsonl":
            return data
        first, rest = data.split(b"\n", 1)
        record = json.loads(first) | {"slug": "no spaces allowed"}
        return json.dumps(record).encode() + b"\n" + rest

    message = refused(rewrite(archive, tmp_path / "bad.zip", bad_slug))
    assert "stories.jsonl line 1: slug:" in message


def test_a_story_naming_a_source_not_in_the_archive(archive, tmp_path):
    def no_sources(name, data):
        return b"" if name == "sources.jsonl" else data

    def zero(manifest):
        manifest["counts"]["sources.jsonl"] = 0

    path = rewrite(archive, tmp_path / "a.zip", no_sources)
    path = rewrite(path, tmp_path / "b.zip", manifest_with(change=zero))
    assert "stories.jsonl line 1: source" in refused(path)


def test_a_second_restore_of_the_same_archive(archive):
    restore(archive)
    before = rows()
    with pytest.raises(CommandError, match="already holds content"):
        restore(archive)
    assert rows() == before


def test_a_restore_into_a_site_with_a_source(archive):
    Source.objects.create(name="Local", slug="local")
    with pytest.raises(CommandError, match=r"already holds content \(sources\)"):
        restore(archive)
    assert Article.objects.count() == 0


def test_a_different_file_already_in_media_root(archive, settings):
    with Archive(archive) as opened:
        names = [name for name, size in media_index(opened) if size]
    clash = settings.MEDIA_ROOT / names[0]
    clash.parent.mkdir(parents=True, exist_ok=True)
    clash.write_bytes(b"someone else's file")
    with pytest.raises(CommandError, match="already under MEDIA_ROOT with other"):
        restore(archive)
    assert clash.read_bytes() == b"someone else's file"
    assert rows() == NOTHING


def test_a_failure_while_writing_takes_back_rows_and_files(archive, monkeypatch):
    def fail(model, highest):
        raise RuntimeError("the disk filled up")

    monkeypatch.setattr(imports, "_ids_continue_after", fail)
    with pytest.raises(RuntimeError), Archive(archive) as opened:
        services.restore_archive(user=None, archive=opened)
    assert rows() == NOTHING
    assert media() == {}
    assert SlugRedirect.objects.count() == 0


def test_only_a_superuser_may_restore(archive, editor):
    with pytest.raises(PermissionDenied), Archive(archive) as opened:
        services.restore_archive(user=editor, archive=opened)
    assert rows() == NOTHING


def test_the_format_holds_every_column():
    """A column added to a model must be added to the archive format (and
    its version raised), or a restore would lose it."""
    for filename, (model, fields) in RECORDS.items():
        columns = {f.name for f in model._meta.concrete_fields}
        assert columns == set(fields), filename


def manifest_with(*, version=None, change=None):
    def edit(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        if version is not None:
            manifest["version"] = version
        if change is not None:
            change(manifest)
        return json.dumps(manifest).encode()

    return edit


def rewrite_members(tmp_path, members):
    path = tmp_path / "foreign.zip"
    with zipfile.ZipFile(path, "w") as out:
        for name, data in members.items():
            out.writestr(name, data)
    return path


def media_index(opened):
    with opened._zip.open("media.jsonl") as index:
        for line in index:
            entry = json.loads(line)
            yield entry["name"], entry["size"]
