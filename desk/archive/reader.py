"""Reading an archive back: every check first, then the rows.

`Archive.check()` reads the whole archive once and raises ArchiveError
naming what is wrong (a damaged zip, a foreign or newer archive, a record
that would not be valid here, a story naming a source that is not there, a
picture listed but not in the zip or not what the index says) before
anything is written. desk/services' `restore_archive` then reads the
rows again a batch at a time and writes them. Only ids, slugs, usernames
and file names are held in memory, never the stories.
"""

import hashlib
import io
import json
import re
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from articles import images
from articles.models import SLUG_PATTERN, Article, Author, SlugRedirect, Source, Topic

from .format import (
    FILE_FIELDS,
    FORMAT,
    MANIFEST,
    MEDIA_FIELDS,
    MEDIA_FOLDER,
    MEDIA_INDEX,
    RECORDS,
    REFERENCES,
    VERSION,
    ArchiveError,
    column,
    load,
)

# Enough to see what is wrong; an archive with more is the wrong archive.
MAX_PROBLEMS = 20
FOREIGN_KEYS = {"user", "ref"}
HISTORY_TYPES = {"+", "~", "-"}


@dataclass
class Report:
    """What a restore found, for the person running it."""

    counts: dict = field(default_factory=dict)
    # Usernames with no account here, and how many records name each.
    missing_users: Counter = field(default_factory=Counter)
    # Files the archive's own site had lost before the copy was made.
    missing_media: list = field(default_factory=list)
    # Files already under MEDIA_ROOT with the same contents, left as they are.
    media_present: int = 0
    # Stories whose HTML, rendered here from their Markdown, differs from
    # the archive's (this Newsroom renders differently).
    rerendered: int = 0


