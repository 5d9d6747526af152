from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from desk import services
from desk.archive import Archive, ArchiveError


class Command(BaseCommand):
    help = (
        "Restore an archive written by export_content into a site with no "
        "content yet: everything is checked first, then written in one "
        "transaction, or nothing is. See docs/operations.md, Backups."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the archive to restore")
        parser.add_argument(
            "--check",
            action="store_true",
            help="only check the archive against this site; write nothing",
        )
        parser.add_argument(
            "--user",
            help="the superuser restoring (recorded in the log); default: the site",
        )
        parser.add_argument(
            "--reason", default="Restored from an archive", help="why, for the log"
        )

    def handle(self, *args, path, check, user, reason, **options):
        acting = None
        if user is not None:
            acting = get_user_model().objects.filter(username=user).first()
            if acting is None:
                raise CommandError(f"There is no account named {user!r}.")
        try:
            with Archive(path) as archive:
                if check:
                    report = archive.check()
                else:
                    report = services.restore_archive(
                        user=acting, archive=archive, reason=reason
                    )
        except ArchiveError as error:
            raise CommandError(str(error)) from None
        except PermissionDenied as error:
            raise CommandError(str(error)) from None
        self._tell(report, path, check)

    def _tell(self, report, path, check):
        for username, records in sorted(report.missing_users.items()):
            self.stderr.write(
                f"Warning: there is no account named {username!r} here: "
                f"{records} records name it and keep no one in its place."
            )
        for name in report.missing_media:
            self.stderr.write(
                f"Warning: {name} was already missing when the archive was "
                "made; the stories naming it are restored as they were."
            )
        if report.rerendered:
            self.stderr.write(
                f"Note: {report.rerendered} stories render differently with "
                "this release; their pages show the new rendering."
            )
        counts = report.counts
        summary = (
            f"{counts['sources.jsonl']} sources, {counts['stories.jsonl']} "
            f"stories, {counts['versions.jsonl']} versions, "
            f"{counts['redirects.jsonl']} old addresses, "
            f"{counts['media.jsonl']} files"
        )
        if check:
            self.stdout.write(
                self.style.SUCCESS(f"{path} can be restored here: {summary}.")
            )
        else:
            self.stdout.write(self.style.SUCCESS(f"Restored {path}: {summary}."))
