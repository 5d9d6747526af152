import pytest
from django.core.management import call_command

from articles.models import Article, Source

pytestmark = pytest.mark.django_db


def test_load_demo_is_idempotent(demo_article):
    before = list(Article.objects.values()), list(Source.objects.values())
    call_command("load_demo", stdout=open("/dev/null", "w"))
    after = list(Article.objects.values()), list(Source.objects.values())
    assert before == after
    assert demo_article.history.count() == 1


def test_demo_story_fields(demo_article):
    assert demo_article.source.name == "AAP"
    assert Source.objects.get(slug="sbs-news").name == "SBS News"
    assert demo_article.word_count == 358
    assert demo_article.reading_minutes == 2
    assert demo_article.is_published
    assert demo_article.image_caption == "Russian President Vladimir Putin"
    assert demo_article.image_credit == "AAP"
