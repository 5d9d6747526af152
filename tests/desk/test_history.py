"""Nothing is lost: every version kept, restorable, and no stale save wins."""

import datetime

import pytest
import time_machine
from django.test import Client

from articles.models import Article
from desk import services
from tests.desk.admin_forms import change_url, errors, form_data, soup
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

SYDNEY = datetime.timezone(datetime.timedelta(hours=11))


def history_url(story):
    return f"/admin/articles/article/{story.pk}/history/"


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def edit(client, story, **changes):
    data = form_data(client.get(change_url(story))) | changes
    return client.post(change_url(story), data)


def test_every_save_is_kept_with_who_and_what_changed(editor_client, editor, reporter):
    story = ArticleFactory(headline="First take", created_by=reporter)
    assert edit(logged_in(reporter), story, headline="Second take").status_code == 302
    assert edit(editor_client, story, headline="Final take").status_code == 302
    records = list(story.history.all())
    assert [r.headline for r in records] == ["Final take", "Second take", "First take"]
    assert [r.history_user for r in records[:2]] == [editor, reporter]
    assert [r.version for r in records] == [3, 2, 1]

    page = soup(editor_client.get(history_url(story)))
    rows = page.select("#change-history tbody tr")
    assert len(rows) == 3
    latest = " ".join(rows[0].get_text(" ").split())
    assert "ed" in latest
    assert "Headline: Second take → Final take" in latest


def test_editor_restores_an_earlier_version(editor_client, editor):
    story = ArticleFactory(headline="What we first said", body="Original body.")
    edit(editor_client, story, headline="A worse headline", body="Worse body.")
    first = story.history.earliest()
    url = f"{history_url(story)}{first.history_id}/"
    response = editor_client.get(url)
    assert response.status_code == 200
    page = soup(response)
    assert page.find("input", attrs={"value": "Revert"}) is not None
    data = form_data(response, "historicalarticle_form")
    assert data["headline"] == "What we first said"
    assert data["opened_version"] == "2"  # the version now saved, not the old one

    assert editor_client.post(url, data).status_code == 302
    story.refresh_from_db()
    assert (story.headline, story.body, story.version) == (
        "What we first said",
        "Original body.",
        3,
    )
    assert story.body_html == "<p>Original body.</p>"
    restored = story.history.latest()
    assert restored.history_user == editor
    assert restored.history_change_reason == "Restored version 1"
    assert story.history.count() == 3


def test_restoring_from_a_stale_page_is_refused(editor_client, editor):
    story = ArticleFactory(headline="One")
    edit(editor_client, story, headline="Two")
    url = f"{history_url(story)}{story.history.earliest().history_id}/"
    data = form_data(editor_client.get(url), "historicalarticle_form")
    edit(editor_client, story, headline="Three")
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "since you opened it" in " ".join(errors(response))
    story.refresh_from_db()
    assert story.headline == "Three"


def test_reporter_cannot_restore_a_story_they_may_not_change(reporter_client):
    story = ArticleFactory(headline="One", published=True)
    story = services.update_article(article=story, user=None, headline="Two")
    url = f"{history_url(story)}{story.history.earliest().history_id}/"
    response = reporter_client.get(url)
    assert response.status_code == 200
    assert soup(response).find("input", attrs={"value": "Revert"}) is None
    forged = {"headline": "One", "opened_version": "2"}
    assert reporter_client.post(url, forged).status_code == 403
    story.refresh_from_db()
    assert story.headline == "Two"


def test_second_save_of_a_stale_form_is_refused_and_keeps_their_text(editor):
    story = ArticleFactory(headline="Fire at the docks", created_by=editor)
    alice = UserFactory(
        username="alice", first_name="Alice", last_name="Ng", role="Editor"
    )
    alices, eds = logged_in(alice), logged_in(editor)
    alices_form = form_data(alices.get(change_url(story)))
    eds_form = form_data(eds.get(change_url(story)))

    moment = datetime.datetime(2016, 12, 24, 9, 44, tzinfo=SYDNEY)
    with time_machine.travel(moment, tick=False):
        first = alices.post(change_url(story), alices_form | {"body": "Alice's facts."})
    assert first.status_code == 302

    typed = "Ed's long rewrite,\nwhich must not be lost."
    second = eds.post(change_url(story), eds_form | {"body": typed})
    assert second.status_code == 200
    assert errors(second) == [
        "Not saved: this story was changed by Alice Ng at 24 December 2016 9:44am "
        "since you opened it. Your text is kept below: copy what you need, then "
        "open the story again to see their version and add your changes to it."
    ]
    assert form_data(second)["body"] == typed
    story.refresh_from_db()
    assert (story.body, story.updated_by, story.version) == ("Alice's facts.", alice, 2)

    # Saving the same stale form again is still refused; a fresh one works.
    assert eds.post(change_url(story), form_data(second)).status_code == 200
    assert edit(eds, story, body=typed).status_code == 302


def test_a_publish_after_the_form_was_opened_makes_it_stale(editor_client, editor):
    story = ArticleFactory()
    data = form_data(editor_client.get(change_url(story))) | {"headline": "Late"}
    services.publish_article(article=story, user=UserFactory(role="Editor"))
    response = editor_client.post(change_url(story), data)
    assert response.status_code == 200
    story.refresh_from_db()
    assert story.is_published and story.headline != "Late"


def test_a_form_without_its_version_is_refused(editor_client):
    story = ArticleFactory()
    data = form_data(editor_client.get(change_url(story)))
    del data["opened_version"]
    response = editor_client.post(change_url(story), data | {"headline": "Blind"})
    assert response.status_code == 200
    assert Article.objects.get(pk=story.pk).headline != "Blind"


def test_consecutive_saves_by_one_editor_each_bump_the_version(editor_client):
    story = ArticleFactory()
    for n in range(3):
        assert edit(editor_client, story, byline=f"Take {n}").status_code == 302
    story.refresh_from_db()
    assert (story.version, story.byline) == (4, "Take 2")


def test_reporters_draft_published_while_open_comes_back_with_their_text(
    reporter_client, reporter, editor
):
    story = ArticleFactory(created_by=reporter, headline="Flood warning")
    data = form_data(reporter_client.get(change_url(story)))
    services.publish_article(article=story, user=editor)

    typed = "The reporter's late paragraph, still being written."
    response = reporter_client.post(change_url(story), data | {"body": typed})
    assert response.status_code == 200
    assert errors(response)[0].startswith("Not saved: this story was changed by")
    assert form_data(response)["body"] == typed
    story.refresh_from_db()
    assert story.is_published and story.body != typed


def test_reporter_cannot_save_their_story_once_published_even_if_current(
    reporter_client, reporter, editor
):
    story = ArticleFactory(created_by=reporter)
    services.publish_article(article=story, user=editor)
    story.refresh_from_db()
    # A forged form carrying the current version: the guard in save_model holds.
    response = reporter_client.post(
        change_url(story),
        {
            "headline": "Hijacked",
            "slug": story.slug,
            "standfirst": story.standfirst,
            "body": story.body,
            "source": story.source_id,
            "opened_version": story.version,
        },
    )
    assert response.status_code == 403
    story.refresh_from_db()
    assert story.headline != "Hijacked" and story.is_published
