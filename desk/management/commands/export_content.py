from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from desk.archive import export_archive


class Command(BaseCommand):
    help = (
        "Write every source, story, version, old address and stored picture "
        "to a portable archive (a zip of JSON Lines and media files). "
        "Restore it with import_content. See docs/operations.md, Backups."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the archive to write, e.g. site.zip")
        parser.add_argument(
            "--force", action="store_true", help="replace an existing file"
        )

    def handle(self, *args, path, force, **options):
        target = Path(path)
        if target.is_dir():
            raise CommandError(f"{path} is a folder: name the archive file to write.")
        if target.exists() and not force:
            raise CommandError(f"{path} exists already: --force replaces it.")
        if not target.parent.is_dir():
            raise CommandError(f"There is no folder {target.parent} to write into.")
        try:
            manifest, missing = export_archive(target)
        except OSError as error:
            raise CommandError(f"Could not write {path}: {error}") from None
        for name in missing:
            self.stderr.write(
                f"Warning: {name} is named by a story but not stored; "
                "the archive lists it as missing."
            )
        counts = manifest["counts"]
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {path}: {counts['sources.jsonl']} sources, "
                f"{counts['stories.jsonl']} stories, "
                f"{counts['versions.jsonl']} versions, "
                f"{counts['redirects.jsonl']} old addresses, "
                f"{counts['media.jsonl'] - len(missing)} files."
            )
        )
