import datetime

import pytest
import time_machine
from django.db import IntegrityError
from django.db.models import ProtectedError
from django.utils import timezone

from articles.models import Article
from desk import services
from tests.factories import ArticleFactory, SourceFactory

pytestmark = pytest.mark.django_db


def test_published_and_is_published_agree():
    stories = [
        ArticleFactory(),
        ArticleFactory(published=True),
        ArticleFactory(scheduled=True),
        ArticleFactory(status=Article.Status.DRAFT, published_at=timezone.now()),
    ]
    published = set(Article.objects.published())
    for story in stories:
        assert story.is_published == (story in published)
    assert published == {stories[1]}


def test_a_scheduled_story_goes_live_at_its_time_without_a_job():
    story = ArticleFactory(scheduled=True)
    assert not Article.objects.published().exists()
    with time_machine.travel(story.published_at + datetime.timedelta(seconds=1)):
        assert list(Article.objects.published()) == [story]


def test_publishing_without_a_time_stamps_now():
    story = ArticleFactory(status=Article.Status.PUBLISHED)
    assert story.published_at is not None
    assert story.is_published


def test_database_refuses_a_published_story_without_a_time():
    story = ArticleFactory()
    with pytest.raises(IntegrityError):
        Article.objects.filter(pk=story.pk).update(status=Article.Status.PUBLISHED)


def test_deleting_a_source_with_stories_is_refused():
    story = ArticleFactory()
    with pytest.raises(ProtectedError):
        services.delete_source(source=story.source, user=None)
    source = SourceFactory()
    services.delete_source(source=source, user=None)


def test_save_derives_body_html_and_word_count():
    story = ArticleFactory(
        headline="Two words",
        standfirst="Three more words",
        body="*Four* words right here",
    )
    assert story.body_html == "<p><em>Four</em> words right here</p>"
    assert story.word_count == 9
    assert story.reading_minutes == 1


def test_canonical_url_uses_the_newsroom_date():
    # 22:44 UTC on 23 December is 9:44am on 24 December in Sydney.
    story = ArticleFactory(
        slug="aleppo",
        status=Article.Status.PUBLISHED,
        published_at=datetime.datetime(2016, 12, 23, 22, 44, tzinfo=datetime.UTC),
    )
    assert story.get_absolute_url() == "/2016/12/24/aleppo/"
    assert story.absolute_url == "https://news.example.com/2016/12/24/aleppo/"


def test_state_label():
    assert ArticleFactory().state_label == "Draft"
    assert ArticleFactory(scheduled=True).state_label == "Scheduled"
    assert ArticleFactory(published=True).state_label == "Published"


def test_updated_only_counts_after_five_minutes():
    story = ArticleFactory(published=True)
    story.created_at = story.published_at - datetime.timedelta(days=1)
    story.updated_at = story.published_at + datetime.timedelta(minutes=5)
    assert not story.was_updated
    story.updated_at = story.published_at + datetime.timedelta(minutes=5, seconds=1)
    assert story.was_updated


def test_a_backdated_story_is_not_updated_by_being_entered():
    story = ArticleFactory(
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() - datetime.timedelta(days=30),
    )
    assert not story.was_updated


@pytest.mark.parametrize(
    "caption, credit, reads",
    [
        ("Putin in Moscow", "AAP", "Putin in Moscow. Source: AAP"),
        (
            "Parliament House on budget night.",
            "AAP",
            "Parliament House on budget night. Source: AAP",
        ),
        ("Who won?", "", "Who won?"),
        ("", "Reuters", "Source: Reuters"),
        ("", "", ""),
    ],
)
def test_a_pictures_caption_reads_as_one_sentence_then_its_credit(
    caption, credit, reads
):
    story = Article(image_caption=caption, image_credit=credit)
    assert story.figure_caption == reads
