"""The "Deleted stories" page in the admin, and a deleted story's history."""

import datetime

import pytest
from django.test import Client

from articles.models import Article
from desk import services
from tests.desk.admin_forms import CHANGELIST, change_url, errors, form_data, messages
from tests.desk.admin_forms import soup as parse
from tests.factories import ArticleFactory, SourceFactory, UserFactory

pytestmark = pytest.mark.django_db

DELETED = "/admin/articles/article/deleted/"
SYDNEY = datetime.timezone(datetime.timedelta(hours=11))


def restore_url(story_id):
    return f"{DELETED}{story_id}/"


def history_url(story_id):
    return f"/admin/articles/article/{story_id}/history/"


def rows(response):
    table = parse(response).find("table", id="deleted-stories")
    if table is None:
        return []
    return [
        [" ".join(cell.get_text(" ").split()) for cell in row.find_all(["th", "td"])]
        for row in table.tbody.find_all("tr")
    ]


@pytest.fixture
def bin_contents(editor, reporter):
    """A published story and a reporter's draft, deleted; one story live."""
    published = ArticleFactory(
        headline="Storm hits the coast",
        source=SourceFactory(name="AAP", slug="aap"),
        published=True,
        published_at=datetime.datetime(2016, 12, 24, 9, 44, tzinfo=SYDNEY),
    )
    draft = ArticleFactory(headline="Rita's rough draft", created_by=reporter)
    ArticleFactory(headline="Still on the site", published=True)
    services.delete_article(article=published, user=editor)
    services.delete_article(article=draft, user=reporter)
    return {"published": published.pk, "draft": draft.pk}


def test_the_story_list_links_to_the_deleted_stories(editor_client):
    page = parse(editor_client.get(CHANGELIST))
    link = page.select_one(".object-tools a[href='/admin/articles/article/deleted/']")
    assert link is not None and link.get_text(strip=True) == "Deleted stories"


def test_an_editor_sees_every_deleted_story_with_who_when_and_its_state(
    editor_client, bin_contents
):
    response = editor_client.get(DELETED)
    assert response.status_code == 200
    found = rows(response)
    assert [row[0] for row in found] == ["Rita's rough draft", "Storm hits the coast"]
    draft, published = found
    # Headline, source, deleted by, when, its state before, the button.
    assert (draft[2], draft[4], draft[5]) == ("rita", "Draft", "Restore")
    assert (published[1], published[2]) == ("AAP", "ed")
    assert published[3]  # when, in the newsroom's time
    assert published[4] == "Published 24 December 2016 9:44am"
    assert "Restore" in published[-1]


def test_a_reporter_sees_only_their_own_deleted_drafts(client, reporter, bin_contents):
    client.force_login(reporter)
    assert [row[0] for row in rows(client.get(DELETED))] == ["Rita's rough draft"]
    assert client.get(restore_url(bin_contents["published"])).status_code == 403
    assert client.post(restore_url(bin_contents["published"])).status_code == 403
    assert not Article.objects.filter(pk=bin_contents["published"]).exists()


def test_staff_without_a_role_get_no_list(client, bin_contents):
    client.force_login(UserFactory())
    assert client.get(DELETED).status_code == 403


def test_an_editor_restores_a_story_with_the_button(editor, bin_contents):
    # CSRF checked as a browser's post would be.
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(editor)
    page = parse(browser.get(DELETED))
    button = page.find("form", attrs={"action": restore_url(bin_contents["published"])})
    assert button is not None and button["method"] == "post"
    token = button.find("input", attrs={"name": "csrfmiddlewaretoken"})["value"]

    assert browser.post(restore_url(bin_contents["published"])).status_code == 403
    response = browser.post(
        restore_url(bin_contents["published"]), {"csrfmiddlewaretoken": token}
    )

    story = Article.objects.get(pk=bin_contents["published"])
    assert response.status_code == 302
    assert response["Location"] == change_url(story)
    assert (story.headline, story.status) == ("Storm hits the coast", "draft")
    followed = browser.get(response["Location"])
    assert messages(followed) == [
        "“Storm hits the coast” is back, as a draft. Publish it when it should be "
        "on the site again: it keeps its original time and address."
    ]
    assert [row[0] for row in rows(browser.get(DELETED))] == ["Rita's rough draft"]


