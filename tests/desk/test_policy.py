"""Who may do what: plain functions of a user and a story, no HTTP."""

import pytest

from desk import policy
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def stories(reporter):
    return {
        "own draft": ArticleFactory(created_by=reporter),
        "own published": ArticleFactory(created_by=reporter, published=True),
        "own scheduled": ArticleFactory(created_by=reporter, scheduled=True),
        "someone else's draft": ArticleFactory(),
        "someone else's published": ArticleFactory(published=True),
    }


def test_a_reporter_edits_and_deletes_only_their_own_drafts(reporter, stories):
    editable = {name for name, s in stories.items() if policy.can_edit(reporter, s)}
    deletable = {name for name, s in stories.items() if policy.can_delete(reporter, s)}
    assert editable == deletable == {"own draft"}
    assert policy.can_create(reporter)
    assert not policy.can_publish(reporter)
    assert policy.can_preview(reporter)


def test_a_reporter_may_send_a_form_for_any_story_they_wrote(reporter, stories):
    # To be told it is stale, with their text kept; the save is still refused.
    may_send = {
        name for name, s in stories.items() if policy.may_send_edit(reporter, s)
    }
    assert may_send == {"own draft", "own published", "own scheduled"}


def test_an_editor_may_do_everything(editor, stories):
    for story in stories.values():
        assert policy.can_edit(editor, story)
        assert policy.can_delete(editor, story)
    assert policy.can_publish(editor)
    assert policy.can_add_source(editor) and policy.can_change_source(editor)
    assert policy.can_delete_source(editor)


def test_a_reporter_may_not_manage_sources(reporter):
    assert not policy.can_add_source(reporter)
    assert not policy.can_change_source(reporter)
    assert not policy.can_delete_source(reporter)


def test_staff_without_a_role_may_do_nothing(stories):
    nobody = UserFactory()
    assert not policy.can_create(nobody)
    assert not policy.can_publish(nobody)
    assert not policy.can_preview(nobody)
    for story in stories.values():
        assert not policy.can_edit(nobody, story)
        assert not policy.can_delete(nobody, story)


def test_the_site_itself_may_do_everything(stories):
    for story in stories.values():
        assert policy.can_edit(None, story) and policy.can_delete(None, story)
    assert policy.can_publish(None) and policy.can_create(None)
