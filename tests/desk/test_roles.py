"""Reporters draft, editors publish: what each role can and cannot do."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from articles.models import Article, Source
from tests.desk.admin_forms import ADD, CHANGELIST, change_url, errors, form_data, soup
from tests.factories import ArticleFactory, SourceFactory, UserFactory

pytestmark = pytest.mark.django_db


def permissions(group_name):
    group = Group.objects.get(name=group_name)
    return set(group.permissions.values_list("codename", flat=True))


def test_roles_migration_makes_reporter_and_editor_groups():
    assert permissions("Reporter") == {
        "add_article",
        "change_article",
        "delete_article",
        "view_article",
        "view_historicalarticle",
        "view_source",
    }
    assert permissions("Editor") == permissions("Reporter") | {
        "publish_article",
        "add_source",
        "change_source",
        "delete_source",
    }


# Not serialized_rollback: after another transactional test has flushed the
# database, restoring the snapshot collides with re-created content types.
# The `roles` fixture re-creates the groups for later tests instead.
@pytest.mark.django_db(transaction=True)
def test_roles_migration_is_reversible():
    executor = MigrationExecutor(connection)
    executor.migrate([("articles", "0001_initial")])
    assert not Group.objects.filter(name__in=["Reporter", "Editor"]).exists()
    executor.loader.build_graph()
    # Every app's latest: search's migrations, unapplied with articles',
    # come back too.
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert permissions("Reporter") and permissions("Editor")


def new_story(source, **overrides):
    return {
        "headline": "Council approves budget",
        "slug": "council-approves-budget",
        "standfirst": "Rates rise by two per cent.",
        "body": "The vote was close.",
        "source": source.pk,
        "byline": "Rita",
        "image_alt": "",
        "image_caption": "",
        "image_credit": "",
    } | overrides


def test_reporter_is_never_offered_a_way_to_publish(reporter_client, reporter):
    ArticleFactory(created_by=reporter)
    add = soup(reporter_client.get(ADD))
    assert add.find(attrs={"name": "status"}) is None
    assert add.find(attrs={"name": "published_at_0"}) is None
    assert add.select_one(".field-status .readonly").get_text(strip=True) == "Draft"
    listing = soup(reporter_client.get(CHANGELIST))
    actions = [o["value"] for o in listing.select("select[name=action] option")]
    assert "publish_now" not in actions
    assert "unpublish" not in actions


def test_editor_is_offered_publishing(editor_client):
    ArticleFactory()
    add = soup(editor_client.get(ADD))
    statuses = [o["value"] for o in add.select("select[name=status] option")]
    assert statuses == ["draft", "published"]
    listing = soup(editor_client.get(CHANGELIST))
    actions = [o["value"] for o in listing.select("select[name=action] option")]
    assert {"publish_now", "unpublish"} <= set(actions)


def test_forged_publish_on_a_new_story_from_a_reporter_stays_a_draft(
    reporter_client, reporter
):
    forged = new_story(
        SourceFactory(),
        status="published",
        published_at_0="24/12/2016",
        published_at_1="09:44:00",
    )
    response = reporter_client.post(ADD, forged)
    assert response.status_code == 302, errors(response)
    story = Article.objects.get(slug="council-approves-budget")
    assert (story.status, story.published_at) == ("draft", None)
    assert (story.created_by, story.updated_by) == (reporter, reporter)
    assert not Article.objects.published().exists()


def test_forged_publish_of_own_draft_from_a_reporter_stays_a_draft(
    reporter_client, reporter
):
    story = ArticleFactory(created_by=reporter)
    data = form_data(reporter_client.get(change_url(story)))
    assert "status" not in data
    forged = data | {
        "headline": "Edited",
        "status": "published",
        "published_at_0": "24/12/2016",
        "published_at_1": "09:44:00",
    }
    response = reporter_client.post(change_url(story), forged)
    assert response.status_code == 302, errors(response)
    story.refresh_from_db()
    assert (story.headline, story.status, story.published_at) == (
        "Edited",
        "draft",
        None,
    )


def test_forged_publish_action_from_a_reporter_does_nothing(reporter_client, reporter):
    story = ArticleFactory(created_by=reporter)
    response = reporter_client.post(
        CHANGELIST, {"action": "publish_now", "_selected_action": [story.pk]}
    )
    assert response.status_code in {200, 302}
    story.refresh_from_db()
    assert story.status == "draft"


@pytest.mark.parametrize(
    "traits", [{"published": True}, {"scheduled": True}], ids=["published", "scheduled"]
)
def test_reporters_own_published_or_scheduled_story_is_read_only(
    reporter_client, reporter, traits
):
    story = ArticleFactory(created_by=reporter, **traits)
    response = reporter_client.get(change_url(story))
    assert response.status_code == 200
    page = soup(response)
    assert page.find("textarea", attrs={"name": "body"}) is None
    assert page.find("input", attrs={"name": "_save"}) is None
    post = reporter_client.post(change_url(story), {"headline": "Changed"})
    # Refused: the form comes back with what was typed, nothing is saved.
    assert post.status_code == 200
    assert errors(post)
    story.refresh_from_db()
    assert story.headline != "Changed"


def test_reporter_cannot_change_someone_elses_draft(reporter_client):
    story = ArticleFactory()  # created by someone else
    assert (
        soup(reporter_client.get(change_url(story))).find(
            "input", attrs={"name": "_save"}
        )
        is None
    )
    response = reporter_client.post(change_url(story), {"headline": "Mine now"})
    assert response.status_code == 403


def test_reporter_may_delete_own_draft_but_not_published_stories(
    reporter_client, reporter
):
    draft = ArticleFactory(created_by=reporter)
    live = ArticleFactory(created_by=reporter, published=True)
    delete = "/admin/articles/article/{}/delete/"
    response = reporter_client.post(delete.format(live.pk), {"post": "yes"})
    assert response.status_code == 403
    bulk = {"action": "delete_selected", "_selected_action": [live.pk], "post": "yes"}
    assert reporter_client.post(CHANGELIST, bulk).status_code == 403
    assert Article.objects.filter(pk=live.pk).exists()
    response = reporter_client.post(delete.format(draft.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not Article.objects.filter(pk=draft.pk).exists()


def test_reporter_cannot_manage_sources(reporter_client):
    source = SourceFactory()
    assert reporter_client.get("/admin/articles/source/").status_code == 200
    assert reporter_client.get("/admin/articles/source/add/").status_code == 403
    response = reporter_client.post(
        f"/admin/articles/source/{source.pk}/change/", {"name": "X", "slug": "x"}
    )
    assert response.status_code == 403
    delete = f"/admin/articles/source/{source.pk}/delete/"
    response = reporter_client.post(delete, {"post": "yes"})
    assert response.status_code == 403
    assert Source.objects.filter(pk=source.pk, name=source.name).exists()


def test_editor_edits_a_published_story_and_publishes_from_the_form(
    editor_client, editor
):
    live = ArticleFactory(published=True)
    data = form_data(editor_client.get(change_url(live))) | {"headline": "Corrected"}
    assert editor_client.post(change_url(live), data).status_code == 302
    live.refresh_from_db()
    assert (live.headline, live.updated_by) == ("Corrected", editor)

    draft = ArticleFactory()
    data = form_data(editor_client.get(change_url(draft))) | {"status": "published"}
    response = editor_client.post(change_url(draft), data)
    assert response.status_code == 302, errors(response)
    draft.refresh_from_db()
    assert draft.is_published
    assert draft.updated_by == editor


def test_editor_schedules_a_story_from_the_form(editor_client):
    draft = ArticleFactory()
    data = form_data(editor_client.get(change_url(draft))) | {
        "status": "published",
        "published_at_0": "24/12/2099",
        "published_at_1": "09:44:00",
    }
    assert editor_client.post(change_url(draft), data).status_code == 302
    draft.refresh_from_db()
    assert draft.state_label == "Scheduled"
    assert not Article.objects.published().exists()


def test_staff_without_the_roles_see_nothing(client, db):
    client.force_login(UserFactory())
    assert client.get(CHANGELIST).status_code == 403
