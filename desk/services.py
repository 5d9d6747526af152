"""Every write to stories and sources.

The admin's form and actions, `load_demo`, imports and the wire all come
through these functions; nothing else saves a story. Each takes keyword-only
arguments and runs in one transaction. It asks desk/policy.py whether the
user may act, and refuses with PermissionDenied if not; validates what it
stores (ValidationError); and records who acted and why, on the row and in
its history. When what readers see changes, it raises the site's edition
number in the same transaction and, once that has committed, stores the new
edition for every app server and asks the CDN to purge the pages that showed
the change (articles/edition.py, core/cdn.py).

`user=None` is the site acting on its own (see policy.py).
"""

import logging

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.validators import MaxLengthValidator
from django.db import IntegrityError, connection, models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from articles import edition, images, stripping, text
from articles.models import (
    Article,
    Author,
    Authorship,
    Edition,
    FrontPagePin,
    Section,
    SitePage,
    SlugRedirect,
    Source,
    SourceRedirect,
    Topic,
)
from core import cdn
from core.characters import clean_text
from core.pagecache import SITE_TAG
from search import index as search_index

from . import policy
from .archive.format import RECORDS, ArchiveError
from .archive.reader import refuse_unless_site_is_empty

logger = logging.getLogger(__name__)

STORY_FIELDS = frozenset(Article.EDITORIAL_FIELDS)
SOURCE_FIELDS = frozenset(["name", "slug", "url", "description"])
PUBLISHING = frozenset(["status", "published_at"])
# An import may keep when its stories were first written and last changed.
ARCHIVE_TIMES = frozenset(["created_at", "updated_at"])

# How a change reaches readers: a story is live, scheduled, or neither.
HIDDEN, SCHEDULED, LIVE = "hidden", "scheduled", "live"


class StaleEdit(Exception):
    """The story was saved by someone else after the form was opened."""

    def __init__(self, current):
        super().__init__(f"Story {current.pk} is now at version {current.version}.")
        self.current = current


def publication_time(*, status, published_at, now=None):
    """The one rule for a story's time: marked Published with no time, it
    goes out now. The admin's form asks it too, before validating."""
    if status == Article.Status.PUBLISHED and published_at is None:
        return now or _this_second()
    return published_at


def _this_second():
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


# Stories.


@transaction.atomic
def create_article(*, user, **fields):
    _refuse_unknown(fields, STORY_FIELDS)
    if not policy.can_create(user):
        raise PermissionDenied("You may not write stories.")
    story = Article(created_by=user)
    fields.setdefault("section", None)
    credits = _credits(fields)
    _check_publishing(user, story, fields)
    _apply(story, fields)
    story.address_went_live = _visibility(story) == LIVE
    _save(story, user=user, reason="Created")
    _set_credits(story, **credits)
    _shown(story, before=HIDDEN)
    return story


@transaction.atomic
def update_article(*, article, user, opened_version=None, reason="Edited", **fields):
    """Change what was typed. With `opened_version`, refuse (StaleEdit) if
    the story was saved by anyone since that version was read."""
    _refuse_unknown(fields, STORY_FIELDS)
    if opened_version is None:
        story = _lock(article)
    else:
        story = lock_for_edit(article_pk=article.pk, opened_version=opened_version)
    if not policy.can_edit(user, story):
        raise PermissionDenied("You may not change this story.")
    before = _visibility(story)
    old_slug = story.slug
    shown_on = _pages_showing(story)
    old_went_live = story.address_went_live or before == LIVE
    credits = _credits(fields)
    _check_publishing(user, story, fields)
    _apply(story, fields)
    story.address_went_live = _visibility(story) == LIVE or (
        story.slug == old_slug and old_went_live
    )
    _save(story, user=user, reason=_reason(before, story, reason))
    _set_credits(story, **credits)
    _keep_old_address(story, old_slug=old_slug, went_live=old_went_live)
    _shown(story, before=before, tags=shown_on | _pages_showing(story))
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
    story = _lock(article)
    before, now = _visibility(story), _this_second()
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
    story.address_went_live |= LIVE in (before, _visibility(story))
    _save(story, user=user, reason=_reason(before, story, "Published"))
    _shown(story, before=before)
    return story


@transaction.atomic
def unpublish_article(*, article, user):
    """Take a published or scheduled story back to draft; readers get 404."""
    if not policy.can_publish(user):
        raise PermissionDenied("Only editors can unpublish stories.")
    story = _lock(article)
    if story.status == Article.Status.DRAFT:
        return story
    before = _visibility(story)
    story.status = Article.Status.DRAFT
    story.address_went_live |= before == LIVE
    _save(story, user=user, reason="Unpublished")
    _shown(story, before=before)
    return story


