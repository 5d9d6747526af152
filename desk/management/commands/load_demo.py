import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction

from articles.models import Article, Section, Source, Topic
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

# The site's sections, in the masthead's order.
SECTIONS = [
    ("World", "world", "News from around the world."),
    ("Australia", "australia", "News from across Australia."),
    ("Politics", "politics", "Federal, state and world politics."),
    ("Business", "business", "Markets, companies and the economy."),
    ("Sport", "sport", "Results and stories from the world of sport."),
    ("Science", "science", "Science, health and the environment."),
]
DEMO_SECTION = "world"
DEMO_TOPICS = [("Syria", "syria"), ("Russia", "russia")]

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
    help = (
        "Load the demo sections, sources, topics and story. Running it again "
        "changes nothing."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        for position, (name, slug, description) in enumerate(SECTIONS, start=1):
            if not Section.objects.filter(slug=slug).exists():
                services.save_section(
                    user=None,
                    name=name,
                    slug=slug,
                    description=description,
                    position=position,
                    in_navigation=True,
                )
                self.stdout.write(f"Created section {name}")
        topics = []
        for name, slug in DEMO_TOPICS:
            topic = Topic.objects.filter(slug=slug).first()
            topics.append(topic or services.save_topic(user=None, name=name, slug=slug))
        section = Section.objects.get(slug=DEMO_SECTION)
        sources = {}
        for fields in SOURCES:
            source = Source.objects.filter(slug=fields["slug"]).first()
            if source is None:
                source = services.create_source(user=None, **fields)
                self.stdout.write(f"Created source {source.name}")
            sources[source.slug] = source

        story = Article.objects.filter(slug=STORY["slug"]).first()
        if story is not None:
            if story.section.slug == Section.DEFAULT_SLUG:
                # Loaded before the site had sections.
                services.update_article(
                    article=story, user=None, section=section, topics=topics
                )
                self.stdout.write(f"Moved the demo story to {section.name}")
            else:
                self.stdout.write("Demo story already loaded; nothing to do.")
            return

        body = (DEMO_DIR / f"{STORY['slug']}.md").read_text(encoding="utf-8")
        image = ContentFile(
            placeholder_jpeg("Russian President Vladimir Putin"),
            name=f"{STORY['slug']}.jpg",
        )
        (story,) = services.import_articles(
            user=None,
            stories=[
                STORY
                | {
                    "body": body,
                    "source": sources["aap"],
                    "section": section,
                    "topics": topics,
                    "image": image,
                }
            ],
        )
        self.stdout.write(self.style.SUCCESS(f"Loaded demo story {story.headline!r}"))
