"""A site with something on every kind of page, for the checks that read
every page (the HTML checker, axe-core, Lighthouse): the demo content, and
stories in several sections with authors, topics, pictures and labels,
more than a page of them, the lead pinned."""

import datetime

from django.core.management import call_command
from django.utils import timezone

from articles.models import Section, Source, Topic
from desk import services
from tests.conftest import picture
from tests.factories import ArticleFactory, AuthorFactory

STORY = "/2016/12/24/russia-urges-peace-after-battle-for-aleppo/"
# Every kind of reader page, by name: (URL, status).
PAGES = {
    "front": ("/", 200),
    "latest": ("/latest/", 200),
    "latest-page-2": ("/latest/?page=2", 200),
    "story": (STORY, 200),
    "staff-story": ("/{date}/the-minister-answers/", 200),
    "source": ("/sources/aap/", 200),
    "section": ("/sections/world/", 200),
    "author": ("/authors/jane-citizen/", 200),
    "topic": ("/topics/syria/", 200),
    "site-page": ("/about/", 200),
    "not-found": ("/no/such/page/", 404),
    # Results with highlights and pages that keep the query, then the
    # search page's other states: no query yet, nothing found, dates refused.
    "search": ("/search/?q=story+number&source=aap&sort=newest", 200),
    "search-passage": ("/search/?q=aleppo", 200),
    "search-empty": ("/search/", 200),
    "search-nothing": ("/search/?q=zebra&source=aap", 200),
    "search-invalid": ("/search/?q=story&from=2024-02-30&to=1800-01-01", 200),
}


def build(stdout):
    """Write the site through the services; return its pages' URLs."""
    call_command("load_demo", stdout=stdout)
    aap = Source.objects.get(slug="aap")
    syria = Topic.objects.get(slug="syria")
    jane = AuthorFactory(
        name="Jane Citizen",
        slug="jane-citizen",
        title="Political reporter",
        bio="Jane covers federal politics from Canberra.\n\nShe joined in 2019.",
        website="https://janecitizen.example.com/",
        profiles="https://bsky.app/profile/jane.example.com",
        photo=picture(size=(400, 400)),
    )
    now = timezone.now()
    sections = list(Section.objects.filter(in_navigation=True))
    labels = ["", "breaking", "analysis", "opinion"]
    for n in range(24):
        ArticleFactory(
            published=True,
            published_at=now - datetime.timedelta(minutes=30 * n + 5),
            source=aap,
            section=sections[n % len(sections)],
            label=labels[n % len(labels)],
            topics=[syria] if n % 3 == 0 else [],
            image=picture() if n % 2 == 0 else "",
            image_alt="A navy blue square" if n % 2 == 0 else "",
        )
    staff = ArticleFactory(
        published=True,
        headline="The minister answers",
        slug="the-minister-answers",
        source=aap,
        section=Section.objects.get(slug="politics"),
        authors=[jane],
        topics=[syria],
    )
    services.pin_story(user=None, article=staff, slot=0)
    day = timezone.localtime(staff.published_at).strftime("%Y/%m/%d")
    return {
        name: (url.format(date=day), status) for name, (url, status) in PAGES.items()
    }
