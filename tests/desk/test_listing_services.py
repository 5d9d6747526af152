"""Sections, authors, topics and the front page's places, written through
the services: who may, what is refused, and what readers then see."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from articles import edition
from articles.models import Article, Author, FrontPagePin, Section
from desk import policy, services
from tests.factories import ArticleFactory
from tests.photos import assert_no_metadata, photo_upload

pytestmark = pytest.mark.django_db


def test_editors_run_sections_and_authors_reporters_tag_stories(editor, reporter):
    assert policy.can_manage_sections(editor) and not policy.can_manage_sections(
        reporter
    )
    assert policy.can_manage_authors(editor) and not policy.can_manage_authors(reporter)
    assert policy.can_manage_topics(reporter) and not policy.can_delete_topics(reporter)
    assert policy.can_curate_front_page(editor)
    assert not policy.can_curate_front_page(reporter)
    with pytest.raises(PermissionDenied):
        services.save_section(user=reporter, name="Sport", slug="sport")
    with pytest.raises(PermissionDenied):
        services.save_author(user=reporter, name="Me", slug="me")
    topic = services.save_topic(user=reporter, name="Floods", slug="floods")
    with pytest.raises(PermissionDenied):
        services.delete_topic(topic=topic, user=reporter)


def test_a_new_story_goes_in_the_default_section_unless_one_is_chosen(editor):
    sport = services.save_section(user=editor, name="Sport", slug="sport")
    assert ArticleFactory().section.slug == Section.DEFAULT_SLUG
    assert ArticleFactory(section=sport).section == sport


def test_authors_are_credited_in_the_order_given(editor):
    jo, sam = (
        services.save_author(user=editor, name=name, slug=name.lower())
        for name in ["Jo", "Sam"]
    )
    story = ArticleFactory(authors=[sam, jo])
    assert Article.objects.with_credits().get().credited_authors == [sam, jo]
    services.update_article(article=story, user=editor, authors=[jo, sam, jo])
    assert Article.objects.with_credits().get().credited_authors == [jo, sam]
    # Not given: left as they are.
    services.update_article(article=story, user=editor, headline="Changed")
    assert Article.objects.with_credits().get().credited_authors == [jo, sam]


def test_a_section_with_stories_cannot_be_deleted(editor):
    sport = services.save_section(user=editor, name="Sport", slug="sport")
    ArticleFactory(section=sport)
    with pytest.raises(ValidationError, match="still has stories"):
        services.delete_section(section=sport, user=editor)
    assert Section.objects.filter(slug="sport").exists()


def test_a_topic_deleted_leaves_its_stories(editor):
    topic = services.save_topic(user=editor, name="Floods", slug="floods")
    story = ArticleFactory(topics=[topic], published=True)
    services.delete_topic(topic=topic, user=editor)
    story.refresh_from_db()
    assert list(story.topics.all()) == []


def test_renaming_a_section_is_a_new_edition(editor):
    sport = services.save_section(user=editor, name="Sport", slug="sport")
    before = edition.current().token
    services.save_section(user=editor, section=sport, name="Sports")
    assert edition.current().token != before


def test_an_authors_photo_is_stored_without_its_metadata(editor, settings):
    author = services.save_author(
        user=editor, name="Sam Lee", slug="sam-lee", photo=photo_upload("JPEG")
    )
    author = Author.objects.get()
    assert author.photo.name == "authors/sam-lee.jpg"
    assert (author.photo_width, author.photo_height) == (60, 40)
    with author.photo.open("rb") as stored:
        assert_no_metadata(stored.read())
    services.save_author(user=editor, author=author, photo="")
    assert not Author.objects.get().photo


def test_an_authors_links_are_web_addresses_only(editor):
    with pytest.raises(ValidationError) as refused:
        services.save_author(
            user=editor, name="Sam", slug="sam", profiles="javascript:alert(1)"
        )
    assert "profiles" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.save_author(user=editor, name="Sam", slug="sam", website="ftp://x")
    assert "website" in refused.value.message_dict
    sam = services.save_author(
        user=editor,
        name="Sam",
        slug="sam",
        website="https://sam.example/",
        profiles="https://bsky.app/profile/sam\n\n https://mastodon.example/@sam ",
    )
    assert sam.links == [
        "https://sam.example/",
        "https://bsky.app/profile/sam",
        "https://mastodon.example/@sam",
    ]


def test_a_story_holds_one_front_page_place(editor):
    story = ArticleFactory(published=True)
    services.pin_story(user=editor, article=story, slot=FrontPagePin.Slot.LEAD)
    services.pin_story(user=editor, article=story, slot=FrontPagePin.Slot.SECOND_2)
    assert list(FrontPagePin.objects.values_list("slot", "article")) == [
        (FrontPagePin.Slot.SECOND_2, story.pk)
    ]
    services.unpin_story(user=editor, slot=FrontPagePin.Slot.SECOND_2)
    assert not FrontPagePin.objects.exists()


def test_a_place_must_end_in_the_future_and_exist(editor, reporter):
    story = ArticleFactory(published=True)
    past = timezone.now() - datetime.timedelta(minutes=1)
    with pytest.raises(ValidationError):
        services.pin_story(user=editor, article=story, slot=0, ends_at=past)
    with pytest.raises(ValidationError):
        services.pin_story(user=editor, article=story, slot=9)
    with pytest.raises(PermissionDenied):
        services.pin_story(user=reporter, article=story, slot=0)