class Archive:
    """An archive opened for restoring (a context manager)."""

    def __init__(self, path):
        self.path = str(path)
        try:
            self._zip = zipfile.ZipFile(path)
        except FileNotFoundError:
            raise ArchiveError(f"There is no file at {self.path}.") from None
        except (zipfile.BadZipFile, OSError) as error:
            raise ArchiveError(
                f"{self.path} is not a zip archive, or it is damaged ({error})."
            ) from None
        self.report = Report()
        self.user_ids = {}
        self._already_stored = set()
        self._checked = False
        try:
            self.manifest = self._read_manifest()
        except ArchiveError:
            self.close()
            raise

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def close(self):
        self._zip.close()

    # The checks.

    def _read_manifest(self):
        names = set(self._zip.namelist())
        if MANIFEST not in names:
            raise ArchiveError(
                f"{self.path} is not a Newsroom archive: it has no {MANIFEST}."
            )
        try:
            manifest = json.loads(self._zip.read(MANIFEST))
        except (ValueError, zipfile.BadZipFile, zlib.error, OSError) as error:
            raise ArchiveError(f"{MANIFEST} cannot be read ({error}).") from None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise ArchiveError(
                f"{self.path} is not a Newsroom archive ({MANIFEST} does not "
                f"say format {FORMAT!r})."
            )
        version = manifest.get("version")
        if type(version) is not int or version < 1:
            raise ArchiveError(f"{MANIFEST} gives no valid format version.")
        if version < VERSION:
            raise ArchiveError(
                f"This archive was written in format version {version} by an "
                f"older Newsroom; this one reads version {VERSION}. Restore it "
                "with the release that wrote it, then upgrade that site "
                "(`manage.py migrate`) and export it again."
            )
        if version > VERSION:
            raise ArchiveError(
                f"This archive was written in format version {version} by a "
                f"newer Newsroom; this one reads version {VERSION}. Restore it "
                "with the newer release (or upgrade this site first)."
            )
        counts = manifest.get("counts")
        expected = [*RECORDS, MEDIA_INDEX]
        if not isinstance(counts, dict) or any(
            type(counts.get(name)) is not int for name in expected
        ):
            raise ArchiveError(f"{MANIFEST} does not count its records.")
        absent = [name for name in expected if name not in names]
        if absent:
            raise ArchiveError(
                f"The archive is incomplete: {', '.join(absent)} missing."
            )
        self._check_migrations(manifest.get("migrations"))
        return manifest

    def _check_migrations(self, migrations):
        """An archive from a newer schema, or a site not yet migrated to the
        archive's, would not fit the tables."""
        if not isinstance(migrations, dict):
            raise ArchiveError(f"{MANIFEST} does not list its migrations.")
        theirs = migrations.get("articles") or []
        known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
        unknown = [name for name in theirs if ("articles", name) not in known]
        if unknown:
            raise ArchiveError(
                "This archive comes from a newer Newsroom: its database had "
                f"migration articles.{unknown[0]}, which this release does not "
                "have. Upgrade this site first."
            )
        applied = MigrationRecorder(connection).applied_migrations()
        pending = [name for name in theirs if ("articles", name) not in applied]
        if pending:
            raise ArchiveError(
                f"This site's database lacks migration articles.{pending[0]}: "
                "run `manage.py migrate` first."
            )

    def check(self):
        """Read everything once; raise ArchiveError naming the problems.
        Returns the report (counts, missing accounts and files)."""
        if self._checked:
            return self.report
        refuse_unless_site_is_empty()
        problems = []
        try:
            referenced = self._check_records(problems)
            if len(problems) < MAX_PROBLEMS:
                self._check_media(referenced, problems)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as error:
            raise ArchiveError(f"The archive is damaged ({error}).") from None
        if problems:
            more = " (and perhaps more)" if len(problems) >= MAX_PROBLEMS else ""
            listed = "\n".join(f"  {problem}" for problem in problems)
            raise ArchiveError(
                f"The archive cannot be restored{more}; nothing was written:\n{listed}"
            )
        self.user_ids = _accounts(self.report.missing_users)
        for name in list(self.report.missing_users):
            if name in self.user_ids:
                del self.report.missing_users[name]
        self._checked = True
        return self.report

    def _check_records(self, problems):
        ids = {filename: set() for filename in RECORDS}
        slugs = {filename: set() for filename in RECORDS}
        referenced = set()
        for filename, (model, fields) in RECORDS.items():
            count = 0
            for number, record in self._records(filename, fields, problems):
                count += 1
                where = f"{filename} line {number}"
                try:
                    row = self._instance(model, fields, record)
                    _validate(row, fields)
                except (ValueError, ValidationError) as error:
                    problems.append(f"{where}: {_say(error)}")
                else:
                    problems.extend(
                        f"{where}: {problem}"
                        for problem in _relations(filename, row, ids, slugs)
                    )
                    for name in FILE_FIELDS:
                        if record.get(name):
                            referenced.add(record[name])
                for key in ("created_by", "updated_by", "history_user"):
                    if isinstance(record.get(key), str):
                        self.report.missing_users[record[key]] += 1
                if len(problems) >= MAX_PROBLEMS:
                    return referenced
            if count != self.manifest["counts"][filename]:
                problems.append(
                    f"{filename} holds {count} records; the manifest says "
                    f"{self.manifest['counts'][filename]}: the archive is incomplete."
                )
            self.report.counts[filename] = count
        return referenced

    def _records(self, filename, fields, problems):
        """(line number, record) for each line that is a record of `fields`."""
        with self._zip.open(filename) as raw:
            lines = io.TextIOWrapper(raw, encoding="utf-8", errors="strict")
            try:
                for number, line in enumerate(lines, 1):
                    try:
                        record = json.loads(line)
                    except ValueError:
                        problems.append(f"{filename} line {number}: not JSON")
                        continue
                    if not isinstance(record, dict) or record.keys() != fields.keys():
                        got = sorted(record) if isinstance(record, dict) else []
                        odd = set(got) ^ set(fields)
                        problems.append(
                            f"{filename} line {number}: not a record of this "
                            f"format (fields {', '.join(sorted(odd)) or '?'})"
                        )
                        continue
                    yield number, record
            except UnicodeDecodeError:
                problems.append(f"{filename} is not UTF-8 text")

    def _instance(self, model, fields, record):
        values = {}
        for name, kind in fields.items():
            try:
                value = load(record[name], kind, self.user_ids)
            except ValueError as error:
                raise ValueError(f"{name} {error}") from None
            values[column(name, kind)] = value
        return model(**values)

    def _check_media(self, referenced, problems):
        listed = set()
        members = set(self._zip.namelist())
        expected = self.manifest["counts"][MEDIA_INDEX]
        count = 0
        for number, entry in self._records(MEDIA_INDEX, MEDIA_FIELDS, problems):
            count += 1
            name, where = entry["name"], f"{MEDIA_INDEX} line {number}"
            problem = _unsafe_name(name) or ("listed twice" if name in listed else None)
            if problem is None and entry["size"] is None:
                self.report.missing_media.append(name)
            elif problem is None:
                problem = self._check_file(name, entry, members)
            if problem:
                problems.append(f"{where}: {name!r} {problem}")
            listed.add(name)
            if len(problems) >= MAX_PROBLEMS:
                return
        if count != expected:
            problems.append(
                f"{MEDIA_INDEX} lists {count} files; the manifest says {expected}."
            )
        for name in sorted(referenced - listed)[: MAX_PROBLEMS - len(problems)]:
            problems.append(f"{name!r} is named by a story but not in {MEDIA_INDEX}")
        self.report.counts[MEDIA_INDEX] = count - len(self.report.missing_media)

    def _check_file(self, name, entry, members):
        member = MEDIA_FOLDER + name
        if member not in members:
            return f"is listed but the archive holds no {member}"
        info = self._zip.getinfo(member)
        if info.file_size != entry["size"]:
            return f"is {info.file_size} bytes; the index says {entry['size']}"
        if info.file_size > images.MAX_BYTES:
            return f"is {info.file_size} bytes, more than a picture may be"
        content = self._zip.read(member)
        if hashlib.sha256(content).hexdigest() != entry["sha256"]:
            return "does not match its SHA-256 in the index"
        try:
            images.validate_image_file(ContentFile(content, name=name))
        except ValidationError as refused:
            return f"is not a picture this site accepts: {_say(refused)}"
        if default_storage.exists(name):
            with default_storage.open(name, "rb") as stored:
                if (
                    hashlib.sha256(stored.read()).digest()
                    != hashlib.sha256(content).digest()
                ):
                    return (
                        "is already under MEDIA_ROOT with other contents: "
                        "move that file away, or restore into an empty MEDIA_ROOT"
                    )
            self._already_stored.add(name)
            self.report.media_present += 1
        return None

    # The rows, for desk/services/.

    def rows(self, filename, batch_size):
        """Lists of at most `batch_size` unsaved rows of `filename`, with
        accounts found here (or None). Only after check()."""
        assert self._checked, "check() the archive first"
        model, fields = RECORDS[filename]
        batch = []
        for _, record in self._records(filename, fields, []):
            row = self._instance(model, fields, record)
            if model is Article:
                row.render()
                self.report.rerendered += row.body_html != record["body_html"]
            batch.append(row)
            if len(batch) == batch_size:
                yield batch
                batch = []
        if batch:
            yield batch

    def media(self):
        """(name, open file) for each picture to store; not those already
        stored with the same contents."""
        assert self._checked, "check() the archive first"
        for _, entry in self._records(MEDIA_INDEX, MEDIA_FIELDS, []):
            name = entry["name"]
            if entry["size"] is not None and name not in self._already_stored:
                with self._zip.open(MEDIA_FOLDER + name) as file:
                    yield name, file


