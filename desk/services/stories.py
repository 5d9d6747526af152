"""What editors do to one story: write it, change it, publish, schedule,
unpublish, delete, restore a version, bring it back after deletion."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from articles import images
from articles.models import (
    Article,
    Section,
    Source,
)

from .. import policy
from .editions import HIDDEN, LIVE, pages_showing, reason_for, shown, visibility
from .fields import refuse_unknown
from .writing import (
    PUBLISHING,
    STORY_FIELDS,
    apply_fields,
    check_publishing,
    claim_address,
    keep_old_address,
    lock_for_edit,
    lock_story,
    save_story,
    set_credits,
    take_credits,
    this_second,
)


@transaction.atomic
def create_article(*, user, **fields):
    refuse_unknown(fields, STORY_FIELDS)
    if not policy.can_create(user):
        raise PermissionDenied("You may not write stories.")
    story = Article(created_by=user)
    fields.setdefault("section", None)
    credits = take_credits(fields)
    check_publishing(user, story, fields)
    apply_fields(story, fields)
    story.address_went_live = visibility(story) == LIVE
    save_story(story, user=user, reason="Created")
    set_credits(story, **credits)
    shown(story, before=HIDDEN)
    return story


@transaction.atomic
def update_article(*, article, user, opened_version=None, reason="Edited", **fields):
    """Change what was typed. With `opened_version`, refuse (StaleEdit) if
    the story was saved by anyone since that version was read."""
    refuse_unknown(fields, STORY_FIELDS)
    if opened_version is None:
        story = lock_story(article)
    else:
        story = lock_for_edit(article_pk=article.pk, opened_version=opened_version)
    if not policy.can_edit(user, story):
        raise PermissionDenied("You may not change this story.")
    before = visibility(story)
    old_slug = story.slug
    shown_on = pages_showing(story)
    old_went_live = story.address_went_live or before == LIVE
    credits = take_credits(fields)
    check_publishing(user, story, fields)
    apply_fields(story, fields)
    story.address_went_live = visibility(story) == LIVE or (
        story.slug == old_slug and old_went_live
    )
    save_story(story, user=user, reason=reason_for(before, story, reason))
    set_credits(story, **credits)
    keep_old_address(story, old_slug=old_slug, went_live=old_went_live)
    shown(story, before=before, tags=shown_on | pages_showing(story))
    return story


@transaction.atomic
def publish_article(*, article, user, at=None):
    """Put a story live now, or schedule it for `at`.

    Without `at`, a scheduled story goes out at once, and a story that was
    live before and was taken back to draft keeps its original publication
    time, so that its address does not change.
    """
    if not policy.can_publish(user):
        raise PermissionDenied("Only editors can publish stories.")
    story = lock_story(article)
    before, now = visibility(story), this_second()
    if at is None:
        if before == LIVE:
            return story
        if story.published_at is None or story.published_at > now:
            story.published_at = now
    elif story.status == Article.Status.PUBLISHED and story.published_at == at:
        return story
    else:
        story.published_at = at
    story.status = Article.Status.PUBLISHED
    story.address_went_live |= LIVE in (before, visibility(story))
    save_story(story, user=user, reason=reason_for(before, story, "Published"))
    shown(story, before=before)
    return story


@transaction.atomic
def unpublish_article(*, article, user):
    """Take a published or scheduled story back to draft; readers get 404."""
    if not policy.can_publish(user):
        raise PermissionDenied("Only editors can unpublish stories.")
    story = lock_story(article)
    if story.status == Article.Status.DRAFT:
        return story
    before = visibility(story)
    story.status = Article.Status.DRAFT
    story.address_went_live |= before == LIVE
    save_story(story, user=user, reason="Unpublished")
    shown(story, before=before)
    return story


@transaction.atomic
def delete_article(*, article, user):
    story = lock_story(article)
    if not policy.can_delete(user, story):
        raise PermissionDenied("You may not delete this story.")
    before, tags = visibility(story), pages_showing(story)
    # Read by django-simple-history for the record of the deletion.
    story._history_user = user
    story._change_reason = "Deleted"
    story.delete()
    shown(story, before=before, after=HIDDEN, tags=tags)


@transaction.atomic
def restore_version(*, article, version, user, opened_version=None, **fields):
    """Bring back what `version` (one of the story's historical records)
    said: its words, picture and credits, never its publishing state (a
    restore neither publishes a story nor takes it down; that is what
    publish_article and unpublish_article are for). `fields` are changes
    the editor made to it before restoring."""
    if version.id != article.pk:
        raise ValueError("That version belongs to another story.")
    # The history keeps the story's row, not its authors and topics: those
    # stay as they are unless the editor changed them in the form.
    restored = [
        name
        for name in Article.EDITORIAL_FIELDS
        if name not in PUBLISHING and name not in Article.RELATED_FIELDS
    ]
    values = {
        name: getattr(version, Article._meta.get_field(name).attname)
        for name in restored
    }
    for name in ["source", "section"]:
        values.pop(name)
        values[f"{name}_id"] = getattr(version, f"{name}_id")
        if name in fields:
            values.pop(f"{name}_id")
    if (
        values.get("section_id")
        and not Section.objects.filter(pk=values["section_id"]).exists()
    ):
        values.pop("section_id")  # deleted since: the story keeps its section
    values |= {
        name: value
        for name, value in fields.items()
        if name in restored or name in Article.RELATED_FIELDS
    }
    reason = f"Restored version {version.version}"
    picture = getattr(values["image"], "name", values["image"])
    if picture and not images.is_stored(picture):
        # Its file was removed since: restore the words without the picture.
        values |= {"image": "", "image_alt": ""}
        reason += " (its picture is no longer stored)"
    return update_article(
        article=article,
        user=user,
        opened_version=opened_version,
        reason=reason,
        **values,
    )


@transaction.atomic
def restore_deleted_article(*, story_id, user, slug=None):
    """Bring back a deleted story, with its id, as its last historical
    record (the deletion's, which holds every field) says it was: its
    words, credits, publication time and slug (or `slug`, when that address
    has been taken since), and its picture while the file is still stored.

    It comes back as a draft: putting it before readers again is an
    editor's separate, deliberate publish_article, which (without `at`)
    keeps its original publication time and so its old address. Raises
    ValidationError when it is not deleted or cannot come back as it was.
    """
    history = Article.history.filter(id=story_id).order_by("-history_id")
    # Locked: of two editors restoring it at once, the second waits and is
    # then told it is back, instead of colliding on its id.
    record = history.select_for_update().first()
    if record is None:
        raise ValidationError(f"No story {story_id} was ever saved.")
    if record.history_type != "-" or Article.objects.filter(pk=story_id).exists():
        raise ValidationError(f"Story {story_id} is not deleted: open it instead.")
    story = record.instance
    if not policy.can_restore_deleted(user, story):
        raise PermissionDenied("Only editors may restore this story.")
    if not Source.objects.filter(pk=story.source_id).exists():
        raise ValidationError(
            {
                "source": "The source this story was credited to has been deleted "
                "since. Add it again under Sources, then restore the story."
            }
        )
    reason = "Restored after deletion"
    if not Section.objects.filter(pk=story.section_id).exists():
        story.section = Section.default()
        reason += f" (its section was deleted: now in {story.section.name})"
    story.slug = slug or story.slug
    claim_address(slug=story.slug)
    taken = Article.objects.filter(slug=story.slug).only("headline").first()
    if taken is not None:
        raise ValidationError(
            {
                "slug": f"Another story, “{taken.headline}”, now uses the address "
                f"{story.slug}. Restore this one under a new slug."
            },
            code="unique",
        )
    if story.image and not images.is_stored(story.image.name):
        story.image, story.image_alt = "", ""
        story.image_width = story.image_height = None
        reason += " (its picture is no longer stored)"
    author = story.created_by_id
    if author and not get_user_model().objects.filter(pk=author).exists():
        story.created_by_id = None  # as SET_NULL did to the other stories
    story.status = Article.Status.DRAFT
    story.version = record.version + 1  # a new save; the row is new to Django
    save_story(story, user=user, reason=reason)
    # Its creation time is part of its feed id: keep it, on the row and on
    # the record just made (Django stamps an inserted row with now).
    Article.objects.filter(pk=story.pk).update(created_at=record.created_at)
    story.history.filter(history_id=story.history.latest().history_id).update(
        created_at=record.created_at
    )
    story.created_at = record.created_at
    shown(story, before=HIDDEN)
    return story
