"""A body too long or too deeply nested to render is refused with a reason,
by every writer, and the editor gets their text back on the form."""

import pytest
from django.core.exceptions import ValidationError

from articles import text
from articles.models import Article
from desk import services
from tests.desk.admin_forms import ADD, change_url, form_data, soup
from tests.desk.test_admin import post_new_story
from tests.factories import ArticleFactory, SourceFactory

pytestmark = pytest.mark.django_db

TOO_LONG = "[" * (text.MAX_BODY_CHARACTERS + 1)
TOO_DEEP = "".join("  " * level + "- item\n" for level in range(200))


def body_errors(response):
    row = soup(response).find(class_="field-body")
    return [
        " ".join(error.get_text(" ").split()) for error in row.select(".errorlist li")
    ]


@pytest.mark.parametrize(
    ("body", "reason"),
    [(TOO_LONG, "characters long"), (TOO_DEEP, "nested more than")],
    ids=["long", "deep"],
)
def test_the_add_form_refuses_it_on_the_body_and_keeps_the_text(
    editor_client, body, reason
):
    response = post_new_story(editor_client, SourceFactory(), body=body)
    assert response.status_code == 200
    [error] = body_errors(response)
    assert reason in error
    assert form_data(response)["body"] == body
    assert not Article.objects.exists()


def test_the_change_form_refuses_it_and_the_story_stays_as_it_was(editor_client):
    story = ArticleFactory(body="The storm arrived.")
    data = form_data(editor_client.get(change_url(story))) | {"body": TOO_DEEP}
    response = editor_client.post(change_url(story), data)
    assert response.status_code == 200
    assert "nested more than" in body_errors(response)[0]
    assert form_data(response)["body"] == TOO_DEEP
    story.refresh_from_db()
    assert (story.body, story.version) == ("The storm arrived.", 1)


def test_a_body_at_the_limit_is_saved(editor_client):
    body = "word " * (text.MAX_BODY_CHARACTERS // 5)
    response = post_new_story(editor_client, SourceFactory(), body=body)
    assert response.status_code == 302
    assert len(Article.objects.get().body) == text.MAX_BODY_CHARACTERS - 1


def test_windows_line_ends_count_as_one_character(editor_client):
    lines = "word\r\n" * (text.MAX_BODY_CHARACTERS // 5)
    response = post_new_story(editor_client, SourceFactory(), body=lines)
    assert response.status_code == 302, body_errors(response)


@pytest.mark.parametrize("body", [TOO_LONG, TOO_DEEP], ids=["long", "deep"])
def test_the_services_refuse_it_for_every_writer(editor, body):
    source = SourceFactory()
    with pytest.raises(ValidationError) as refused:
        services.create_article(
            user=editor,
            headline="A",
            slug="a",
            standfirst="S.",
            source=source,
            body=body,
        )
    assert list(refused.value.message_dict) == ["body"]
    with pytest.raises(ValidationError):
        services.import_articles(
            user=editor,
            stories=[
                {"headline": "B", "slug": "b", "standfirst": "S.", "source": source}
                | {"body": body}
            ],
        )
    story = ArticleFactory(body="Short.")
    with pytest.raises(ValidationError):
        services.update_article(article=story, user=editor, body=body)
    assert Article.objects.get().body == "Short."


def test_a_story_saved_before_the_limit_can_still_be_published_and_taken_down(
    editor,
):
    story = ArticleFactory(body="Short.")
    # As if saved before the limit existed (no writer may store it now).
    Article.objects.filter(pk=story.pk).update(body="word " * 30_000)
    story = services.publish_article(article=story, user=editor)
    assert story.is_published
    story = services.unpublish_article(article=story, user=editor)
    assert story.status == Article.Status.DRAFT
    story = services.update_article(article=story, user=editor, headline="Changed")
    assert story.headline == "Changed"


def test_the_help_text_names_the_limit(editor_client):
    help_text = soup(editor_client.get(ADD)).find(id="id_body_helptext").get_text()
    assert f"{text.MAX_BODY_CHARACTERS:,} characters" in help_text
    assert "HTML" in help_text and "as text" in help_text


def test_restoring_a_version_over_the_limit_is_refused_on_the_form(editor_client):
    story = ArticleFactory(body="Short.")
    # A version saved before the limit existed.
    story.history.update(body="word " * 30_000)
    edited = form_data(editor_client.get(change_url(story))) | {"body": "Edited."}
    assert editor_client.post(change_url(story), edited).status_code == 302
    url = (
        f"/admin/articles/article/{story.pk}/history/"
        f"{story.history.earliest().history_id}/"
    )
    data = form_data(editor_client.get(url), "historicalarticle_form")
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "characters long" in body_errors(response)[0]
    story.refresh_from_db()
    assert (story.body, story.version) == ("Edited.", 2)
