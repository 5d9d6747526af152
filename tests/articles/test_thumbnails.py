"""Story cards use a small copy of the hero image, made when a story is saved."""

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from articles import images
from articles.images import CARD_SIZE
from articles.models import Article
from desk import services
from tests.conftest import picture
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def open_stored(name):
    with default_storage.open(name, "rb") as file:
        image = Image.open(file)
        image.load()
        return image


def test_saving_a_story_with_an_image_makes_a_card_thumbnail():
    story = ArticleFactory(published=True, image=picture(), image_alt="A photo")
    assert story.thumbnail.name.startswith("thumbnails/articles/")
    thumbnail = open_stored(story.thumbnail.name)
    assert (thumbnail.format, thumbnail.size) == ("JPEG", CARD_SIZE)
    assert default_storage.size(story.thumbnail.name) < default_storage.size(
        story.image.name
    )


def test_transparent_images_are_laid_over_white():
    story = ArticleFactory(
        image=picture(mode="RGBA", colour=(0, 0, 0, 0), fmt="PNG"), image_alt="x"
    )
    assert open_stored(story.thumbnail.name).getpixel((10, 10)) == (255, 255, 255)


def test_a_new_image_gets_a_new_thumbnail_and_removing_it_clears_it():
    story = ArticleFactory(image=picture(colour="red"), image_alt="x")
    first = story.thumbnail.name
    story = services.update_article(
        article=story, user=None, image=picture(colour="green")
    )
    assert story.thumbnail.name != first
    red, green, _ = open_stored(story.thumbnail.name).getpixel((5, 5))
    assert green > 100 and red < 50
    story = services.update_article(article=story, user=None, image="")
    assert not story.thumbnail


def test_saving_again_reuses_the_thumbnail():
    story = ArticleFactory(image=picture(), image_alt="x")
    name = story.thumbnail.name
    story = services.update_article(article=story, user=None, headline="An edit")
    assert story.thumbnail.name == name


def test_a_missing_image_file_does_not_stop_a_save(client, html):
    story = ArticleFactory(published=True, image=picture(), image_alt="x")
    default_storage.delete(story.image.name)
    default_storage.delete(story.thumbnail.name)
    story = services.update_article(article=story, user=None, headline="Still saved")
    assert not story.thumbnail
    card = html(client.get("/latest/")).select_one(".story-card")
    # No thumbnail: the card falls back to the full image.
    assert card.img["src"] == story.image.url


def test_cards_use_the_thumbnail(client, html):
    story = ArticleFactory(published=True, image=picture(), image_alt="x")
    card = html(client.get("/latest/")).select_one(".story-card")
    assert card.img["src"] == story.thumbnail.url
    assert client.get(story.thumbnail.url).status_code == 200


def test_images_differing_only_by_extension_keep_their_own_thumbnails():
    # Stored under one stem (a story renamed to another's old slug could
    # be): each picture still gets a card of its own.
    for colour, fmt in [("red", "PNG"), ("blue", "JPEG")]:
        default_storage.save(
            f"articles/x/same.{fmt.lower()}", picture(colour=colour, fmt=fmt)
        )
    red = Article(image="articles/x/same.png").image
    blue = Article(image="articles/x/same.jpeg").image
    red_card = images.ensure_card_thumbnail(red)
    blue_card = images.ensure_card_thumbnail(blue)
    assert red_card != blue_card
    r, _, b = open_stored(blue_card).getpixel((5, 5))
    assert b > 100 and r < 50
