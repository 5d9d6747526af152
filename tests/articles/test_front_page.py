"""The front page: a lead and a second tier (editors' choices, else the
newest), a block for each section, then the latest; each story once."""

import datetime

import pytest
import time_machine
from django.utils import timezone
from django.utils.http import http_date

from articles.models import FrontPagePin
from desk import services
from tests.conftest import cache_control
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def headlines(cards):
    return [card.select_one(".story-card__headline a").get_text() for card in cards]


def front(client, html):
    page = html(client.get("/"))
    return {
        "lead": headlines(page.select(".front-top__lead .story-card")),
        "second": headlines(page.select(".front-top__second .story-card")),
        "sections": {
            block.h2.get_text(): headlines(block.select(".story-card"))
            for block in page.select(".section-block")
        },
        "latest": headlines(page.select(".latest-block .story-card")),
        "page": page,
    }


@pytest.fixture
def sections():
    return [
        SectionFactory(name="World", slug="world", position=1),
        SectionFactory(name="Sport", slug="sport", position=2),
    ]


def stories_in(section, n, *, start, name="story", **fields):
    """`n` published stories in `section`, the first `start` hours ago and
    each an hour older than the one before."""
    now = timezone.now()
    return [
        ArticleFactory(
            published=True,
            section=section,
            headline=f"{section.name} {name} {i}",
            slug=f"{section.slug}-{name}-{i}",
            published_at=now - (start + i) * HOUR,
            **fields,
        )
        for i in range(n)
    ]


def test_with_no_choices_the_newest_lead_and_each_story_shows_once(
    client, html, sections
):
    world, sport = sections
    world_stories = stories_in(world, 8, start=1)  # the newest eight
    sport_stories = stories_in(sport, 6, start=20)
    shown = front(client, html)
    assert shown["lead"] == ["World story 0"]
    assert shown["second"] == [f"World story {i}" for i in range(1, 5)]
    # Each section's newest not already above, four at most.
    assert shown["sections"] == {
        "World": [f"World story {i}" for i in range(5, 8)],
        "Sport": [f"Sport story {i}" for i in range(4)],
    }
    assert shown["latest"] == ["Sport story 4", "Sport story 5"]
    everything = [
        *shown["lead"],
        *shown["second"],
        *sum(shown["sections"].values(), []),
        *shown["latest"],
    ]
    assert sorted(everything) == sorted(
        s.headline for s in world_stories + sport_stories
    )


def test_an_editors_choices_take_their_places_until_their_end(client, html, sections):
    world, sport = sections
    stories_in(world, 6, start=1)
    (old_sport,) = stories_in(sport, 1, start=48)
    later = timezone.now() + HOUR
    services.pin_story(user=None, article=old_sport, slot=FrontPagePin.Slot.LEAD)
    chosen = ArticleFactory(
        published=True,
        section=world,
        headline="Chosen second",
        published_at=timezone.now() - HOUR / 2,
    )
    services.pin_story(
        user=None, article=chosen, slot=FrontPagePin.Slot.SECOND_3, ends_at=later
    )
    shown = front(client, html)
    assert shown["lead"] == ["Sport story 0"]
    # Empty places take the newest stories, in order, around the chosen one.
    assert shown["second"] == [
        "World story 0",
        "World story 1",
        "Chosen second",
        "World story 2",
    ]
    assert "Sport" not in shown["sections"]  # its only story leads
    assert "Chosen second" not in sum(shown["sections"].values(), [])
    with time_machine.travel(later + datetime.timedelta(seconds=1)):
        after = front(client, html)
    # Its place ended: it is back where its time puts it, the newest story.
    assert after["lead"] == ["Sport story 0"]
    assert after["second"] == [
        "Chosen second",
        "World story 0",
        "World story 1",
        "World story 2",
    ]


