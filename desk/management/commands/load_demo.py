import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction

from articles.models import Article, Section, SitePage, Source, Topic
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

# The pages every news site has, linked from the footer. Their text says
# plainly what it is: an editor replaces it under "Site pages" in the desk.
EDIT_ME = (
    "*This page came with the demo content. An editor rewrites it under "
    "**Site pages** in the editors' desk before the site goes public.*"
)
SITE_PAGES = [
    {
        "slug": "about",
        "title": "About us",
        "description": "Who publishes this site, and how it works.",
        "body": f"""{EDIT_ME}

This site publishes news from its own reporters and from the agencies it
subscribes to. Every story names where it came from: its authors, or the
agency that supplied it.

Say here who owns and runs the site, who the editors are, and how the
newsroom is funded.""",
    },
    {
        "slug": "contact",
        "title": "Contact",
        "description": "How to reach the newsroom with a tip, a correction or a "
        "question.",
        "body": f"""{EDIT_ME}

Give here the newsroom's email address and telephone number, a postal
address, and how to send a news tip safely. Readers who find a mistake in a
story should be told how to report it (see the corrections policy).""",
    },
    {
        "slug": "corrections",
        "title": "Corrections policy",
        "description": "How the newsroom corrects its mistakes.",
        "body": f"""{EDIT_ME}

When a story is wrong, it is corrected as soon as the mistake is confirmed,
and the story says what was changed and when. Say here how readers report a
mistake, who decides on a correction, and how quickly the newsroom answers.""",
    },
    {
        "slug": "privacy",
        "title": "Privacy",
        "description": "What this site records about its readers.",
        "body": f"""{EDIT_ME}

As it comes, the site sets no cookie for readers, runs no advertising or
tracking scripts and loads nothing from other sites. Its servers log each
request (the address it came from, the page and the time) to keep the site
running. Say here how long the logs are kept, who may read them, and whom
readers can ask about their data.""",
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
    help = (
        "Load the demo sections, site pages, sources, topics and story. "
        "Running it again changes nothing."
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
        for position, fields in enumerate(SITE_PAGES, start=1):
            if not SitePage.objects.filter(slug=fields["slug"]).exists():
                services.save_site_page(
                    user=None, in_footer=True, position=position, **fields
                )
                self.stdout.write(f"Created page {fields['title']}")
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
