"""The end of a story: the next story in its section, related stories
(sharing a topic, then from its section) and more from its source; never
the story itself, never an unpublished one, none offered twice, and each
list one query whatever the size of the archive."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import selectors
from articles.models import Article
from tests.factories import (
    ArticleFactory,
    SectionFactory,
    SourceFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def world():
    return SectionFactory(name="World", slug="world")


def story(headline, hours_ago, **fields):
    return ArticleFactory(
        published=True,
        headline=headline,
        published_at=timezone.now() - hours_ago * HOUR,
        **fields,
    )


def read(story):
    return Article.objects.with_credits().get(pk=story.pk)


def test_related_stories_share_a_topic_first_then_the_section(world):
    syria, russia = TopicFactory(name="Syria"), TopicFactory(name="Russia")
    sport = SectionFactory(name="Sport")
    this = story("This one", 5, section=world, topics=[syria, russia])
    story("Same section, newest", 1, section=world)
    story("Shares Syria, other section", 9, section=sport, topics=[syria])
    story("Shares Russia, old", 30, section=sport, topics=[russia])
    story("Same section, older", 7, section=world)
    story("Unrelated", 2, section=sport)
    ArticleFactory(section=world, topics=[syria], headline="A draft")
    ArticleFactory(scheduled=True, section=world, topics=[syria], headline="Soon")
    related = selectors.related(read(this))
    assert [s.headline for s in related] == [
        "Shares Syria, other section",
        "Shares Russia, old",
        "Same section, newest",
        "Same section, older",
    ]


def test_with_no_topics_related_is_the_section(world):
    this = story("This one", 5, section=world)
    story("Newer", 1, section=world)
    story("Older", 8, section=world)
    story("Elsewhere", 2)
    assert [s.headline for s in selectors.related(read(this))] == ["Newer", "Older"]


def test_the_next_story_is_the_one_below_it_on_the_section_page(world):
    newest = story("Newest", 1, section=world)
    middle = story("Middle", 2, section=world)
    oldest = story("Oldest", 3, section=world)
    story("Other section", 2.5)
    assert selectors.next_in_section(newest) == middle
    assert selectors.next_in_section(middle) == oldest
    # At the bottom of the section, back to its top.
    assert selectors.next_in_section(oldest) == newest
    alone = story("Alone", 1, section=SectionFactory())
    assert selectors.next_in_section(alone) is None


def test_nothing_is_offered_twice_and_more_comes_from_the_source(client, html, world):
    aap, sbs = SourceFactory(name="AAP"), SourceFactory(name="SBS")
    this = story("This one", 5, section=world, source=aap)
    story("Next in World", 6, section=world, source=aap)
    story("World two", 7, section=world, source=aap)
    story("AAP elsewhere", 1, source=aap)
    story("SBS elsewhere", 1, source=sbs)
    page = html(client.get(this.get_absolute_url()))
    end = page.select_one("aside.keep-reading")

    def listed(heading_id):
        section = end.find(id=heading_id).find_parent("section")
        return [a.get_text() for a in section.select(".story-card__headline a")]

    assert listed("next-heading") == ["Next in World"]
    assert listed("related-heading") == ["World two"]
    assert listed("more-heading") == ["AAP elsewhere"]
    assert end.find(id="more-heading").a["href"] == aap.get_absolute_url()
    everything = [a.get_text() for a in end.select(".story-card__headline a")]
    assert len(everything) == len(set(everything)) and "This one" not in everything


def test_each_list_is_one_query_whatever_the_archive(world):
    topic = TopicFactory()
    this = story("This one", 50, section=world, topics=[topic])
    for n in range(30):
        story(f"Filler {n}", n + 1, section=world, topics=[topic] if n % 2 else [])
    this = read(this)
    for ask in [selectors.related, selectors.more_from_source]:
        with CaptureQueriesContext(connection) as queries:
            ask(this)
        assert len(queries) == 1, ask
