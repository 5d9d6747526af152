"""`manage.py strip_image_metadata` cleans the pictures stored before
uploads were stripped as they arrived."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from PIL import Image

from articles.models import Article, Edition
from desk import services
from tests.factories import ArticleFactory
from tests.photos import ICC, assert_no_metadata, colour_at, photo_bytes

pytestmark = pytest.mark.django_db


def stored_before(data, name):
    """A story pointing at a file stored as it was uploaded, the way
    uploads were stored before they were stripped."""
    name = default_storage.save(f"articles/2024/05/{name}", ContentFile(data))
    return ArticleFactory(published=True, image=name, image_alt="A photo")


def run():
    out, err = io.StringIO(), io.StringIO()
    call_command("strip_image_metadata", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def read(name):
    with default_storage.open(name, "rb") as file:
        return file.read()


def test_stored_pictures_are_stripped_and_every_page_follows(client, html):
    story = stored_before(photo_bytes("JPEG", orientation=6), "old.jpg")
    old_name, old_thumbnail = story.image.name, story.thumbnail.name
    edition = Edition.objects.get().number
    out, err = run()
    story.refresh_from_db()
    assert err == ""
    assert f"{old_name} -> {story.image.name}: removed EXIF, XMP, comment" in out
    assert "1 stripped, 0 already clean, 0 left as they were." in out

    assert story.image.name != old_name and story.image.name.endswith(".jpg")
    data = read(story.image.name)
    assert_no_metadata(data)
    picture = Image.open(io.BytesIO(data))
    assert picture.info["icc_profile"] == ICC
    assert picture.size == (story.image_width, story.image_height) == (40, 60)
    assert colour_at(picture, (35, 5)) == "red"
    assert not default_storage.exists(old_name)
    assert not default_storage.exists(old_thumbnail)
    assert_no_metadata(read(story.thumbnail.name))

    # The page shows the new file at once: the change made a new edition.
    assert Edition.objects.get().number > edition
    page = html(client.get(story.get_absolute_url()))
    assert page.select_one("article img")["src"] == story.image.url
    # Not an edit: no new version, and restoring an old one keeps the picture.
    assert story.version == 1
    assert {row.image for row in story.history.all()} == {story.image.name}


def test_running_it_again_changes_nothing():
    story = stored_before(photo_bytes("PNG"), "old.png")
    run()
    story.refresh_from_db()
    name, edition = story.image.name, Edition.objects.get().number
    out, err = run()
    story.refresh_from_db()
    assert out.strip() == "0 stripped, 1 already clean, 0 left as they were."
    assert story.image.name == name
    assert Edition.objects.get().number == edition


def test_a_gif_stored_as_pdf_is_renamed_gif():
    story = stored_before(photo_bytes("GIF"), "report.pdf")
    out, _ = run()
    story.refresh_from_db()
    assert story.image.name.endswith("/report.gif")
    assert "removed comment" in out


def test_a_clean_file_under_the_wrong_extension_is_renamed():
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), "navy").save(buffer, "PNG")
    story = stored_before(buffer.getvalue(), "plain.jpg")
    out, _ = run()
    story.refresh_from_db()
    assert story.image.name.endswith("/plain.png")
    assert "removed a wrong extension" in out


def test_missing_and_damaged_files_are_reported_and_the_rest_done():
    gone = stored_before(photo_bytes("JPEG"), "gone.jpg")
    default_storage.delete(gone.image.name)
    default_storage.save("articles/2024/05/damaged.jpg", ContentFile(b"\xff\xd8junk"))
    good = stored_before(photo_bytes("WEBP"), "good.webp")
    out, err = run()
    good.refresh_from_db()
    assert_no_metadata(read(good.image.name))
    assert f"{gone.image.name}: cannot be read (No such file or directory)" in err
    assert "articles/2024/05/damaged.jpg: left as it is: This file is not an " in err
    assert "1 stripped, 0 already clean, 2 left as they were." in out
    assert Article.objects.get(pk=gone.pk).image.name == gone.image.name


def test_only_editors_may_strip_a_stored_picture(reporter):
    story = stored_before(photo_bytes("JPEG"), "old.jpg")
    with pytest.raises(PermissionDenied):
        services.strip_stored_image(name=story.image.name, user=reporter)