def refuse_unless_site_is_empty():
    """An archive restores a whole site, ids and all: into a site that holds
    content already, its stories would take other stories' ids, feed ids
    and history. Merging two sites is not what a backup is for."""
    held = {
        "stories": Article.objects.exists(),
        "sources": Source.objects.exists(),
        "versions": Article.history.model.objects.exists(),
        "old addresses": SlugRedirect.objects.exists(),
        "authors": Author.objects.exists(),
        "topics": Topic.objects.exists(),
    }
    if any(held.values()):
        what = ", ".join(name for name, present in held.items() if present)
        raise ArchiveError(
            f"This site already holds content ({what}): an archive is restored "
            "only into an empty site, with nothing merged or overwritten. "
            "Restore into a new database (`manage.py migrate` on it first); "
            "see docs/operations.md, Backups."
        )


def _validate(row, fields):
    exclude = [
        name for name, kind in fields.items() if kind.rstrip("?") in FOREIGN_KEYS
    ]
    if isinstance(row, Author):
        exclude += ["photo"]  # checked against the media index
    if isinstance(row, Article):
        # Stored file names, checked against the media index instead.
        exclude += ["image", "thumbnail"]
        if row.image and not (row.image_width and row.image_height):
            raise ValueError("image has no width and height")
    row.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    # The database's own checks, made here so that nothing is half written.
    if hasattr(row, "slug") and not re.match(SLUG_PATTERN, row.slug):
        raise ValueError(f"slug {row.slug!r} is not an address the site can route")
    if getattr(row, "status", None) == Article.Status.PUBLISHED and (
        row.published_at is None
    ):
        raise ValueError("published with no publication time")
    if getattr(row, "history_type", "+") not in HISTORY_TYPES:
        raise ValueError(f"history_type {row.history_type!r} is not +, ~ or -")


def _relations(filename, row, ids, slugs):
    """What a row's ids, slug and references say against the rows before."""
    if filename == "versions.jsonl":
        key = row.history_id
    else:
        key = row.pk
    if key in ids[filename]:
        yield f"id {key} appears twice"
    ids[filename].add(key)
    if filename != "versions.jsonl" and hasattr(row, "slug"):
        if row.slug in slugs[filename]:
            yield f"slug {row.slug!r} appears twice"
        slugs[filename].add(row.slug)
    for attribute, target in REFERENCES.get(filename, []):
        if getattr(row, attribute) not in ids[target]:
            what = attribute.removesuffix("_id").replace("article", "story")
            yield f"{what} {getattr(row, attribute)} is not in {target}"


def _unsafe_name(name):
    path = PurePosixPath(name)
    if (
        not name
        or path.is_absolute()
        or ".." in path.parts
        or "\\" in name
        or "\x00" in name
    ):
        return "is not a file name under MEDIA_ROOT"
    return None


def _accounts(usernames):
    """Ids of the accounts here with these usernames."""
    found = {}
    names = list(usernames)
    users = get_user_model().objects
    for start in range(0, len(names), 500):
        chunk = names[start : start + 500]
        found |= dict(users.filter(username__in=chunk).values_list("username", "pk"))
    return found


def _say(error):
    if isinstance(error, ValidationError):
        if hasattr(error, "error_dict"):
            return "; ".join(
                f"{name}: {' '.join(messages)}"
                for name, messages in error.message_dict.items()
            )
        return " ".join(error.messages)
    return str(error)