def test_a_taken_address_asks_for_a_new_slug(editor_client, bin_contents):
    ArticleFactory(slug="story-number-0", headline="The newcomer")
    story_id = bin_contents["published"]
    slug = Article.history.filter(id=story_id).latest().slug
    services.update_article(
        article=Article.objects.get(headline="The newcomer"), user=None, slug=slug
    )

    response = editor_client.post(restore_url(story_id), {})
    assert response.status_code == 200
    assert errors(response) == [
        f"Another story, “The newcomer”, now uses the address {slug}. "
        "Restore this one under a new slug."
    ]
    assert form_data(response, "restore-form")["slug"] == slug
    assert not Article.objects.filter(pk=story_id).exists()

    retry = form_data(response, "restore-form") | {"slug": f"{slug}-again"}
    assert editor_client.post(restore_url(story_id), retry).status_code == 302
    assert Article.objects.get(pk=story_id).slug == f"{slug}-again"


def test_a_malformed_slug_is_refused_with_the_form_again(editor_client, bin_contents):
    response = editor_client.post(restore_url(bin_contents["draft"]), {"slug": "a b"})
    assert response.status_code == 200
    assert errors(response)
    assert not Article.objects.filter(pk=bin_contents["draft"]).exists()


def test_a_story_that_is_not_deleted_has_no_restore_page(editor_client):
    story = ArticleFactory()
    assert editor_client.get(restore_url(story.pk)).status_code == 404
    assert editor_client.post(restore_url(story.pk)).status_code == 404
    assert editor_client.get(restore_url(story.pk + 1000)).status_code == 404


def test_a_deleted_storys_history_offers_the_restore(editor_client, bin_contents):
    story_id = bin_contents["published"]
    page = parse(editor_client.get(history_url(story_id)))
    notice = page.select_one(".deleted-notice")
    assert notice is not None and "This story was deleted" in notice.get_text()
    assert notice.find("a", href=restore_url(story_id)) is not None


def test_the_old_revert_link_leads_to_the_restore_for_an_editor(
    editor_client, bin_contents
):
    story_id = bin_contents["published"]
    first = Article.history.filter(id=story_id).earliest()
    version = f"{history_url(story_id)}{first.history_id}/"

    shown = editor_client.get(version)
    assert shown.status_code == 302 and shown["Location"] == restore_url(story_id)
    sent = editor_client.post(version, {"headline": "x", "opened_version": "1"})
    assert sent.status_code == 302 and sent["Location"] == restore_url(story_id)
    page = editor_client.get(restore_url(story_id))
    assert "Restore it first" in " ".join(messages(page))
    assert not Article.objects.filter(pk=story_id).exists()


def test_the_old_revert_link_says_why_to_a_reporter(client, reporter, bin_contents):
    client.force_login(reporter)
    story_id = bin_contents["published"]
    first = Article.history.filter(id=story_id).earliest()
    version = f"{history_url(story_id)}{first.history_id}/"
    shown = client.get(version)
    assert shown.status_code == 200  # reading the history stays open
    assert parse(shown).find("input", attrs={"value": "Revert"}) is None
    refused = client.post(version, {"headline": "x"})
    assert refused.status_code == 403
    assert "Only an editor may restore it" in parse(refused).get_text()


def test_a_deleted_storys_versions_can_be_compared(editor_client, editor):
    story = ArticleFactory(headline="One")
    services.update_article(article=story, user=editor, headline="Two")
    services.delete_article(article=story, user=editor)
    old, new = Article.history.filter(id=story.pk).order_by("history_id")[:2]
    response = editor_client.get(
        f"{history_url(story.pk)}compare/?from={old.history_id}&to={new.history_id}"
    )
    assert response.status_code == 200
    assert "One" in response.content.decode() and "Two" in response.content.decode()