@transaction.atomic
def delete_article(*, article, user):
    story = _lock(article)
    if not policy.can_delete(user, story):
        raise PermissionDenied("You may not delete this story.")
    before, tags = _visibility(story), _pages_showing(story)
    # Read by django-simple-history for the record of the deletion.
    story._history_user = user
    story._change_reason = "Deleted"
    story.delete()
    _shown(story, before=before, after=HIDDEN, tags=tags)


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
    _save(story, user=user, reason=reason)
    # Its creation time is part of its feed id: keep it, on the row and on
    # the record just made (Django stamps an inserted row with now).
    Article.objects.filter(pk=story.pk).update(created_at=record.created_at)
    story.history.filter(history_id=story.history.latest().history_id).update(
        created_at=record.created_at
    )
    story.created_at = record.created_at
    _shown(story, before=HIDDEN)
    return story


@transaction.atomic
def import_articles(*, user, stories, batch_size=1000):
    """Store many new stories at once (an archive, a wire backlog, the demo):
    each is checked and rendered as one created alone would be, then they
    are written in bulk, each with its history record, and the edition is
    raised once.

    `stories` holds dicts of editorial fields. An `image` is a new file or
    the name of one already stored. `created_at` and `updated_at`, when
    given, keep the archive's own times.
    """
    if not policy.can_create(user):
        raise PermissionDenied("You may not write stories.")
    rows, archive_times, thumbnails, credits = [], [], {}, []
    for fields in stories:
        fields = dict(fields)
        times = {name: fields.pop(name) for name in ARCHIVE_TIMES if name in fields}
        _refuse_unknown(fields, STORY_FIELDS)
        fields.setdefault("section", None)
        credits.append(_credits(fields))
        story = Article(created_by=user, updated_by=user)
        _check_publishing(user, story, fields)
        _apply(story, fields)
        # Field by field (the slug's pattern among them); the database's
        # constraints check the rest as the rows go in.
        _validate(story, validate_unique=False, validate_constraints=False)
        story.address_went_live = _visibility(story) == LIVE
        _store_new_image(story)
        if story.image.name not in thumbnails:
            thumbnails[story.image.name] = images.ensure_card_thumbnail(story.image)
        story.thumbnail = thumbnails[story.image.name]
        story.render()
        rows.append(story)
        archive_times.append(times)
    _refuse_old_addresses(rows)
    created = bulk_create_with_history(
        rows,
        Article,
        batch_size=batch_size,
        default_user=user,
        default_change_reason="Imported",
    )
    search_index.index_stories(created)
    for story, times, story_credits in zip(
        created, archive_times, credits, strict=True
    ):
        if times:
            Article.objects.filter(pk=story.pk).update(**times)
        if story_credits:
            _set_credits(story, **story_credits)
    shown = [
        (story, story_credits)
        for story, story_credits in zip(rows, credits, strict=True)
        if _visibility(story) != HIDDEN
    ]
    if shown:
        tags = {"front", "feeds", "sitemaps"}
        for story, story_credits in shown:
            tags |= {f"source-{story.source.slug}", f"section-{story.section.slug}"}
            for name in Article.RELATED_FIELDS:
                tags |= {f"{name[:-1]}-{x.slug}" for x in story_credits.get(name, [])}
        _new_edition(tags=tags)
    return created


