import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction

from articles.models import Article, Source
from desk.demo.hero import HEIGHT, WIDTH, placeholder_jpeg

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"

SOURCES = [
    {
        "slug": "aap",
        "name": "AAP",
        "url": "https://www.aap.com.au/",
        "description": "Australian Associated Press, the national news agency.",
    },
    {
        "slug": "sbs-news",
        "name": "SBS News",
        "url": "https://www.sbs.com.au/news/",
        "description": "News from Australia's Special Broadcasting Service.",
    },
]

STORY = {
    "slug": "russia-urges-peace-after-battle-for-aleppo",
    "headline": "Russia urges peace after battle for Aleppo",
    "standfirst": (
        "Russia is calling for a comprehensive agreement to resolve "
        "the Syrian civil war."
    ),
    "source": "aap",
    # 9:44am on 24 December 2016 in Sydney (AEDT, UTC+11).
    "published_at": datetime.datetime(
        2016, 12, 24, 9, 44, tzinfo=ZoneInfo("Australia/Sydney")
    ),
    "image_alt": (
        "Placeholder graphic standing in for a photo of Russian President "
        "Vladimir Putin"
    ),
    "image_caption": "Russian President Vladimir Putin",
    "image_credit": "AAP",
}


class Command(BaseCommand):
    help = "Load the demo sources and story. Running it again changes nothing."

    @transaction.atomic
    def handle(self, *args, **options):
        sources = {}
        for fields in SOURCES:
            source, created = Source.objects.get_or_create(
                slug=fields["slug"],
                defaults={k: v for k, v in fields.items() if k != "slug"},
            )
            sources[source.slug] = source
            if created:
                self.stdout.write(f"Created source {source.name}")

        if Article.objects.filter(slug=STORY["slug"]).exists():
            self.stdout.write("Demo story already loaded; nothing to do.")
            return

        body = (DEMO_DIR / f"{STORY['slug']}.md").read_text(encoding="utf-8")
        article = Article(
            headline=STORY["headline"],
            slug=STORY["slug"],
            standfirst=STORY["standfirst"],
            body=body,
            source=sources[STORY["source"]],
            status=Article.Status.PUBLISHED,
            published_at=STORY["published_at"],
            image_alt=STORY["image_alt"],
            image_caption=STORY["image_caption"],
            image_credit=STORY["image_credit"],
        )
        article.image.save(
            f"{STORY['slug']}.jpg",
            ContentFile(placeholder_jpeg("Russian President Vladimir Putin")),
            save=False,
        )
        # FieldFile.save() does not fill the width and height fields, and
        # without them every load of the story opens the file to measure it
        # (and fails if the file has gone).
        article.image_width, article.image_height = WIDTH, HEIGHT
        article.save()
        # The story was last edited when it went out, not when it was loaded.
        Article.objects.filter(pk=article.pk).update(
            created_at=STORY["published_at"], updated_at=STORY["published_at"]
        )
        self.stdout.write(self.style.SUCCESS(f"Loaded demo story {article.headline!r}"))