def test_a_chosen_story_taken_down_leaves_its_place_to_the_newest(
    client, html, sections
):
    world, _ = sections
    stories_in(world, 2, start=1)
    pinned = ArticleFactory(published=True, section=world, headline="Taken down")
    services.pin_story(user=None, article=pinned, slot=FrontPagePin.Slot.LEAD)
    assert front(client, html)["lead"] == ["Taken down"]
    services.unpublish_article(article=pinned, user=None)
    shown = front(client, html)
    assert shown["lead"] == ["World story 0"]
    assert "Taken down" not in shown["page"].get_text()


def test_unpublished_stories_and_hidden_sections_stay_off(client, html, sections):
    world, _ = sections
    hidden = SectionFactory(name="Archive", slug="archive", in_navigation=False)
    stories_in(world, 6, start=1)
    ArticleFactory(section=world, headline="A draft")
    ArticleFactory(scheduled=True, section=world, headline="Embargoed")
    ArticleFactory(
        published=True,
        section=hidden,
        headline="Filed away",
        published_at=timezone.now() - 30 * HOUR,
    )
    shown = front(client, html)
    text = shown["page"].get_text()
    assert "A draft" not in text and "Embargoed" not in text
    # Not a block of its own; its story is still news, in "Latest".
    assert "Archive" not in shown["sections"]
    assert "Filed away" in shown["latest"]
    # The masthead lists the sections with a story published: not Sport
    # (nothing yet), not News (the default, empty), not Archive (hidden).
    nav = [a.get_text() for a in shown["page"].select(".section-nav a")]
    assert nav == ["World"]
    ArticleFactory(published=True, section=sections[1])
    nav = [a.get_text() for a in front(client, html)["page"].select(".section-nav a")]
    assert nav == ["World", "Sport"]


def test_sections_blocks_link_to_their_pages_and_cards_carry_kickers(
    client, html, sections
):
    world, _ = sections
    stories_in(world, 5, start=1)
    stories_in(world, 1, start=10, name="analysis", label="analysis")
    page = front(client, html)["page"]
    block = page.select_one(".section-block")
    assert block.h2.a["href"] == "/sections/world/"
    # Under its section's name, a card says only its label.
    assert [p.get_text() for p in block.select(".story-card__kicker")] == ["Analysis"]
    assert page.select_one(".front-top .story-card__kicker").get_text() == "World"


def test_cards_say_how_long_ago_for_a_day_then_the_time(client, html, sections):
    world, _ = sections
    now = timezone.now().replace(microsecond=0)
    for minutes, slug in [(0, "now"), (1, "one"), (125, "two-hours"), (1500, "old")]:
        ArticleFactory(
            published=True,
            section=world,
            slug=slug,
            published_at=now - datetime.timedelta(minutes=minutes, seconds=5),
        )
    with time_machine.travel(now, tick=False):
        page = html(client.get("/latest/"))
    times = page.select(".story-card time")
    assert [t.get_text() for t in times[:3]] == [
        "Just now",
        "1 minute ago",
        "2 hours ago",
    ]
    old = times[3]
    assert old.get_text() == old["title"]  # "7 December 2026 11:55pm"
    assert old["datetime"].endswith(("+11:00", "+10:00"))
    assert times[0]["title"] and times[0]["datetime"]


def test_a_cached_page_is_not_kept_past_its_relative_times(client, html, sections):
    world, _ = sections
    now = timezone.now().replace(microsecond=0)
    ArticleFactory(
        published=True, section=world, published_at=now - datetime.timedelta(seconds=30)
    )
    with time_machine.travel(now, tick=False):
        first = client.get("/")
        assert "Just now" in first.content.decode()
        # Expires when the words change (30 s on), not at the next edition.
        assert first["Expires"] == http_date(now.timestamp() + 30)
        assert cache_control(first)["max-age"] == 30
    with time_machine.travel(now + datetime.timedelta(seconds=31), tick=False):
        again = client.get("/", headers={"if-none-match": first["ETag"]})
    assert again.status_code == 200
    assert "1 minute ago" in again.content.decode()
    assert again["ETag"] != first["ETag"]
