"""Every text field the services write is cleaned (core/characters.py):
what an editor pastes or a wire sends is stored without the characters
that break feeds, in whatever way it arrives."""

import pytest
from django.core.exceptions import ValidationError

from articles.models import Article, Source
from desk import services
from tests.conftest import picture
from tests.desk.admin_forms import ADD, change_url, errors, form_data
from tests.factories import ArticleFactory, SourceFactory

pytestmark = pytest.mark.django_db

# Word's manual line break, a page break, NUL, an escape, DEL, Windows-1252
# read as Latin-1, and two non-characters.
PASTED = "Storm\x0bhits\x0cthe\x00 coast\x1b\x7f \x93today\x94\ufffe\uffff"
ONE_LINE = "Storm hits the coast  \u201ctoday\u201d"
MULTILINE = "Storm\nhits\nthe coast  \u201ctoday\u201d"

STORY_TEXT = {
    "headline": ONE_LINE,
    "standfirst": MULTILINE,
    "body": MULTILINE,
    "byline": ONE_LINE,
    "image_alt": ONE_LINE,
    "image_caption": ONE_LINE,
    "image_credit": ONE_LINE,
}
SOURCE_TEXT = {"name": ONE_LINE, "description": MULTILINE}


def pasted_story(**overrides):
    return {name: PASTED for name in STORY_TEXT} | {"image": picture()} | overrides


def assert_clean(row, expected):
    row.refresh_from_db()
    assert {name: getattr(row, name) for name in expected} == expected


def test_create_cleans_every_text_field(editor):
    story = services.create_article(
        user=editor,
        slug="storm",
        source=SourceFactory(),
        **pasted_story(),
    )
    assert_clean(story, STORY_TEXT)
    assert story.history.get().headline == ONE_LINE


def test_update_cleans_every_text_field(editor):
    story = ArticleFactory(image=picture(), image_alt="A photo")
    services.update_article(article=story, user=editor, **pasted_story(image=None))
    assert_clean(story, STORY_TEXT)


def test_import_cleans_every_text_field(editor):
    source = SourceFactory()
    [story] = services.import_articles(
        user=editor,
        stories=[pasted_story(slug="storm", source=source, status="draft")],
    )
    assert_clean(story, STORY_TEXT)


def test_import_of_a_wire_story_with_surrogates_and_crlf(editor):
    """What JSON from a wire can hold: surrogate escapes, a pair and a lone
    one, and Windows line ends."""
    [story] = services.import_articles(
        user=editor,
        stories=[
            {
                "headline": "Smile \ud83d\ude00 \ud800",
                "slug": "smile",
                "standfirst": "One\r\nTwo\rThree",
                "body": "Para\r\n\r\nPara",
                "source": SourceFactory(),
            }
        ],
    )
    story.refresh_from_db()
    assert story.headline == "Smile \U0001f600 \ufffd"
    assert story.standfirst == "One\nTwo\nThree"
    assert story.body == "Para\n\nPara"


def test_restoring_a_version_stored_before_cleaning_stores_it_clean(editor):
    story = ArticleFactory(headline="First headline")
    # A version written by an older release, before text was cleaned (with
    # no NUL: PostgreSQL cannot store one).
    stored = PASTED.replace("\x00", "")
    story.history.update(headline=f"First{stored}", standfirst=stored)
    services.update_article(article=story, user=editor, headline="Second")
    version = story.history.order_by("history_id").first()
    services.restore_version(article=story, version=version, user=editor)
    story.refresh_from_db()
    assert story.headline == "First" + ONE_LINE
    assert story.standfirst == MULTILINE


def test_sources_are_cleaned_on_create_and_update(editor):
    source = services.create_source(
        user=editor, name=PASTED, slug="storm", description=PASTED
    )
    assert_clean(source, SOURCE_TEXT)
    source = services.update_source(
        source=source, user=editor, name=f"New {PASTED}", description="Plain"
    )
    assert_clean(source, {"name": "New " + ONE_LINE, "description": "Plain"})


@pytest.mark.parametrize(
    ("fields", "refused"),
    [
        ({"slug": "storm\x0b"}, "slug"),
        ({"slug": "sto\x00rm"}, "slug"),
        ({"url": "https://wire.example\x0b/"}, "url"),
        ({"url": "https://wire.example/\tpath"}, "url"),
    ],
)
def test_addresses_with_controls_are_refused_not_rewritten(editor, fields, refused):
    values = {"name": "Wire", "slug": "wire", "url": ""} | fields
    with pytest.raises(ValidationError) as error:
        services.create_source(user=editor, **values)
    assert refused in error.value.message_dict
    assert not Source.objects.exists()


def test_story_slug_with_a_control_is_refused(editor):
    with pytest.raises(ValidationError) as error:
        ArticleFactory(slug="storm\x0b", created_by=editor)
    assert "slug" in error.value.message_dict
    assert not Article.objects.exists()


def test_editor_pastes_from_word_into_the_admin(editor_client):
    source = SourceFactory()
    page = editor_client.get(ADD)
    data = form_data(page) | {
        "headline": PASTED.replace("\x00", ""),  # the form refuses NUL itself
        "slug": "storm",
        "standfirst": PASTED.replace("\x00", ""),
        "body": "Para one\x0bstill one\r\n\r\nPara two\ufffe",
        "byline": "Jo\x0bCitizen",
        "source": source.pk,
        "status": "published",
    }
    response = editor_client.post(ADD, data)
    assert response.status_code == 302, errors(response)
    story = Article.objects.get(slug="storm")
    assert story.headline == ONE_LINE
    assert story.standfirst == MULTILINE
    assert story.body == "Para one\nstill one\n\nPara two"
    assert story.byline == "Jo Citizen"
    # Opened and saved again unchanged, it stays the same.
    page = editor_client.get(change_url(story))
    response = editor_client.post(change_url(story), form_data(page))
    assert response.status_code == 302, errors(response)
    again = Article.objects.get(pk=story.pk)
    assert (again.headline, again.body) == (story.headline, story.body)


def test_editor_names_a_source_with_a_pasted_control(editor_client):
    response = editor_client.post(
        "/admin/articles/source/add/",
        {"name": "Wire\x0bCo", "slug": "wire", "url": "", "description": "A\x0bB"},
    )
    assert response.status_code == 302, errors(response)
    source = Source.objects.get(slug="wire")
    assert (source.name, source.description) == ("Wire Co", "A\nB")


def test_a_standfirst_longer_than_the_form_allows_is_refused_on_import(editor):
    """The form stops at 600 characters; Django checks a TextField's
    max_length only in forms, so the services check it for imports too."""
    with pytest.raises(ValidationError) as refused:
        services.import_articles(
            user=editor,
            stories=[
                {
                    "headline": "Long",
                    "slug": "long",
                    "standfirst": "x" * 601,
                    "source": SourceFactory(),
                }
            ],
        )
    assert refused.value.message_dict == {
        "standfirst": ["Ensure this value has at most 600 characters (it has 601)."]
    }
    assert not Article.objects.exists()