@transaction.atomic
def strip_stored_image(*, name, user=None):
    """Store the picture stored as `name` again without its metadata
    (articles/stripping.py), under a new name with its format's extension,
    and point every story and past version showing it there; the old file
    and its thumbnail are deleted once that has committed.

    Returns (new name, the kinds of metadata removed); a file already clean
    keeps its name and returns (name, []). Raises ValidationError for a
    file that is not a picture we can read, OSError for a missing one.

    Not an edit: the words and the picture readers see are the same, so no
    story gets a new version or an "Updated" time (an editor's open form
    stays good); the rows only follow their file to its new name. The
    pages showing them get a new edition and are purged, as for an edit.
    """
    if not policy.can_publish(user):
        raise PermissionDenied("Only editors can change what live pages show.")
    storage = Article._meta.get_field("image").storage
    with storage.open(name, "rb") as file:
        images.validate_image_file(file)
        found = stripping.metadata_found(file)
        kind = images.image_format(file)
        if not found and name.endswith(f".{stripping.EXTENSIONS[kind]}"):
            return name, []
        clean = stripping.strip_metadata(file)
    folder, _, base = name.rpartition("/")
    new_name = storage.save(
        f"{folder}/{stripping.stored_name(base, clean.kind)}".lstrip("/"),
        ContentFile(clean.content),
    )
    picture = Article(image=new_name).image
    width, height = images.dimensions(picture)
    new_thumbnail = images.ensure_card_thumbnail(picture)
    stories = list(Article.objects.select_for_update().filter(image=name))
    old_thumbnails = {story.thumbnail.name for story in stories} - {""}
    sizes = {"image_width": width, "image_height": height}
    Article.objects.filter(image=name).update(
        image=new_name, thumbnail=new_thumbnail, **sizes
    )
    Article.history.filter(image=name).update(image=new_name, **sizes)
    for story in stories:
        _shown(story, before=_visibility(story))

    def delete_old_files():
        for old in {name} | old_thumbnails:
            storage.delete(old)

    transaction.on_commit(delete_old_files, robust=True)
    return new_name, found or ["a wrong extension"]


# Sources.


@transaction.atomic
def create_source(*, user, **fields):
    _refuse_unknown(fields, SOURCE_FIELDS)
    if not policy.can_add_source(user):
        raise PermissionDenied("Only editors can add sources.")
    source = Source(**_cleaned(Source, fields))
    source.full_clean()
    source.save()
    # Nothing readers have seen changes: no story is credited to it yet.
    return source


@transaction.atomic
def update_source(*, source, user, **fields):
    _refuse_unknown(fields, SOURCE_FIELDS)
    if not policy.can_change_source(user):
        raise PermissionDenied("Only editors can change sources.")
    source = Source.objects.select_for_update().get(pk=source.pk)
    old_slug = source.slug
    for name, value in _cleaned(Source, fields).items():
        setattr(source, name, value)
    source.full_clean()
    source.save()
    if source.slug != old_slug:
        # Its page and feeds keep answering at the old address.
        SourceRedirect.objects.filter(slug=source.slug, source=source).delete()
        SourceRedirect.objects.update_or_create(
            slug=old_slug, defaults={"source": source}
        )
    # Its name is on every card, story page and feed item that credits it.
    tags = {f"source-{old_slug}", f"source-{source.slug}", "front", "feeds"}
    _new_edition(tags=tags | {"sitemaps"})
    return source


@transaction.atomic
def delete_source(*, source, user):
    """Delete a source no story is credited to (ProtectedError otherwise)."""
    if not policy.can_delete_source(user):
        raise PermissionDenied("Only editors can delete sources.")
    source.delete()
    _new_edition(tags={f"source-{source.slug}", "sitemaps"})


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
    _new_edition(tags=tags)


def _save_listing(model, allowed, row, fields, *, prefix, user):
    _refuse_unknown(fields, allowed)
    old_tags = _listing_tags(row, prefix) if row is not None else set()
    reason = "Created" if row is None else "Edited"
    row = model() if row is None else model.objects.select_for_update().get(pk=row.pk)
    for name, value in _cleaned(model, fields).items():
        setattr(row, name, value)
    row.full_clean(exclude=["photo"] if model is Author else None)
    # Read by django-simple-history, for the models that keep a history.
    row._history_user, row._change_reason = user, reason
    row.save()
    _new_edition(tags=old_tags | _listing_tags(row, prefix))
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
    _new_edition(tags=tags)


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
    _new_edition(tags={"front"})
    return pin


@transaction.atomic
def unpin_story(*, user, slot):
    """Empty front page place `slot`: the newest story fills it again."""
    if not policy.can_curate_front_page(user):
        raise PermissionDenied("Only editors can arrange the front page.")
    deleted, _ = FrontPagePin.objects.filter(slot=slot).delete()
    if deleted:
        _new_edition(tags={"front"})


# Archives (desk/archive).


