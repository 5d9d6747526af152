"""desk/services/ is the one write path: it checks, records who and why,
keeps old addresses working and tells readers' pages what changed."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.models import Article, Edition, SlugRedirect, Source
from desk import services
from tests.conftest import picture
from tests.desk.admin_forms import ADD, change_url, errors, form_data
from tests.factories import ArticleFactory, SourceFactory

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def edition_number():
    return Edition.objects.get(pk=1).number


def reasons(story):
    return [r.history_change_reason for r in story.history.order_by("history_id")]


def test_create_records_who_and_why(reporter):
    story = services.create_article(
        user=reporter,
        headline="Rain at last",
        slug="rain-at-last",
        standfirst="The drought breaks.",
        source=SourceFactory(),
    )
    assert (story.created_by, story.updated_by, story.version) == (
        reporter,
        reporter,
        1,
    )
    record = story.history.get()
    assert (record.history_user, record.history_change_reason) == (reporter, "Created")


def test_a_reporter_cannot_create_a_published_story(reporter):
    with pytest.raises(PermissionDenied):
        services.create_article(
            user=reporter,
            headline="Scoop",
            slug="scoop",
            standfirst="Big news.",
            source=SourceFactory(),
            status=Article.Status.PUBLISHED,
        )
    assert not Article.objects.exists()


def test_published_with_no_time_means_now():
    before = timezone.now()
    story = ArticleFactory(status=Article.Status.PUBLISHED)
    assert before.replace(microsecond=0) <= story.published_at <= timezone.now()
    assert story.published_at.microsecond == 0  # as the form shows it


@pytest.mark.parametrize("slug", ["a.b", "with space", "ünïcode", "trailing\n", ""])
def test_a_slug_the_urls_cannot_route_is_refused(slug):
    story = ArticleFactory(slug="fine")
    with pytest.raises(ValidationError) as refused:
        services.update_article(article=story, user=None, slug=slug)
    assert "slug" in refused.value.message_dict
    story.refresh_from_db()
    assert story.slug == "fine"


@pytest.mark.parametrize("model", [Article, Source, SlugRedirect])
def test_the_database_refuses_an_unroutable_slug(model):
    story = ArticleFactory(slug="fine")
    row = {Article: story, Source: story.source}.get(
        model
    ) or SlugRedirect.objects.create(slug="old-address", article=story)
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=row.pk).update(slug="has.a.dot")


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,x", " https://x.example/", "ftp://x"]
)
def test_the_database_refuses_a_source_website_that_is_no_web_address(url):
    source = SourceFactory(url="https://wire.example/")
    with pytest.raises(IntegrityError), transaction.atomic():
        Source.objects.filter(pk=source.pk).update(url=url)
    Source.objects.filter(pk=source.pk).update(url="HTTPS://WIRE.EXAMPLE/")


def test_a_reporter_cannot_publish_through_an_edit(reporter):
    story = ArticleFactory(created_by=reporter)
    with pytest.raises(PermissionDenied):
        services.update_article(
            article=story, user=reporter, status=Article.Status.PUBLISHED
        )
    with pytest.raises(PermissionDenied):
        services.update_article(
            article=story, user=reporter, published_at=timezone.now() + HOUR
        )
    story.refresh_from_db()
    assert (story.status, story.published_at, story.version) == ("draft", None, 1)


def test_an_edit_from_a_stale_version_is_refused(editor):
    story = ArticleFactory()
    services.update_article(article=story, user=editor, headline="First")
    with pytest.raises(services.StaleEdit):
        services.update_article(
            article=story, user=editor, opened_version=1, headline="Second"
        )
    story.refresh_from_db()
    assert story.headline == "First"


def test_publishing_from_the_admin_form_goes_through_the_services(
    editor_client, editor
):
    draft = ArticleFactory()
    data = form_data(editor_client.get(change_url(draft))) | {"status": "published"}
    assert editor_client.post(change_url(draft), data).status_code == 302
    record = draft.history.latest()
    assert (record.history_user, record.history_change_reason) == (editor, "Published")
    assert record.published_at is not None


def test_delete_records_who_deleted_it(editor):
    story = ArticleFactory(published=True)
    services.delete_article(article=story, user=editor)
    assert not Article.objects.filter(pk=story.pk).exists()
    record = Article.history.filter(id=story.pk).latest()
    assert (record.history_type, record.history_user) == ("-", editor)
    assert record.history_change_reason == "Deleted"


def test_a_reporter_cannot_delete_a_published_story(reporter):
    story = ArticleFactory(created_by=reporter, published=True)
    with pytest.raises(PermissionDenied):
        services.delete_article(article=story, user=reporter)
    assert Article.objects.filter(pk=story.pk).exists()


def test_restore_brings_back_a_version_and_says_which(editor):
    story = ArticleFactory(headline="What we first said")
    services.update_article(article=story, user=editor, headline="A worse one")
    first = story.history.earliest()
    restored = services.restore_version(article=story, version=first, user=editor)
    assert restored.headline == "What we first said"
    assert reasons(restored) == ["Created", "Edited", "Restored version 1"]


def test_a_version_of_another_story_cannot_be_restored(editor):
    story, other = ArticleFactory(), ArticleFactory()
    with pytest.raises(ValueError):
        services.restore_version(
            article=story, version=other.history.get(), user=editor
        )


def test_an_image_that_is_not_one_is_refused_on_the_write_path():
    with pytest.raises(ValidationError) as refused:
        ArticleFactory(image=ContentFile(b"not a picture", name="x.jpg"), image_alt="x")
    assert "image" in refused.value.message_dict


def test_import_writes_many_stories_with_history_and_one_new_edition():
    source = SourceFactory()
    before = edition_number()
    went_out = timezone.now() - 48 * HOUR
    stories = services.import_articles(
        user=None,
        stories=[
            {
                "headline": f"Archive story {n}",
                "slug": f"archive-story-{n}",
                "standfirst": "From the archive.",
                "body": "Two *words*.",
                "source": source,
                "status": Article.Status.PUBLISHED,
                "published_at": went_out,
                "created_at": went_out,
                "updated_at": went_out,
            }
            for n in range(5)
        ],
    )
    assert edition_number() == before + 1
    assert Article.objects.published().count() == 5
    for story in Article.objects.all():
        assert story.body_html == "<p>Two <em>words</em>.</p>"
        assert story.updated_at == story.created_at == went_out
        assert reasons(story) == ["Imported"]
    assert len(stories) == 5


def test_import_refuses_a_bad_slug_and_stores_nothing():
    with pytest.raises(ValidationError):
        services.import_articles(
            user=None,
            stories=[
                {
                    "headline": "Bad",
                    "slug": "has.a.dot",
                    "standfirst": "x",
                    "source": SourceFactory(),
                }
            ],
        )
    assert not Article.objects.exists()


# Old addresses.


def test_a_live_storys_old_slug_redirects_even_after_history_is_pruned(client):
    story = ArticleFactory(published=True, slug="council-votes")
    old_url = story.get_absolute_url()
    story = services.update_article(article=story, user=None, slug="budget-passes")
    Article.history.all().delete()  # an operator prunes the audit log
    response = client.get(old_url)
    assert (response.status_code, response["Location"]) == (
        301,
        story.get_absolute_url(),
    )


def test_every_earlier_slug_leads_to_the_current_address(client):
    story = ArticleFactory(published=True, slug="one")
    urls = [story.get_absolute_url()]
    for slug in ["two", "three"]:
        story = services.update_article(article=story, user=None, slug=slug)
        urls.append(story.get_absolute_url())
    for url in urls[:-1]:
        assert client.get(url)["Location"] == urls[-1]
    assert set(SlugRedirect.objects.values_list("slug", flat=True)) == {"one", "two"}
    # Back to its first slug: it lives there again, and "one" is no redirect.
    story = services.update_article(article=story, user=None, slug="one")
    assert client.get(urls[0]).status_code == 200
    assert set(SlugRedirect.objects.values_list("slug", flat=True)) == {
        "two",
        "three",
    }


def test_a_draft_that_never_went_out_leaves_no_redirect():
    draft = ArticleFactory(slug="secret-plan")
    services.update_article(article=draft, user=None, slug="other")
    assert not SlugRedirect.objects.exists()


# The edition: what readers see, numbered.


def test_a_change_readers_can_see_raises_the_edition(editor):
    story = ArticleFactory()
    start = edition_number()
    services.update_article(article=story, user=editor, body="Still a draft.")
    assert edition_number() == start
    services.publish_article(article=story, user=editor)
    assert edition_number() == start + 1
    services.update_article(article=story, user=editor, body="A correction.")
    assert edition_number() == start + 2
    services.unpublish_article(article=story, user=editor)
    assert edition_number() == start + 3
    services.update_source(source=story.source, user=editor, name="Renamed")
    assert edition_number() == start + 4


def test_scheduling_does_not_raise_the_edition_until_the_story_is_live(editor):
    story = ArticleFactory()
    start = edition_number()
    services.publish_article(article=story, user=editor, at=timezone.now() + HOUR)
    assert edition_number() == start
    services.publish_article(article=story, user=editor)
    assert edition_number() == start + 1


def test_a_refused_story_leaves_no_file_behind(settings, reporter):
    with pytest.raises(ValidationError):
        ArticleFactory(image=picture(), image_alt="")  # alt text is required
    with pytest.raises(PermissionDenied):
        services.create_article(
            user=reporter,
            headline="Scoop",
            slug="scoop",
            standfirst="x",
            source=SourceFactory(),
            status=Article.Status.PUBLISHED,
            image=picture(),
            image_alt="A photo",
        )
    stored = [p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()]
    assert stored == []


def test_saving_the_form_after_a_publish_changes_no_time(editor_client, editor):
    draft = ArticleFactory()
    data = form_data(editor_client.get(change_url(draft))) | {"status": "published"}
    editor_client.post(change_url(draft), data)
    published = Article.objects.get(pk=draft.pk).published_at
    data = form_data(editor_client.get(change_url(draft))) | {"headline": "Edited"}
    assert editor_client.post(change_url(draft), data).status_code == 302
    story = Article.objects.get(pk=draft.pk)
    assert (story.headline, story.published_at) == ("Edited", published)
    latest, before = story.history.all()[:2]
    assert latest.published_at == before.published_at


def test_restoring_a_version_whose_picture_is_gone_keeps_every_page_up(client, editor):
    from django.core.files.storage import default_storage

    story = ArticleFactory(published=True, image=picture(), image_alt="First")
    first_picture = story.image.name
    services.update_article(
        article=story, user=editor, image=picture(colour="red"), image_alt="Second"
    )
    default_storage.delete(first_picture)
    restored = services.restore_version(
        article=story, version=story.history.earliest(), user=editor
    )
    assert not restored.image
    assert restored.history.latest().history_change_reason == (
        "Restored version 1 (its picture is no longer stored)"
    )
    for url in ["/", restored.get_absolute_url(), "/feeds/rss/"]:
        assert client.get(url).status_code == 200


def test_a_picture_that_is_not_stored_is_refused_by_name():
    with pytest.raises(ValidationError) as refused:
        services.import_articles(
            user=None,
            stories=[
                {
                    "headline": "Lost picture",
                    "slug": "lost-picture",
                    "standfirst": "x",
                    "source": SourceFactory(),
                    "image": "articles/2016/12/gone.jpg",
                    "image_alt": "Gone",
                }
            ],
        )
    assert "image" in refused.value.message_dict
    assert not Article.objects.exists()


def test_restoring_words_never_publishes_or_takes_down(editor):
    story = ArticleFactory(headline="First draft")
    services.update_article(article=story, user=editor, headline="Better")
    story = services.publish_article(article=story, user=editor)
    went_out = story.published_at
    restored = services.restore_version(
        article=story, version=story.history.earliest(), user=editor
    )
    assert restored.headline == "First draft"
    assert (restored.status, restored.published_at) == ("published", went_out)


def test_an_old_address_keeps_leading_to_its_own_story(client, editor_client):
    live = ArticleFactory(published=True, slug="budget")
    old_url = live.get_absolute_url()
    live = services.update_article(article=live, user=None, slug="budget-passes")
    other = ArticleFactory(slug="draft")
    with pytest.raises(ValidationError) as refused:
        services.update_article(article=other, user=None, slug="budget")
    assert "links to it still lead there" in refused.value.message_dict["slug"][0]
    with pytest.raises(ValidationError):
        ArticleFactory(slug="budget")
    # The admin's form says so too, with the editor's text kept.
    response = editor_client.post(
        ADD,
        form_data(editor_client.get(ADD))
        | {
            "headline": "Another budget story",
            "slug": "budget",
            "standfirst": "x",
            "body": "Kept.",
            "source": other.source.pk,
        },
    )
    assert response.status_code == 200
    assert any("still lead there" in error for error in errors(response))
    assert client.get(old_url)["Location"] == live.get_absolute_url()
    # Its own story may go back to it.
    services.update_article(article=live, user=None, slug="budget")
    assert client.get(old_url).status_code == 200


def test_a_working_title_never_becomes_a_public_address(client):
    story = ArticleFactory(slug="ceo-fired-for-fraud")
    story = services.update_article(article=story, user=None, slug="ceo-leaves")
    story = services.publish_article(article=story, user=None)
    day = story.get_absolute_url().rsplit("/", 2)[0]
    assert client.get(f"{day}/ceo-fired-for-fraud/").status_code == 404
    assert not SlugRedirect.objects.exists()


def test_an_address_readers_saw_is_kept_through_a_spell_in_draft(client):
    story = ArticleFactory(published=True, slug="first-address")
    first_url = story.get_absolute_url()
    story = services.unpublish_article(article=story, user=None)
    story = services.update_article(article=story, user=None, slug="working-title")
    story = services.update_article(article=story, user=None, slug="final-address")
    story = services.publish_article(article=story, user=None)
    assert client.get(first_url)["Location"] == story.get_absolute_url()
    # The slug it had only while nobody could read it is no address at all.
    assert set(SlugRedirect.objects.values_list("slug", flat=True)) == {"first-address"}


def test_a_story_that_went_live_by_the_clock_keeps_its_address(client):
    at = timezone.now() + HOUR
    story = ArticleFactory(
        slug="embargoed", status=Article.Status.PUBLISHED, published_at=at
    )
    with time_machine.travel(at + HOUR):
        story = services.update_article(article=story, user=None, slug="renamed")
        assert SlugRedirect.objects.filter(slug="embargoed", article=story).exists()


def test_a_renamed_source_keeps_its_page_and_feeds(client, editor):
    source = SourceFactory(slug="wire", name="Wire")
    ArticleFactory(published=True, source=source)
    services.update_source(source=source, user=editor, slug="wire-service")
    for old, new in [
        ("/sources/wire/", "/sources/wire-service/"),
        ("/sources/wire/?page=2", "/sources/wire-service/?page=2"),
        ("/sources/wire/rss/", "/sources/wire-service/rss/"),
        ("/sources/wire/atom/", "/sources/wire-service/atom/"),
    ]:
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, new), old
    assert client.get("/sources/never-was/").status_code == 404
    assert client.get("/sources/never-was/rss/").status_code == 404
    with pytest.raises(ValidationError) as refused:
        services.create_source(user=editor, name="Other wire", slug="wire")
    assert "links to it still lead there" in refused.value.message_dict["slug"][0]
    # Back to its old slug: it lives there again.
    services.update_source(source=source, user=editor, slug="wire")
    assert client.get("/sources/wire/").status_code == 200
    assert client.get("/sources/wire-service/")["Location"] == "/sources/wire/"
