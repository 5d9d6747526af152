"""Publishing and unpublishing, as functions and as admin actions."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from articles.models import Article
from desk import services
from tests.desk.admin_forms import CHANGELIST, messages
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def test_publish_puts_a_draft_live_now(editor, client):
    draft = ArticleFactory()
    before = timezone.now()
    story = services.publish_article(article=draft, user=editor)
    assert story.is_published
    assert before.replace(microsecond=0) <= story.published_at <= timezone.now()
    assert story.published_at.microsecond == 0  # as the form shows it
    assert (story.version, story.updated_by) == (2, editor)
    latest = story.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (editor, "Published")
    assert latest.status == "published"
    assert client.get(story.get_absolute_url()).status_code == 200


def test_publish_sends_a_scheduled_story_out_now(editor):
    scheduled = ArticleFactory(scheduled=True)
    story = services.publish_article(article=scheduled, user=editor)
    assert story.is_published
    assert story.published_at <= timezone.now()


def test_republishing_keeps_the_original_time_and_address(editor):
    went_out = timezone.now() - 3 * HOUR
    story = ArticleFactory(published=True, published_at=went_out)
    url = story.get_absolute_url()
    services.unpublish_article(article=story, user=editor)
    story = services.publish_article(article=story, user=editor)
    assert (story.published_at, story.get_absolute_url()) == (went_out, url)


def test_publishing_a_live_story_changes_nothing(editor):
    live = ArticleFactory(published=True)
    story = services.publish_article(article=live, user=editor)
    assert story.version == 1
    assert story.history.count() == 1


def test_unpublish_takes_a_story_back_to_draft(editor, client):
    live = ArticleFactory(published=True)
    url = live.get_absolute_url()
    story = services.unpublish_article(article=live, user=editor)
    assert (story.status, story.version, story.updated_by) == ("draft", 2, editor)
    assert story.history.latest().history_change_reason == "Unpublished"
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "action", [services.publish_article, services.unpublish_article]
)
def test_only_editors_may_publish_or_unpublish(reporter, action):
    story = ArticleFactory(created_by=reporter, published=True)
    version = story.version
    with pytest.raises(PermissionDenied):
        action(article=story, user=reporter)
    story.refresh_from_db()
    assert story.version == version


def test_actions_work_on_a_stale_copy_of_the_story(editor):
    story = ArticleFactory()
    stale = Article.objects.get(pk=story.pk)
    services.update_article(article=story, user=editor, byline="Someone else")
    published = services.publish_article(article=stale, user=editor)
    assert published.version == 3


def test_lock_for_edit_refuses_a_stale_version(editor):
    story = ArticleFactory()
    assert services.lock_for_edit(article_pk=story.pk, opened_version=1) == story
    services.publish_article(article=story, user=editor)
    with pytest.raises(services.StaleEdit) as refused:
        services.lock_for_edit(article_pk=story.pk, opened_version=1)
    assert refused.value.current.updated_by == editor
    with pytest.raises(services.StaleEdit):
        services.lock_for_edit(article_pk=story.pk, opened_version=None)


def run_action(client, action, stories):
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [s.pk for s in stories]},
        follow=True,
    )


def test_publish_now_action_reports_how_many_changed(editor_client, editor):
    drafts = ArticleFactory.create_batch(2)
    scheduled = ArticleFactory(scheduled=True)
    live = ArticleFactory(published=True)
    response = run_action(editor_client, "publish_now", [*drafts, scheduled, live])
    assert messages(response) == [
        "3 stories published. 1 story already live, left unchanged."
    ]
    assert Article.objects.published().count() == 4
    for story in [*drafts, scheduled]:
        story.refresh_from_db()
        assert story.updated_by == editor
        assert story.history.latest().history_user == editor


def test_unpublish_action_reports_how_many_changed(editor_client):
    live = ArticleFactory(published=True)
    draft = ArticleFactory()
    response = run_action(editor_client, "unpublish", [live, draft])
    assert messages(response) == [
        "1 story moved back to draft. 1 story already in draft, left unchanged."
    ]
    live.refresh_from_db()
    assert live.status == "draft"
