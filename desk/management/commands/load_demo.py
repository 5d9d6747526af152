import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction

from articles.models import Article, Source
from desk import services
from desk.demo.hero import placeholder_jpeg

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

# 9:44am on 24 December 2016 in Sydney (AEDT, UTC+11).
WENT_OUT = datetime.datetime(2016, 12, 24, 9, 44, tzinfo=ZoneInfo("Australia/Sydney"))

STORY = {
    "slug": "russia-urges-peace-after-battle-for-aleppo",
    "headline": "Russia urges peace after battle for Aleppo",
    "standfirst": (
        "Russia is calling for a comprehensive agreement to resolve "
        "the Syrian civil war."
    ),
    "status": Article.Status.PUBLISHED,
    "published_at": WENT_OUT,
    "image_alt": (
        "Placeholder graphic standing in for a photo of Russian President "
        "Vladimir Putin"
    ),
    "image_caption": "Russian President Vladimir Putin",
    "image_credit": "AAP",
    # The story was last edited when it went out, not when it was loaded.
    "created_at": WENT_OUT,
    "updated_at": WENT_OUT,
}


class Command(BaseCommand):
    help = "Load the demo sources and story. Running it again changes nothing."

    @transaction.atomic
    def handle(self, *args, **options):
        sources = {}
        for fields in SOURCES:
            source = Source.objects.filter(slug=fields["slug"]).first()
            if source is None:
                source = services.create_source(user=None, **fields)
                self.stdout.write(f"Created source {source.name}")
            sources[source.slug] = source

        if Article.objects.filter(slug=STORY["slug"]).exists():
            self.stdout.write("Demo story already loaded; nothing to do.")
            return

        body = (DEMO_DIR / f"{STORY['slug']}.md").read_text(encoding="utf-8")
        image = ContentFile(
            placeholder_jpeg("Russian President Vladimir Putin"),
            name=f"{STORY['slug']}.jpg",
        )
        (story,) = services.import_articles(
            user=None,
            stories=[STORY | {"body": body, "source": sources["aap"], "image": image}],
        )
        self.stdout.write(self.style.SUCCESS(f"Loaded demo story {story.headline!r}"))
