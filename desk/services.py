"""Actions on stories that change more than the row in hand.

Each takes keyword-only arguments, runs in a transaction with the story's
row locked, records who acted (on the story and in its history) and bumps
its version, so that an editor's form opened before the action is refused
rather than silently undoing it.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from articles.models import Article

PUBLISH_PERMISSION = "articles.publish_article"


class StaleEdit(Exception):
    """The story was saved by someone else after the form was opened."""

    def __init__(self, current):
        super().__init__(f"Story {current.pk} is now at version {current.version}.")
        self.current = current


def can_publish(user):
    return user.has_perm(PUBLISH_PERMISSION)


def lock_for_edit(*, article_pk, opened_version):
    """Lock the story's row until the end of the transaction and return it.

    Raises StaleEdit unless the row is still at `opened_version`, the version
    the editor's form was opened with.
    """
    current = Article.objects.select_for_update().get(pk=article_pk)
    if opened_version is None or current.version != opened_version:
        raise StaleEdit(current)
    return current


def _save(story, *, user, reason):
    story.updated_by = user
    # Read by django-simple-history for the historical record.
    story._history_user = user
    story._change_reason = reason
    story.save()
    return story


@transaction.atomic
def publish_article(*, article, user):
    """Put a story live now.

    A scheduled story goes out at once. A story that was live before and
    was taken back to draft keeps its original publication time, so its
    address does not change.
    """
    if not can_publish(user):
        raise PermissionDenied("Only editors can publish stories.")
    story = Article.objects.select_for_update().get(pk=article.pk)
    if story.is_published:
        return story
    now = timezone.now()
    if story.published_at is None or story.published_at > now:
        story.published_at = now
    story.status = Article.Status.PUBLISHED
    return _save(story, user=user, reason="Published")


@transaction.atomic
def unpublish_article(*, article, user):
    """Take a published or scheduled story back to draft; readers get 404."""
    if not can_publish(user):
        raise PermissionDenied("Only editors can unpublish stories.")
    story = Article.objects.select_for_update().get(pk=article.pk)
    if story.status == Article.Status.DRAFT:
        return story
    story.status = Article.Status.DRAFT
    return _save(story, user=user, reason="Unpublished")
