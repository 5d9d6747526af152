"""How one story is checked and saved: the fields an editor writes, its
picture and credits, its address, and the rule for its publication time.
The parts every service that writes stories shares."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.validators import MaxLengthValidator
from django.db import IntegrityError, connection, models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from articles import images, stripping, text
from articles.models import (
    Article,
    Authorship,
    Section,
    SlugRedirect,
)
from search import index as search_index

from .. import policy
from .fields import cleaned

STORY_FIELDS = frozenset(Article.EDITORIAL_FIELDS)


PUBLISHING = frozenset(["status", "published_at"])


class StaleEdit(Exception):
    """The story was saved by someone else after the form was opened."""

    def __init__(self, current):
        super().__init__(f"Story {current.pk} is now at version {current.version}.")
        self.current = current


def publication_time(*, status, published_at, now=None):
    """The one rule for a story's time: marked Published with no time, it
    goes out now. The admin's form asks it too, before validating."""
    if status == Article.Status.PUBLISHED and published_at is None:
        return now or this_second()
    return published_at


def this_second():
    # Publication times are whole seconds: the form shows and sends back no
    # more, so a later save of the form changes nothing by dropping them.
    return timezone.now().replace(microsecond=0)


def lock_for_edit(*, article_pk, opened_version):
    """Lock the story's row until the end of the transaction and return it.

    Raises StaleEdit unless the row is still at `opened_version`, the version
    the editor's form was opened with.
    """
    current = Article.objects.select_for_update().get(pk=article_pk)
    if opened_version is None or current.version != opened_version:
        raise StaleEdit(current)
    return current


def check_publishing(user, story, fields):
    """Only editors may set or change a story's status and time."""
    changes = any(
        name in fields and fields[name] != getattr(story, name)
        for name in ("status", "published_at")
    )
    if changes and not policy.can_publish(user):
        raise PermissionDenied("Only editors can publish or schedule stories.")


def lock_story(article):
    return Article.objects.select_for_update().get(pk=article.pk)


def apply_fields(story, fields):
    """Set editorial fields on `story`; `image` may be a new file, a stored
    file's name, or empty to remove the picture; `section` None is the
    default section."""
    if "section" in fields and fields["section"] is None:
        fields = fields | {"section": Section.default()}
    fields = cleaned(Article, fields)
    if "body" in fields and fields["body"] != story.body:
        # Only a new body: a story stored before the limits can still be
        # published, taken down or have its headline changed.
        try:
            text.validate_body(fields["body"])
        except ValidationError as refused:
            raise ValidationError({"body": refused.error_list}) from refused
    image = fields.pop("image", None) if "image" in fields else story.image
    for name, value in fields.items():
        setattr(story, name, value)
    _set_image(story, image)
    story.published_at = publication_time(
        status=story.status, published_at=story.published_at
    )


def take_credits(fields):
    """Take the story's authors and topics out of `fields`: they are kept
    in tables of their own, written once the story's row is saved."""
    return {name: fields.pop(name) for name in Article.RELATED_FIELDS if name in fields}


def set_credits(story, *, authors=None, topics=None):
    """Credit `authors` in the order given, and tag `topics`; None leaves
    either as it is."""
    if authors is not None:
        authors = list(dict.fromkeys(authors))  # each credited once
        if [a.pk for a in authors] != list(
            Authorship.objects.filter(article=story).values_list("author", flat=True)
        ):
            Authorship.objects.filter(article=story).delete()
            Authorship.objects.bulk_create(
                Authorship(article=story, author=author, position=position)
                for position, author in enumerate(authors)
            )
    if topics is not None:
        story.topics.set(topics)


def _set_image(story, image):
    if not image:
        story.image = ""
        story.image_width = story.image_height = None
        return
    if isinstance(image, FieldFile) and image._committed:
        image = image.name
    if isinstance(image, str):
        if image != story.image.name:
            # The name alone (assigning the field would open the file), and
            # never without its size: a row with a picture but no size makes
            # Django open the file each time the story is loaded, and fail
            # everywhere if it has gone.
            story.image.name = image
            width, height = images.dimensions(story.image)
            if width is None:
                raise ValidationError(
                    {"image": f"No picture is stored as {image}: upload it again."}
                )
            story.image_width, story.image_height = width, height
        return
    # A new file: checked and stripped of its metadata now (under the
    # extension of the format it holds), stored by save_story() once the story
    # is valid.
    upload = image.file if isinstance(image, FieldFile) else image
    if not isinstance(upload, File):
        upload = File(upload, name=getattr(image, "name", None) or "image")
    try:
        clean = stripping.strip_metadata(upload)
    except ValidationError as refused:
        raise ValidationError({"image": refused.error_list}) from refused
    # Named after the story, not the file on the uploader's computer
    # ("IMG_2041 at Sam's house.jpg" would be public).
    name = stripping.stored_name(story.slug or "picture", clean.kind)
    story.image = ContentFile(clean.content, name=name)  # measured on assignment


