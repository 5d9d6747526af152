"""Strip the metadata from every picture already stored (docs/images.md).

Uploads are stripped as they arrive (articles/stripping.py); this does the
same to the files stored before that, through desk/services/. Running it
again changes nothing.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand

from articles.models import Article
from desk import services

FOLDER = "articles"  # where the image field's `upload_to` stores uploads


class Command(BaseCommand):
    help = (
        "Store every uploaded picture again without its EXIF, GPS, XMP and "
        "comments (keeping its colour profile), upright and under the "
        "extension of its real format. Running it again changes nothing."
    )

    def handle(self, *args, **options):
        stripped = clean = failed = 0
        for name in sorted(self.stored_pictures()):
            try:
                new_name, removed = services.strip_stored_image(name=name)
            except ValidationError as refused:
                failed += 1
                self.stderr.write(
                    f"{name}: left as it is: {' '.join(refused.messages)}"
                )
                continue
            except OSError as error:
                failed += 1
                self.stderr.write(f"{name}: cannot be read ({error.strerror or error})")
                continue
            if not removed:
                clean += 1
                continue
            stripped += 1
            self.stdout.write(f"{name} -> {new_name}: removed {', '.join(removed)}")
        self.stdout.write(
            f"{stripped} stripped, {clean} already clean, {failed} left as they were."
        )

    def stored_pictures(self):
        """Every file in the uploads folder, and every name a story or one
        of its past versions points to (wherever it is, and whether or not
        it is still there)."""
        storage = Article._meta.get_field("image").storage
        names = set(_files(storage, FOLDER))
        for rows in (Article.objects, Article.history):
            names |= set(rows.exclude(image="").values_list("image", flat=True))
        return names


def _files(storage, folder):
    if not storage.exists(folder):
        return
    folders, files = storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}"
    for sub in folders:
        yield from _files(storage, f"{folder}/{sub}")
