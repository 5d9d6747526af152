"""A deleted story can be brought back: services.restore_deleted_article
and policy.can_restore_deleted, without HTTP."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage

from articles.models import Article, Edition
from desk import policy, services
from tests.conftest import picture
from tests.factories import ArticleFactory, SourceFactory, UserFactory

pytestmark = pytest.mark.django_db

SYDNEY = datetime.timezone(datetime.timedelta(hours=11))
CHRISTMAS_EVE = datetime.datetime(2016, 12, 24, 9, 44, tzinfo=SYDNEY)


def edition_number():
    return Edition.objects.get(pk=1).number


def reasons(story_id):
    records = Article.history.filter(id=story_id).order_by("history_id")
    return [record.history_change_reason for record in records]


def deleted(story, user):
    services.delete_article(article=story, user=user)
    return story.pk


@pytest.fixture
def story(reporter):
    return ArticleFactory(
        created_by=reporter,
        headline="Russia urges peace after battle for Aleppo",
        slug="russia-urges-peace",
        standfirst="The Kremlin calls for talks.",
        body="First paragraph.\n\nSecond *paragraph*.",
        byline="Jane Doe",
        image=picture(),
        image_alt="A street in Aleppo",
        image_caption="Aleppo, Friday.",
        image_credit="AAP",
        published=True,
        published_at=CHRISTMAS_EVE,
    )


def test_the_story_comes_back_with_its_id_words_and_history(story, editor, reporter):
    before = Article.objects.get(pk=story.pk)
    story_id = deleted(story, editor)

    restored = services.restore_deleted_article(story_id=story_id, user=editor)

    assert restored.pk == story_id
    again = Article.objects.get(pk=story_id)
    for name in Article.EDITORIAL_FIELDS:
        if name != "status":
            assert getattr(again, name) == getattr(before, name), name
    assert again.body_html == before.body_html and again.word_count > 0
    assert again.status == Article.Status.DRAFT
    assert again.created_at == before.created_at  # its feed id keeps its date
    assert (again.created_by, again.updated_by) == (reporter, editor)
    assert again.version == before.version + 1
    assert again.thumbnail and default_storage.exists(again.thumbnail.name)
    assert reasons(story_id) == [
        "Created",
        "Published",
        "Deleted",
        "Restored after deletion",
    ]
    latest = again.history.latest()
    assert (latest.history_user, latest.version) == (editor, again.version)
    assert latest.created_at == before.created_at


def test_restored_as_a_draft_readers_see_nothing_until_it_is_published(
    story, editor, client
):
    address = story.get_absolute_url()
    assert address == "/2016/12/24/russia-urges-peace/"
    story_id = deleted(story, editor)
    number = edition_number()

    restored = services.restore_deleted_article(story_id=story_id, user=editor)

    assert edition_number() == number  # a draft changes nothing readers see
    assert client.get(address).status_code == 404
    services.publish_article(article=restored, user=editor)
    assert edition_number() == number + 1
    assert client.get(address).status_code == 200


def test_an_address_taken_since_is_refused_with_a_way_out(story, editor):
    story_id = deleted(story, editor)
    ArticleFactory(slug="russia-urges-peace", headline="A newer story")

    with pytest.raises(ValidationError) as refused:
        services.restore_deleted_article(story_id=story_id, user=editor)
    assert refused.value.message_dict["slug"] == [
        "Another story, “A newer story”, now uses the address russia-urges-peace. "
        "Restore this one under a new slug."
    ]
    assert not Article.objects.filter(pk=story_id).exists()

    restored = services.restore_deleted_article(
        story_id=story_id, user=editor, slug="russia-urges-peace-2016"
    )
    assert restored.slug == "russia-urges-peace-2016"
    assert restored.headline == "Russia urges peace after battle for Aleppo"


def test_a_new_slug_that_cannot_be_routed_is_refused(story, editor):
    story_id = deleted(story, editor)
    with pytest.raises(ValidationError) as refused:
        services.restore_deleted_article(story_id=story_id, user=editor, slug="a b")
    assert "slug" in refused.value.message_dict
    assert not Article.objects.filter(pk=story_id).exists()


def test_its_picture_comes_back_while_its_file_is_stored(story, editor):
    name = story.image.name
    story_id = deleted(story, editor)
    assert default_storage.exists(name)  # deleting keeps the file

    restored = services.restore_deleted_article(story_id=story_id, user=editor)

    assert restored.image.name == name
    assert (restored.image_width, restored.image_height) == (1600, 1200)
    assert restored.image_alt == "A street in Aleppo"


def test_a_picture_removed_since_leaves_the_words_and_says_so(story, editor, client):
    story_id = deleted(story, editor)
    default_storage.delete(story.image.name)

    restored = services.restore_deleted_article(story_id=story_id, user=editor)

    assert not restored.image and restored.image_alt == ""
    assert restored.headline == "Russia urges peace after battle for Aleppo"
    assert reasons(story_id)[-1] == (
        "Restored after deletion (its picture is no longer stored)"
    )
    services.publish_article(article=restored, user=editor)
    assert client.get(restored.get_absolute_url()).status_code == 200


def test_a_source_deleted_since_is_named(editor):
    source = SourceFactory(name="Wire Co", slug="wire-co")
    story_id = deleted(ArticleFactory(source=source), editor)
    services.delete_source(source=source, user=editor)
    with pytest.raises(ValidationError) as refused:
        services.restore_deleted_article(story_id=story_id, user=editor)
    assert refused.value.message_dict["source"] == [
        "The source this story was credited to has been deleted since. "
        "Add it again under Sources, then restore the story."
    ]


def test_only_a_deleted_story_can_be_restored(story, editor):
    with pytest.raises(ValidationError, match="not deleted"):
        services.restore_deleted_article(story_id=story.pk, user=editor)
    with pytest.raises(ValidationError, match="No story"):
        services.restore_deleted_article(story_id=story.pk + 100, user=editor)
    story_id = deleted(story, editor)
    services.restore_deleted_article(story_id=story_id, user=editor)
    with pytest.raises(ValidationError, match="not deleted"):
        services.restore_deleted_article(story_id=story_id, user=editor)


def test_deleted_twice_it_comes_back_as_it_was_last(editor):
    story = ArticleFactory(headline="One")
    story_id = deleted(story, editor)
    again = services.restore_deleted_article(story_id=story_id, user=editor)
    again = services.update_article(article=again, user=editor, headline="Two")
    deleted(again, editor)
    assert services.restore_deleted_article(
        story_id=story_id, user=editor
    ).headline == ("Two")


def test_a_reporter_may_not_restore_what_an_editor_deleted(story, editor, reporter):
    story_id = deleted(story, editor)
    with pytest.raises(PermissionDenied):
        services.restore_deleted_article(story_id=story_id, user=reporter)
    assert not Article.objects.filter(pk=story_id).exists()


def test_a_reporter_may_restore_their_own_deleted_draft(reporter):
    story_id = deleted(ArticleFactory(created_by=reporter), reporter)
    restored = services.restore_deleted_article(story_id=story_id, user=reporter)
    assert restored.updated_by == reporter


@pytest.mark.parametrize(
    ("who", "own_draft", "someone_elses_published"),
    [("reporter", True, False), ("editor", True, True), ("nobody", False, False)],
)
def test_who_may_restore_a_deleted_story(
    request, reporter, who, own_draft, someone_elses_published
):
    user = UserFactory() if who == "nobody" else request.getfixturevalue(who)
    draft_id = deleted(ArticleFactory(created_by=reporter), None)
    published_id = deleted(ArticleFactory(published=True), None)
    draft, published = (
        Article.history.filter(id=story_id).latest().instance
        for story_id in (draft_id, published_id)
    )
    assert policy.can_restore_deleted(user, draft) is own_draft
    assert policy.can_restore_deleted(user, published) is someone_elses_published
    assert policy.can_restore_deleted(None, published)  # the site itself
