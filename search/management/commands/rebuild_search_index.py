from django.core.management.base import BaseCommand
from django.db import transaction

from search import index


class Command(BaseCommand):
    help = (
        "Write every story's search entry afresh and rebuild the full-text "
        "index from them, in one transaction: readers search the old index "
        "until it commits. On SQLite it holds the write lock until then: run "
        "it when nobody is saving."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            count = index.rebuild()
        self.stdout.write(f"Indexed {count:,} stories for search.")
