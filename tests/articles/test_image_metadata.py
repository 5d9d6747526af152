"""Stored pictures carry no EXIF, GPS, XMP or comments: readers get the
stored file byte for byte, on the page, in og:image, JSON-LD and feeds."""

import io
import json

import feedparser
import pytest
from django.core.files.storage import default_storage
from PIL import Image

from core.links import absolute
from tests.desk.admin_forms import change_url, errors, form_data
from tests.factories import ArticleFactory
from tests.photos import ICC, assert_no_metadata, colour_at, photo_upload

pytestmark = pytest.mark.django_db


def stored(name):
    with default_storage.open(name, "rb") as file:
        return file.read()


def opened(data):
    picture = Image.open(io.BytesIO(data))
    picture.load()
    return picture


@pytest.mark.parametrize("kind", ["JPEG", "PNG", "WEBP", "GIF"])
def test_the_stored_file_has_no_metadata_and_keeps_its_colour_profile(kind):
    story = ArticleFactory(image=photo_upload(kind), image_alt="A photo")
    data = stored(story.image.name)
    assert_no_metadata(data)
    picture = opened(data)
    assert picture.format == kind
    if kind != "GIF":  # a GIF holds no colour profile
        assert picture.info["icc_profile"] == ICC
    assert (story.image_width, story.image_height) == picture.size == (60, 40)


def test_the_card_thumbnail_has_no_metadata_either():
    story = ArticleFactory(image=photo_upload("JPEG"), image_alt="A photo")
    assert_no_metadata(stored(story.thumbnail.name))


@pytest.mark.parametrize("kind", ["JPEG", "PNG", "WEBP"])
def test_the_orientation_is_applied_before_the_tag_goes(kind):
    # Orientation 6: the camera was held on its side; viewers turn the
    # stored picture a quarter clockwise, so its red top-left corner shows
    # at the top right.
    story = ArticleFactory(image=photo_upload(kind, orientation=6), image_alt="x")
    picture = opened(stored(story.image.name))
    assert picture.size == (40, 60)
    assert (story.image_width, story.image_height) == (40, 60)
    assert colour_at(picture, (35, 5)) == "red"
    assert colour_at(picture, (5, 5)) == "blue"
    assert colour_at(picture, (35, 55)) == "blue"


@pytest.mark.parametrize("kind", ["PNG", "WEBP"])
def test_transparency_is_kept(kind):
    upload = photo_upload(kind, mode="RGBA")
    transparent = Image.new("RGBA", (60, 40), (0, 0, 0, 0))
    buffer = io.BytesIO()
    transparent.save(buffer, kind, exif=b"", lossless=True)
    upload.file = io.BytesIO(buffer.getvalue())
    upload.size = len(buffer.getvalue())
    story = ArticleFactory(image=upload, image_alt="x")
    picture = opened(stored(story.image.name))
    assert picture.mode == "RGBA"
    assert picture.getpixel((10, 10))[3] == 0


def test_an_animated_gif_stays_animated():
    frames = [Image.new("RGB", (30, 20), c) for c in ("red", "lime", "blue")]
    buffer = io.BytesIO()
    frames[0].save(
        buffer,
        "GIF",
        save_all=True,
        append_images=frames[1:],
        duration=[100, 200, 300],
        loop=0,
        comment="Reporter-home-42-Smith-St",
    )
    upload = photo_upload("GIF")
    upload.file, upload.size = io.BytesIO(buffer.getvalue()), len(buffer.getvalue())
    story = ArticleFactory(image=upload, image_alt="x")
    data = stored(story.image.name)
    assert_no_metadata(data)
    picture = Image.open(io.BytesIO(data))
    assert picture.n_frames == 3
    assert picture.info["loop"] == 0
    durations = []
    for index in range(3):
        picture.seek(index)
        durations.append(picture.info["duration"])
    assert durations == [100, 200, 300]


def test_an_upload_through_the_admin_is_stored_clean_and_shown_clean(
    editor_client, client, html
):
    story = ArticleFactory(published=True)
    data = form_data(editor_client.get(change_url(story))) | {
        "image": photo_upload("JPEG", orientation=6),
        "image_alt": "Firefighters at the docks",
    }
    response = editor_client.post(change_url(story), data)
    assert response.status_code == 302, errors(response)
    story.refresh_from_db()
    url = absolute(story.image.url)

    page = html(client.get(story.get_absolute_url()))
    assert absolute(page.select_one("article img")["src"]) == url
    assert page.select_one('meta[property="og:image"]')["content"] == url
    (script,) = page.select('script[type="application/ld+json"]')
    assert json.loads(script.string)["image"][0]["url"] == url
    feed = feedparser.parse(client.get("/feeds/rss/").content)
    (enclosure,) = feed.entries[0].enclosures
    assert enclosure.href == url

    served = client.get(story.image.url)
    body = b"".join(served.streaming_content)
    assert served["Content-Type"] == "image/jpeg"
    assert_no_metadata(body)
    assert opened(body).size == (40, 60)
