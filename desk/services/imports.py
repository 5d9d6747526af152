"""Many stories at once: imports (an archive's, a wire backlog, the
demo), a whole site restored from an archive, and pictures stored again
without their metadata."""

import logging

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from simple_history.utils import bulk_create_with_history

from articles import images, stripping
from articles.models import (
    Article,
    Edition,
    Section,
)
from core.pagecache import SITE_TAG
from search import index as search_index

from .. import policy
from ..archive.format import RECORDS, ArchiveError
from ..archive.reader import refuse_unless_site_is_empty
from .editions import (
    HIDDEN,
    LIVE,
    new_edition,
    shown,
    visibility,
)
from .fields import refuse_unknown
from .writing import (
    STORY_FIELDS,
    apply_fields,
    check_publishing,
    refuse_old_addresses,
    set_credits,
    store_new_image,
    take_credits,
    validate_story,
)

logger = logging.getLogger(__name__)


# An import may keep when its stories were first written and last changed.
ARCHIVE_TIMES = frozenset(["created_at", "updated_at"])


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
        refuse_unknown(fields, STORY_FIELDS)
        fields.setdefault("section", None)
        credits.append(take_credits(fields))
        story = Article(created_by=user, updated_by=user)
        check_publishing(user, story, fields)
        apply_fields(story, fields)
        # Field by field (the slug's pattern among them); the database's
        # constraints check the rest as the rows go in.
        validate_story(story, validate_unique=False, validate_constraints=False)
        story.address_went_live = visibility(story) == LIVE
        store_new_image(story)
        if story.image.name not in thumbnails:
            thumbnails[story.image.name] = images.ensure_card_thumbnail(story.image)
        story.thumbnail = thumbnails[story.image.name]
        story.render()
        rows.append(story)
        archive_times.append(times)
    refuse_old_addresses(rows)
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
            set_credits(story, **story_credits)
    shown = [
        (story, story_credits)
        for story, story_credits in zip(rows, credits, strict=True)
        if visibility(story) != HIDDEN
    ]
    if shown:
        tags = {"front", "feeds", "sitemaps"}
        for story, story_credits in shown:
            tags |= {f"source-{story.source.slug}", f"section-{story.section.slug}"}
            for name in Article.RELATED_FIELDS:
                tags |= {f"{name[:-1]}-{x.slug}" for x in story_credits.get(name, [])}
        new_edition(tags=tags)
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
        shown(story, before=visibility(story))

    def delete_old_files():
        for old in {name} | old_thumbnails:
            storage.delete(old)

    transaction.on_commit(delete_old_files, robust=True)
    return new_name, found or ["a wrong extension"]


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
            new_edition(tags={SITE_TAG})
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