def restore_archive(
    *, user, archive, reason="Restored from an archive", batch_size=500
):
    """Restore an archive (desk/archive.Archive) into a site with no content:
    every source, story, version and old address with its own id, times and
    words, and each picture under its own name. Checked through first
    (ArchiveError, nothing written); then written in one transaction, with
    the edition raised once and the caches purged once after the commit. A
    picture stored before a failure is removed again.

    The stories' history comes back exactly as it was, so the restore is
    not itself a version: who restored what, and why, goes to the log.
    Returns the archive's report (counts, accounts and files not found).
    """
    if not policy.can_restore_archive(user):
        raise PermissionDenied("Only an administrator may restore an archive.")
    report = archive.check()
    stored = []
    try:
        with transaction.atomic():
            refuse_unless_site_is_empty()
            # A new site's only section is the default one its migration
            # made: the archive's sections take its place (ids and all).
            Section.objects.filter(articles__isnull=True).delete()
            for name, file in archive.media():
                stored.append(default_storage.save(name, File(file, name=name)))
                if stored[-1] != name:
                    raise ArchiveError(f"{name} could not be stored under its name.")
            highest = {}
            for filename, (model, _) in RECORDS.items():
                for rows in archive.rows(filename, batch_size):
                    _insert_as_they_were(model, rows)
                    for row in rows:
                        highest[model] = max(highest.get(model, 0), row.pk)
                        if filename == "versions.jsonl":
                            highest[Article] = max(highest.get(Article, 0), row.id)
            for model, past in highest.items():
                _ids_continue_after(model, past)
            search_index.rebuild()
            _edition_at_least(archive.manifest.get("edition"))
            _new_edition(tags={SITE_TAG})
    except BaseException:
        for name in stored:
            default_storage.delete(name)
        raise
    logger.info(
        "%s (%s) by %s: %s",
        reason,
        archive.path,
        user or "the site",
        ", ".join(f"{name}: {n}" for name, n in report.counts.items()),
    )
    return report


def _insert_as_they_were(model, rows):
    """Insert `rows`, ids and times as given: bulk_create sets the fields
    that Django stamps itself (auto_now) to now, so they are put back."""
    stamped = [
        f.attname
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    kept = [[getattr(row, name) for name in stamped] for row in rows]
    model.objects.bulk_create(rows)
    if stamped:
        for row, values in zip(rows, kept, strict=True):
            for name, value in zip(stamped, values, strict=True):
                setattr(row, name, value)
        model.objects.bulk_update(rows, stamped)


def _ids_continue_after(model, highest):
    """New rows of `model` get ids above `highest` (a deleted story's id
    stays with its history) and above every row's, as they always had."""
    table, pk = model._meta.db_table, model._meta.pk.column
    quoted = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, %s), GREATEST(%s, "
                f"(SELECT COALESCE(MAX({quoted(pk)}), 0) FROM {quoted(table)}), "
                "nextval(pg_get_serial_sequence(%s, %s))))",
                [table, pk, highest, table, pk],
            )
        elif connection.vendor == "sqlite":
            # AUTOINCREMENT tables keep their highest id here.
            cursor.execute(
                "UPDATE sqlite_sequence SET seq = MAX(seq, %s) WHERE name = %s",
                [highest, table],
            )
            if not cursor.rowcount:
                cursor.execute(
                    "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)",
                    [table, highest],
                )


def _edition_at_least(number):
    """Pages cached before the database was replaced are keyed by edition
    numbers up to the archive's: carry on above them."""
    if type(number) is not int:
        return
    row, _ = Edition.objects.select_for_update().get_or_create(pk=1)
    if row.number < number:
        row.number = number
        row.save(update_fields=["number"])


# The parts.


def _refuse_unknown(fields, allowed):
    unknown = set(fields) - allowed - {"source_id", "section_id"}
    if unknown:
        raise TypeError(f"Not fields editors write: {', '.join(sorted(unknown))}")


def _cleaned(model, fields):
    """`fields` with every text value cleaned (core/characters.py): what
    was pasted from Word or sent by a wire can break no page or feed.
    Slugs are left to their validator, which refuses what it would remove."""
    cleaned = dict(fields)
    for name, value in fields.items():
        field = model._meta.get_field(name)
        if isinstance(field, models.SlugField) or not isinstance(value, str):
            continue
        if isinstance(field, models.TextField):
            cleaned[name] = clean_text(value)
        elif isinstance(field, models.CharField):
            cleaned[name] = clean_text(value, multiline=False)
    return cleaned


def _check_publishing(user, story, fields):
    """Only editors may set or change a story's status and time."""
    changes = any(
        name in fields and fields[name] != getattr(story, name)
        for name in ("status", "published_at")
    )
    if changes and not policy.can_publish(user):
        raise PermissionDenied("Only editors can publish or schedule stories.")


def _lock(article):
    return Article.objects.select_for_update().get(pk=article.pk)


