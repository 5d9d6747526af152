"""An upload is stored under the extension of the format Pillow found in
it, and only decoded when a worker can afford to."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from articles import images
from tests.articles.test_images import png_header_only, post_with_image
from tests.desk.admin_forms import errors
from tests.factories import ArticleFactory
from tests.photos import photo_bytes

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def gif_that_is_also_a_pdf():
    """A GIF whose comment block holds a PDF: a PDF reader finds `%PDF` in
    its first kilobyte and opens it."""
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "tomato").save(buffer, "GIF", comment=PDF)
    data = buffer.getvalue()
    assert data.startswith(b"GIF89a") and PDF in data[:1024]
    return data


def test_a_gif_named_pdf_is_stored_and_served_as_a_gif(editor_client, client):
    story = ArticleFactory(published=True)
    upload = SimpleUploadedFile("report.pdf", gif_that_is_also_a_pdf())
    response = post_with_image(editor_client, story, upload)
    assert response.status_code == 302, errors(response)
    story.refresh_from_db()
    assert story.image.name.endswith(f"/{story.slug}.gif")
    with default_storage.open(story.image.name, "rb") as file:
        assert b"%PDF" not in file.read()
    served = client.get(story.image.url)
    assert served.status_code == 200
    assert served["Content-Type"] == "image/gif"


@pytest.mark.parametrize(
    ("name", "kind", "extension"),
    [
        ("photo.jpg", "PNG", "png"),
        ("photo.jpeg", "JPEG", "jpg"),
        ("photo.gif.pdf", "GIF", "gif"),
        ("PHOTO.WEBP", "WEBP", "webp"),
        ("no-extension", "JPEG", "jpg"),
    ],
)
def test_the_stored_extension_is_the_formats_own(name, kind, extension):
    upload = SimpleUploadedFile(name, photo_bytes(kind))
    story = ArticleFactory(image=upload, image_alt="x", slug="harbour")
    assert story.image.name.rsplit("/", 1)[1] == f"harbour.{extension}"


def test_a_picture_is_named_after_its_story_not_the_uploaders_file():
    upload = SimpleUploadedFile("IMG_2041 at Sam's house.jpg", photo_bytes("JPEG"))
    story = ArticleFactory(image=upload, image_alt="x", slug="floods-ease")
    assert story.image.name.rsplit("/", 1)[1] == "floods-ease.jpg"
    assert "Sam" not in story.thumbnail.name


def test_an_image_over_the_pixel_limit_is_refused_before_it_is_decoded(
    editor_client,
):
    # 39.9 megapixels of one colour fit in a few hundred bytes.
    bomb = png_header_only(7300, 5466)
    assert len(bomb) < 1000
    story = ArticleFactory()
    response = post_with_image(editor_client, story, SimpleUploadedFile("a.png", bomb))
    assert response.status_code == 200
    assert errors(response) == [
        "This image is too large (7300 × 5466 pixels); the limit is 24 megapixels. "
        "Export it smaller (2000 pixels wide is plenty) and upload it again."
    ]


def test_webp_has_a_lower_pixel_limit_of_its_own(editor_client, monkeypatch):
    monkeypatch.setattr(images, "PIXEL_LIMITS", {"WEBP": 1_000})
    story = ArticleFactory()
    webp = SimpleUploadedFile("a.webp", photo_bytes("WEBP"))  # 60 x 40
    response = post_with_image(editor_client, story, webp)
    assert response.status_code == 200
    assert errors(response) == [
        "This image is too large (60 × 40 pixels); the limit is 0.001 megapixels. "
        "Export it smaller (2000 pixels wide is plenty) and upload it again."
    ]
    jpeg = SimpleUploadedFile("a.jpg", photo_bytes("JPEG"))
    assert post_with_image(editor_client, story, jpeg).status_code == 302


def animation(frames):
    pictures = [Image.new("RGB", (30, 20), (n * 40, 0, 0)) for n in range(frames)]
    buffer = io.BytesIO()
    pictures[0].save(buffer, "GIF", save_all=True, append_images=pictures[1:])
    return SimpleUploadedFile("moving.gif", buffer.getvalue())


def test_an_animation_is_limited_by_the_pixels_of_all_its_frames(
    editor_client, monkeypatch
):
    monkeypatch.setattr(images, "MAX_ANIMATION_PIXELS", 2_000)
    story = ArticleFactory()
    response = post_with_image(editor_client, story, animation(4))
    assert response.status_code == 200
    assert errors(response) == [
        "This animation is too large: 4 frames of 30 × 20 pixels; the limit is "
        "0.002 megapixels over all its frames. Make it smaller or shorter and "
        "upload it again."
    ]
    assert post_with_image(editor_client, story, animation(3)).status_code == 302


def test_no_thumbnail_is_made_from_a_stored_image_over_the_limit(monkeypatch):
    upload = SimpleUploadedFile("a.png", photo_bytes("PNG"))
    story = ArticleFactory(image=upload, image_alt="x")
    default_storage.delete(story.thumbnail.name)
    assert images.ensure_card_thumbnail(story.image) == story.thumbnail.name
    default_storage.delete(story.thumbnail.name)
    monkeypatch.setattr(images, "MAX_PIXELS", 1_000)
    assert images.ensure_card_thumbnail(story.image) == ""
