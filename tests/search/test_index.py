"""The index follows every change made through the desk's services, at
once: what readers find is what they could read."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from articles.models import Article
from desk import services
from search.models import SearchEntry
from tests.desk.archives import build_site, empty_the_site, export, restore
from tests.factories import ArticleFactory, SourceFactory

pytestmark = pytest.mark.django_db


def test_a_story_is_found_once_published_and_not_once_taken_down(found, editor):
    draft = ArticleFactory(headline="Harbour tunnel opens")
    assert found("tunnel") == []
    services.publish_article(article=draft, user=editor)
    assert found("tunnel") == ["Harbour tunnel opens"]
    services.unpublish_article(article=draft, user=editor)
    assert found("tunnel") == []


def test_an_edit_is_found_by_its_new_words_and_not_its_old(found, editor):
    story = ArticleFactory(published=True, headline="Harbour tunnel opens")
    services.update_article(
        article=story,
        user=editor,
        headline="Harbour bridge reopens",
        body="Traffic is *flowing* again.",
    )
    assert found("tunnel") == []
    assert found("bridge") == ["Harbour bridge reopens"]
    # The body is indexed as readers read it: Markdown rendered, tags gone.
    assert found("flowing traffic") == ["Harbour bridge reopens"]


def test_a_deleted_story_leaves_the_index(found, editor):
    story = ArticleFactory(published=True, headline="Harbour tunnel opens")
    services.delete_article(article=story, user=editor)
    assert found("tunnel") == []
    assert not SearchEntry.objects.exists()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM search_fts WHERE search_fts MATCH 'tunnel'"
            )
            assert cursor.fetchone() == (0,)


def test_a_restored_story_is_found_once_published_again(found, editor):
    story = ArticleFactory(published=True, headline="Harbour tunnel opens")
    services.delete_article(article=story, user=editor)
    restored = services.restore_deleted_article(story_id=story.pk, user=editor)
    assert found("tunnel") == []  # back as a draft
    services.publish_article(article=restored, user=editor)
    assert found("tunnel") == ["Harbour tunnel opens"]


def test_restoring_an_old_version_restores_its_words_to_the_index(found, editor):
    story = ArticleFactory(published=True, headline="Harbour tunnel opens")
    services.update_article(article=story, user=editor, headline="Bridge reopens")
    first = story.history.earliest()
    services.restore_version(article=story, version=first, user=editor)
    assert found("tunnel") == ["Harbour tunnel opens"]
    assert found("bridge") == []


def test_imported_stories_are_found(found, editor):
    source = SourceFactory()
    services.import_articles(
        user=editor,
        stories=[
            {
                "headline": f"Imported bulletin {n}",
                "slug": f"imported-{n}",
                "standfirst": "From the archive.",
                "body": "Wire copy.",
                "source": source,
                "status": "published" if n % 2 else "draft",
                "published_at": None,
            }
            for n in range(4)
        ],
    )
    assert sorted(found("bulletin")) == ["Imported bulletin 1", "Imported bulletin 3"]


def test_a_restored_archive_is_found_as_the_site_was(found, editor, reporter, tmp_path):
    build_site(editor, reporter)
    before = {q: found(q) for q in ["story", "draft", "scheduled"]}
    assert before["story"]
    export(tmp_path / "site.zip")
    empty_the_site()
    assert found("story") == []
    restore(tmp_path / "site.zip")
    assert {q: found(q) for q in before} == before


def test_the_rebuild_command_indexes_every_story_again(found):
    ArticleFactory(published=True, headline="Harbour tunnel opens")
    ArticleFactory(headline="A draft about the tunnel")
    SearchEntry.objects.all().delete()  # as if lost
    assert found("tunnel") == []
    out = io.StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert out.getvalue() == "Indexed 2 stories for search.\n"
    assert found("tunnel") == ["Harbour tunnel opens"]
    assert SearchEntry.objects.count() == Article.objects.count()
