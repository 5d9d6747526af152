"""Sections, authors, topics, the site's own pages and the front page's
top places."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils import timezone

from articles import images, stripping, text
from articles.models import (
    Author,
    FrontPagePin,
    Section,
    SitePage,
    Topic,
)
from core.pagecache import SITE_TAG

from .. import policy
from .editions import new_edition
from .fields import cleaned, refuse_unknown

# Sections, authors and topics: their names show on every page listing their
# stories (and sections in every page's masthead), so a change to one is a
# new edition for the whole site.

SECTION_FIELDS = frozenset(["name", "slug", "description", "position", "in_navigation"])
AUTHOR_FIELDS = frozenset(
    ["name", "slug", "title", "bio", "photo", "website", "profiles"]
)
TOPIC_FIELDS = frozenset(["name", "slug", "description"])
NOT_GIVEN = object()


@transaction.atomic
def save_section(*, user, section=None, **fields):
    """Create a section, or change `section`."""
    if not policy.can_manage_sections(user):
        raise PermissionDenied("Only editors can change the site's sections.")
    return _save_listing(
        Section, SECTION_FIELDS, section, fields, prefix="section", user=user
    )


@transaction.atomic
def delete_section(*, section, user):
    """Remove a section with no stories (others are refused: move them)."""
    if not policy.can_manage_sections(user):
        raise PermissionDenied("Only editors can change the site's sections.")
    _delete_listing(section, "section", what="stories")


@transaction.atomic
def save_author(*, user, author=None, **fields):
    """Create an author's profile, or change `author`'s. `photo` may be a
    new upload (stored without its metadata) or empty to remove it."""
    if not policy.can_manage_authors(user):
        raise PermissionDenied("Only editors can change authors' profiles.")
    photo = fields.pop("photo", NOT_GIVEN)
    author = _save_listing(
        Author, AUTHOR_FIELDS, author, fields, prefix="author", user=user
    )
    if photo is not NOT_GIVEN and photo != author.photo:
        _set_author_photo(author, photo)
    return author


@transaction.atomic
def delete_author(*, author, user):
    """Remove a profile no story credits (others are refused)."""
    if not policy.can_manage_authors(user):
        raise PermissionDenied("Only editors can change authors' profiles.")
    _delete_listing(author, "author", what="stories crediting them")


SITE_PAGE_FIELDS = frozenset(
    ["title", "slug", "description", "body", "in_footer", "position"]
)


@transaction.atomic
def save_site_page(*, user, site_page=None, **fields):
    """Create a page about the site (About, Contact...), or change one."""
    if not policy.can_manage_site_pages(user):
        raise PermissionDenied("Only editors can change the site's own pages.")
    if "body" in fields:
        try:
            text.validate_body(fields["body"])
        except ValidationError as refused:
            raise ValidationError({"body": refused.error_list}) from refused
    return _save_listing(
        SitePage, SITE_PAGE_FIELDS, site_page, fields, prefix="page", user=user
    )


@transaction.atomic
def delete_site_page(*, site_page, user):
    if not policy.can_manage_site_pages(user):
        raise PermissionDenied("Only editors can change the site's own pages.")
    _delete_listing(site_page, "page", what="")


@transaction.atomic
def save_topic(*, user, topic=None, **fields):
    if not policy.can_manage_topics(user):
        raise PermissionDenied("You may not change topics.")
    return _save_listing(Topic, TOPIC_FIELDS, topic, fields, prefix="topic", user=user)


@transaction.atomic
def delete_topic(*, topic, user):
    """Remove a topic; its stories lose that tag and nothing else."""
    if not policy.can_delete_topics(user):
        raise PermissionDenied("Only editors can delete topics.")
    tags = _listing_tags(topic, "topic")
    topic.delete()
    new_edition(tags=tags)


def _save_listing(model, allowed, row, fields, *, prefix, user):
    refuse_unknown(fields, allowed)
    old_tags = _listing_tags(row, prefix) if row is not None else set()
    reason = "Created" if row is None else "Edited"
    row = model() if row is None else model.objects.select_for_update().get(pk=row.pk)
    for name, value in cleaned(model, fields).items():
        setattr(row, name, value)
    row.full_clean(exclude=["photo"] if model is Author else None)
    # Read by django-simple-history, for the models that keep a history.
    row._history_user, row._change_reason = user, reason
    row.save()
    new_edition(tags=old_tags | _listing_tags(row, prefix))
    return row


def _listing_tags(row, prefix):
    # The masthead names the sections, and cards their section and authors:
    # every page may show the change.
    return {SITE_TAG, f"{prefix}-{row.slug}"}


def _delete_listing(row, prefix, *, what):
    tags = _listing_tags(row, prefix)
    try:
        with transaction.atomic():
            row.delete()
    except models.ProtectedError as refused:
        raise ValidationError(
            f"{row} still has {what}: move them elsewhere first."
        ) from refused
    new_edition(tags=tags)


def _set_author_photo(author, photo):
    old = author.photo.name
    if not photo:
        author.photo = ""
        author.photo_width = author.photo_height = None
    else:
        upload = photo if isinstance(photo, File) else File(photo, name="photo")
        try:
            clean = stripping.strip_metadata(upload)
        except ValidationError as refused:
            raise ValidationError({"photo": refused.error_list}) from refused
        name = stripping.stored_name(author.slug, clean.kind)
        author.photo.save(name, ContentFile(clean.content), save=False)
        # Never a row with a photo but no size: Django would open the file
        # to measure it each time the author is loaded.
        author.photo_width, author.photo_height = images.dimensions(author.photo)
    author.save()
    if old and old != author.photo.name:
        transaction.on_commit(lambda: default_storage.delete(old))


# The front page's top places.


@transaction.atomic
def pin_story(*, user, article, slot, ends_at=None):
    """Put `article` in front page place `slot` (FrontPagePin.Slot), until
    `ends_at` if given. A story holds one place at most: it leaves any other
    place it held."""
    if not policy.can_curate_front_page(user):
        raise PermissionDenied("Only editors can arrange the front page.")
    if slot not in FrontPagePin.Slot.values:
        raise ValidationError({"slot": f"There is no front page place {slot}."})
    if ends_at is not None and ends_at <= timezone.now():
        raise ValidationError({"ends_at": "Give a time in the future, or none."})
    FrontPagePin.objects.filter(article=article).exclude(slot=slot).delete()
    pin, _ = FrontPagePin.objects.select_for_update().update_or_create(
        slot=slot,
        defaults={"article": article, "ends_at": ends_at, "pinned_by": user},
    )
    new_edition(tags={"front"})
    return pin


@transaction.atomic
def unpin_story(*, user, slot):
    """Empty front page place `slot`: the newest story fills it again."""
    if not policy.can_curate_front_page(user):
        raise PermissionDenied("Only editors can arrange the front page.")
    deleted, _ = FrontPagePin.objects.filter(slot=slot).delete()
    if deleted:
        new_edition(tags={"front"})