ADDRESS_TAKEN = (
    "Another story already uses this address. "
    "Change the slug, for example by adding a word or the date."
)


def claim_address(*, slug):
    """Hold `slug` for this transaction: another writer claiming the same
    one waits until this transaction ends, and then sees its story. Two
    editors saving the same new address at once would otherwise both pass
    the uniqueness check and one lose their save to the database's
    constraint. On PostgreSQL, a transaction-scoped advisory lock; SQLite
    runs one writing transaction at a time anyway."""
    if slug and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(hashtext(%s))", [f"story-slug:{slug}"]
            )


def save_story(story, *, user, reason):
    claim_address(slug=story.slug)
    validate_story(story)
    refuse_old_addresses([story])
    stored = store_new_image(story)
    story.updated_by = user
    # Read by django-simple-history for the historical record.
    story._history_user = user
    story._change_reason = reason
    story.thumbnail = images.ensure_card_thumbnail(story.image)
    try:
        with transaction.atomic():  # a savepoint: the caller's work goes on
            story.save()
    except IntegrityError as refused:
        # The last line of defence (a writer that did not claim the slug):
        # the editor gets the form back with the reason, and no stored file
        # is left behind by a save that did not happen.
        for name in stored:
            default_storage.delete(name)
        if "slug" not in str(refused):
            raise
        raise ValidationError({"slug": ADDRESS_TAKEN}, code="unique") from refused
    search_index.index_story(story)


def store_new_image(story):
    """Store a new upload now (the model would, a moment later, on save) so
    that its card thumbnail can be named after it. Returns the names of the
    files stored, the picture's and its card's."""
    if story.image and not story.image._committed:
        upload = story.image.file
        story.image.save(upload.name.rsplit("/", 1)[-1], upload, save=False)
        return [story.image.name, images.card_thumbnail_name(story.image.name)]
    return []


def validate_story(story, **checks):
    _check_text_lengths(story)
    # Not the image: Django would open the file again to measure it, and a
    # new one was checked in _set_image.
    story.full_clean(exclude=["image"], **checks)


def _check_text_lengths(story):
    """Django checks a TextField's max_length (the standfirst's) only in
    forms: an import or the wire must not store what the form refuses."""
    errors = {}
    for field in story._meta.fields:
        if isinstance(field, models.TextField) and field.max_length:
            try:
                MaxLengthValidator(field.max_length)(getattr(story, field.attname))
            except ValidationError as error:
                errors[field.name] = error.messages
    if errors:
        raise ValidationError(errors)


def keep_old_address(story, *, old_slug, went_live):
    """Once readers have seen a story at a slug, that address keeps
    leading to it, whatever the story is called later."""
    if story.slug == old_slug:
        return
    # Back at an address it had before: that one is no longer a redirect.
    SlugRedirect.objects.filter(slug=story.slug, article=story).delete()
    if went_live:
        SlugRedirect.objects.update_or_create(
            slug=old_slug, defaults={"article": story}
        )


def old_address_problem(*, slug, story_pk=None):
    """Why `slug` may not be given to the story `story_pk` (None for a new
    one), or None: an address another story was read at before it was
    renamed keeps leading there, so it is not given to anyone else."""
    taken = (
        SlugRedirect.objects.filter(slug=slug)
        .exclude(article_id=story_pk)
        .values_list("article__headline", flat=True)
        .first()
    )
    if taken is None:
        return None
    return (
        f"This was the address of “{taken}” before its slug changed, and links "
        "to it still lead there. Choose another slug."
    )


def refuse_old_addresses(stories):
    """Refuse `stories` whose slug is another story's old address (one
    query however many there are)."""
    owners = dict(
        SlugRedirect.objects.filter(slug__in=[s.slug for s in stories]).values_list(
            "slug", "article_id"
        )
    )
    for story in stories:
        owner = owners.get(story.slug)
        if owner is not None and owner != story.pk:
            problem = old_address_problem(slug=story.slug, story_pk=story.pk)
            raise ValidationError({"slug": problem}, code="old_address")