def _apply(story, fields):
    """Set editorial fields on `story`; `image` may be a new file, a stored
    file's name, or empty to remove the picture; `section` None is the
    default section."""
    if "section" in fields and fields["section"] is None:
        fields = fields | {"section": Section.default()}
    fields = _cleaned(Article, fields)
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


def _credits(fields):
    """Take the story's authors and topics out of `fields`: they are kept
    in tables of their own, written once the story's row is saved."""
    return {name: fields.pop(name) for name in Article.RELATED_FIELDS if name in fields}


def _set_credits(story, *, authors=None, topics=None):
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
    # extension of the format it holds), stored by _save() once the story
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


def _save(story, *, user, reason):
    claim_address(slug=story.slug)
    _validate(story)
    _refuse_old_addresses([story])
    stored = _store_new_image(story)
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


def _store_new_image(story):
    """Store a new upload now (the model would, a moment later, on save) so
    that its card thumbnail can be named after it. Returns the names of the
    files stored, the picture's and its card's."""
    if story.image and not story.image._committed:
        upload = story.image.file
        story.image.save(upload.name.rsplit("/", 1)[-1], upload, save=False)
        return [story.image.name, images.card_thumbnail_name(story.image.name)]
    return []


def _validate(story, **checks):
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


def _visibility(story, now=None):
    if story.status != Article.Status.PUBLISHED or story.published_at is None:
        return HIDDEN
    return LIVE if story.published_at <= (now or timezone.now()) else SCHEDULED


def _reason(before, story, default):
    after = _visibility(story)
    if after == before or (before == LIVE and after != HIDDEN):
        return default
    return {LIVE: "Published", SCHEDULED: "Scheduled", HIDDEN: "Unpublished"}[after]


def _keep_old_address(story, *, old_slug, went_live):
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


def _refuse_old_addresses(stories):
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


def _pages_showing(story):
    """The CDN tags of every page that shows `story` as it is saved now
    (core/pagecache.py): its own, its source's, section's, authors' and
    topics' pages, and the site-wide listings."""
    tags = {f"story-{story.pk}", f"source-{story.source.slug}", "front"}
    tags |= {"feeds", "sitemaps"}
    if story.section_id:
        tags.add(f"section-{story.section.slug}")
    if story.pk:
        tags |= {
            f"author-{slug}" for slug in story.authors.values_list("slug", flat=True)
        }
        tags |= {
            f"topic-{slug}" for slug in story.topics.values_list("slug", flat=True)
        }
    return tags


def _shown(story, *, before, after=None, tags=None):
    """Record what this change to `story` does to what readers see."""
    after = after or _visibility(story)
    if LIVE in (before, after):
        _new_edition(tags=tags or _pages_showing(story))
    elif SCHEDULED in (before, after):
        _new_schedule(tags=tags or _pages_showing(story))


def _new_edition(*, tags):
    """A change readers can see: raise the edition number in this
    transaction; after it commits, store the new edition for every app
    server and purge what the CDN holds."""
    _record_edition(visible=True)
    _after_commit().tags.update(tags)


def _new_schedule(*, tags):
    """Nothing readers see has changed yet, but what the clock will bring
    has: a story was scheduled, rescheduled or unscheduled. The pages that
    will show it are purged too: a CDN's copy fetched before now knows
    nothing of the new time, and would keep its full lifetime past it."""
    _record_edition(visible=False)
    _after_commit().tags.update(tags)


def _record_edition(*, visible):
    now = timezone.now()
    # Locked first: the schedule below then sees every change committed by
    # a writer that held the lock before this one.
    row, _ = Edition.objects.select_for_update().get_or_create(pk=1)
    if visible:
        row.number += 1
        row.changed_at = now
    row.revision += 1
    for name, value in edition.schedule(now).items():
        setattr(row, name, value)
    row.save()


class _AfterCommit:
    """What follows the commit of a transaction that changed the edition,
    once however many changes it held (a bulk action): the new edition
    stored for every app server, then one purge of every page affected."""

    def __init__(self):
        self.tags = set()

    def __call__(self):
        edition.refresh()
        cdn.purge(self.tags)


def _after_commit():
    # Django keeps the callbacks of the open transaction on the connection:
    # find this transaction's, or register one.
    callbacks = transaction.get_connection().run_on_commit
    for _, callback, _ in callbacks:
        if isinstance(callback, _AfterCommit):
            return callback
    callback = _AfterCommit()
    transaction.on_commit(callback, robust=True)
    return callback
