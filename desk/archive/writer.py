"""Writing an archive of the site's content, a row at a time.

Rows are read in chunks (`.iterator()`) and written straight into the zip,
so the memory used does not grow with the number of stories: only the
names of the stored files (to copy each once) and the accounts' usernames
are kept. Everything is read in one transaction, which on PostgreSQL sees
one moment of the site (REPEATABLE READ): a story saved while the export
runs is either wholly in it, versions and all, or not at all.
"""

import datetime
import hashlib
import json
import os
import shutil
import tempfile
import zipfile
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from articles import images
from articles.models import Edition

from .format import (
    FILE_FIELDS,
    FORMAT,
    MANIFEST,
    MEDIA_FOLDER,
    MEDIA_INDEX,
    RECORDS,
    VERSION,
    column,
    dump,
)

CHUNK = 2000
# Pictures are compressed already: stored as they are, read back quickly.
MEDIA_COMPRESSION = zipfile.ZIP_STORED
# A file a row names must be in the archive, or listed as missing; one only
# derived from a row (an old version's card) is copied if it is there.
REQUIRED, OPTIONAL = "required", "optional"


def export_archive(path):
    """Write the site's content to a new zip file at `path`.

    The archive is written beside it under a temporary name and renamed
    into place when complete, so a failed export never leaves a file that
    looks like an archive. Returns the manifest (with the counts) and the
    names of stored files that were missing.
    """
    path = Path(path)
    handle, partial = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".partial"
    )
    os.close(handle)
    try:
        with (
            transaction.atomic(),
            zipfile.ZipFile(
                partial, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True
            ) as archive,
        ):
            _one_moment()
            manifest, missing = _write(archive)
        os.replace(partial, path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    return manifest, missing


def _one_moment():
    # Only possible as the transaction's first statement: not when the
    # caller (a test) already holds one open.
    if connection.vendor == "postgresql" and len(connection.atomic_blocks) == 1:
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")


def _write(archive):
    usernames = dict(get_user_model().objects.values_list("pk", "username"))
    stored = {}  # names of files to copy, in the order first met
    counts = {}
    for filename, (model, fields) in RECORDS.items():
        columns = {name: column(name, kind) for name, kind in fields.items()}
        rows = (
            model.objects.order_by(model._meta.pk.attname)
            .values_list(*columns.values())
            .iterator(chunk_size=CHUNK)
        )
        counts[filename] = 0
        with archive.open(filename, "w", force_zip64=True) as out:
            for values in rows:
                record = {
                    name: dump(value, fields[name], usernames)
                    for name, value in zip(columns, values, strict=True)
                }
                for name in FILE_FIELDS:
                    if record.get(name):
                        stored[record[name]] = REQUIRED
                if filename == "versions.jsonl" and record["image"]:
                    # An old picture's card, made when it was current.
                    card = images.card_thumbnail_name(record["image"])
                    stored.setdefault(card, OPTIONAL)
                out.write(_line(record))
                counts[filename] += 1
    counts[MEDIA_INDEX], missing = _write_media(archive, stored)
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "site": {"name": settings.SITE_NAME, "url": settings.SITE_URL},
        "exported_at": timezone.now().astimezone(datetime.UTC).isoformat(),
        "database": connection.vendor,
        "counts": counts,
        "migrations": _migrations(),
        "edition": Edition.objects.filter(pk=1)
        .values_list("number", flat=True)
        .first(),
    }
    archive.writestr(MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False))
    return manifest, missing


def _write_media(archive, names):
    """Copy each stored file into the archive, then list them all in the
    media index: a file that has gone is listed as missing, so that a
    restore knows the rows naming it were like that already."""
    listed, missing = 0, []
    # The index waits on disk: the zip takes one member at a time.
    with tempfile.TemporaryFile() as index:
        for name, need in names.items():
            entry = _copy_file(archive, name)
            if entry["size"] is None:
                if need is OPTIONAL:
                    continue
                missing.append(name)
            index.write(_line(entry))
            listed += 1
        index.seek(0)
        with archive.open(MEDIA_INDEX, "w", force_zip64=True) as out:
            shutil.copyfileobj(index, out)
    return listed, missing


def _copy_file(archive, name):
    try:
        source = default_storage.open(name, "rb")
    except OSError:
        return {"name": name, "size": None, "sha256": None}
    info = zipfile.ZipInfo(MEDIA_FOLDER + name, date_time=_now_for_zip())
    info.compress_type = MEDIA_COMPRESSION
    digest, size = hashlib.sha256(), 0
    with source, archive.open(info, "w", force_zip64=True) as out:
        while chunk := source.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    return {"name": name, "size": size, "sha256": digest.hexdigest()}


def _now_for_zip():
    return timezone.localtime().timetuple()[:6]


def _line(record):
    return (json.dumps(record, ensure_ascii=False) + "\n").encode()


def _migrations():
    """The migrations applied to this site's database, by app."""
    applied = {}
    recorder = MigrationRecorder(connection)
    for app, name in sorted(recorder.applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied
