"""Two editors saving the same new address at the same moment: one story
gets it, the other editor gets the form back with the reason, and nothing
is lost (no 500, no picture left stored for a story that was not saved)."""

import threading

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client

from articles.models import Article
from desk import services
from desk.services import writing
from tests.conftest import picture
from tests.desk.admin_forms import ADD, errors, form_data
from tests.factories import SourceFactory


def stored_files(media_root):
    return sorted(p.name for p in media_root.rglob("*") if p.is_file())


@pytest.mark.django_db
def test_a_writer_that_skipped_the_check_gets_a_message_not_a_crash(
    settings, tmp_path, monkeypatch
):
    """The database's constraint is the last line of defence: its refusal
    becomes the form's message, and the picture stored for the failed save
    is removed."""
    settings.MEDIA_ROOT = tmp_path
    source = SourceFactory()
    services.create_article(
        user=None, headline="First", slug="same-address", standfirst="x", source=source
    )
    # As if the check had run before the other story was committed.
    real_validate = writing.validate_story
    monkeypatch.setattr(
        writing,
        "validate_story",
        lambda story, **checks: real_validate(story, validate_unique=False),
    )
    with pytest.raises(ValidationError) as refused:
        services.create_article(
            user=None,
            headline="Second",
            slug="same-address",
            standfirst="x",
            source=source,
            image=picture(),
            image_alt="A photo",
        )
    assert refused.value.message_dict["slug"] == [services.ADDRESS_TAKEN]
    assert Article.objects.filter(slug="same-address").count() == 1
    assert stored_files(tmp_path) == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_editors_saving_one_address_at_once(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    assert connection.vendor == "postgresql"
    source = SourceFactory()
    User = get_user_model()
    editors = [
        User.objects.create_superuser(name, f"{name}@news.example.com", "pw")
        for name in ("ana", "ben")
    ]
    # Both saves reach this point before either goes on, as in a real race,
    # unless one is held back by the other's claim on the address (then
    # the wait gives up and the first goes on alone).
    both_checked = threading.Barrier(2)
    real_create = services.create_article

    def create_when_both_are_ready(**fields):
        try:
            both_checked.wait(timeout=3)
        except threading.BrokenBarrierError:
            pass
        return real_create(**fields)

    monkeypatch.setattr(services, "create_article", create_when_both_are_ready)

    def save(editor, headline, results):
        client = Client()
        client.force_login(editor)
        data = form_data(client.get(ADD)) | {
            "headline": headline,
            "slug": "budget-night",
            "standfirst": "What the budget means.",
            "body": f"{headline}'s copy, which must not be lost.",
            "source": source.pk,
            "image_alt": "The treasurer",
        }
        data["image"] = picture()
        response = client.post(ADD, data)
        results[headline] = response
        connection.close()

    results = {}
    threads = [
        threading.Thread(target=save, args=(editor, headline, results))
        for editor, headline in zip(editors, ["Ana", "Ben"], strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    statuses = sorted(response.status_code for response in results.values())
    assert statuses == [200, 302], statuses
    lost = next(r for r in results.values() if r.status_code == 200)
    assert services.ADDRESS_TAKEN in errors(lost)
    # The losing editor's text is in the form they got back.
    assert "copy, which must not be lost." in form_data(lost)["body"]
    story = Article.objects.get(slug="budget-night")
    assert story.image
    # Only the saved story's picture (and its card) stays stored.
    assert len(stored_files(tmp_path)) == 2
