"""Hero image uploads: real images in, anything else refused clearly."""

import io
import os
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from articles import images
from articles.models import Article
from tests.desk.admin_forms import change_url, errors, form_data
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def image_bytes(kind="PNG", size=(40, 30), mode="RGB"):
    buffer = io.BytesIO()
    Image.new(mode, size, "tomato").save(buffer, kind)
    return buffer.getvalue()


def upload(data, name="photo.png"):
    return SimpleUploadedFile(name, data)


def png_header_only(width, height):
    """A tiny PNG that claims enormous dimensions (a decompression bomb)."""

    def chunk(kind, payload):
        body = kind + payload
        return (
            struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def post_with_image(client, story, file, alt="Firefighters at the docks"):
    data = form_data(client.get(change_url(story))) | {
        "image": file,
        "image_alt": alt,
    }
    return client.post(change_url(story), data)


@pytest.mark.parametrize(
    ("kind", "name"),
    [("JPEG", "a.jpg"), ("PNG", "a.png"), ("WEBP", "a.webp"), ("GIF", "a.gif")],
)
def test_real_images_of_each_allowed_format_are_saved(editor_client, kind, name):
    story = ArticleFactory()
    response = post_with_image(editor_client, story, upload(image_bytes(kind), name))
    assert response.status_code == 302, errors(response)
    story.refresh_from_db()
    assert (story.image_width, story.image_height) == (40, 30)
    assert story.image.name.endswith(os.path.splitext(name)[1])


NOT_AN_IMAGE = (
    "This file is not an image we can read, or it is damaged. "
    "Upload a JPEG, PNG, WebP or GIF."
)


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (os.urandom(4096), "photo.jpg", NOT_AN_IMAGE),
        (b"", "empty.jpg", "The submitted file is empty."),
        (image_bytes("JPEG", (400, 300))[:300], "cut-off.jpg", NOT_AN_IMAGE),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "logo.png", NOT_AN_IMAGE),
        (
            image_bytes("BMP"),
            "old.bmp",
            "This is a BMP image; upload a JPEG, PNG, WebP or GIF.",
        ),
        (
            image_bytes("TIFF"),
            "scan.jpg",
            "This is a TIFF image; upload a JPEG, PNG, WebP or GIF.",
        ),
        (
            png_header_only(30_000, 30_000),
            "bomb.png",
            "This image is too large; the limit is 24 megapixels. "
            "Export it smaller (2000 pixels wide is plenty) and upload it again.",
        ),
        (
            png_header_only(10_000, 5_000),
            "huge.png",
            "This image is too large (10000 × 5000 pixels); "
            "the limit is 24 megapixels. "
            "Export it smaller (2000 pixels wide is plenty) and upload it again.",
        ),
    ],
    ids=["random-bytes", "empty", "truncated", "svg", "bmp", "tiff", "bomb", "huge"],
)
def test_bad_uploads_are_refused_with_a_clear_message(
    editor_client, data, name, message
):
    story = ArticleFactory()
    response = post_with_image(editor_client, story, upload(data, name))
    assert response.status_code == 200
    assert errors(response) == [message]
    story.refresh_from_db()
    assert not story.image


def test_files_over_the_size_limit_are_refused(editor_client, monkeypatch):
    monkeypatch.setattr(images, "MAX_BYTES", 1024)
    story = ArticleFactory()
    noisy = Image.frombytes("RGB", (200, 200), os.urandom(200 * 200 * 3))
    buffer = io.BytesIO()
    noisy.save(buffer, "PNG")
    response = post_with_image(editor_client, story, upload(buffer.getvalue()))
    assert response.status_code == 200
    (message,) = errors(response)
    assert message.startswith("This image is ")
    assert "; the limit is 1.0 KB. Export it smaller" in message


def test_alt_text_is_required_with_an_image(editor_client):
    story = ArticleFactory()
    response = post_with_image(editor_client, story, upload(image_bytes()), alt=" ")
    assert response.status_code == 200
    assert errors(response) == [
        "Describe the image for readers who cannot see it: alt text is required "
        "when a story has an image."
    ]
    assert not Article.objects.get(pk=story.pk).image


def test_a_story_without_an_image_needs_no_alt_text(editor_client):
    story = ArticleFactory()
    data = form_data(editor_client.get(change_url(story))) | {"image_alt": ""}
    assert editor_client.post(change_url(story), data).status_code == 302


def test_validator_leaves_the_file_ready_to_be_saved():
    file = upload(image_bytes("JPEG"), "a.jpg")
    images.validate_image_file(file)
    assert file.tell() == 0
    assert Image.open(file).format == "JPEG"
