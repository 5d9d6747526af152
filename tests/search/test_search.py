"""What a search finds and in what order, the same on SQLite (FTS5) and on
PostgreSQL (make test's second run): ranking, stemming, phrases,
exclusions, alternatives, filters, and never a story readers may not see."""

import datetime

import pytest
from django.utils import timezone

from articles.models import Section
from desk import services
from tests.factories import ArticleFactory, SourceFactory

pytestmark = pytest.mark.django_db

BODY = "Officials met on Tuesday to discuss the week ahead."


def story(headline="A quiet day", **fields):
    fields = {"standfirst": "Nothing to report.", "body": BODY} | fields
    return ArticleFactory(published=True, headline=headline, **fields)


def test_a_match_in_the_headline_ranks_above_the_standfirst_above_the_body(
    found, search_page
):
    # Made in the opposite order, and the body mentions it most.
    story(body="The ceasefire held. Talk of the ceasefire continued all day.")
    story(standfirst="The ceasefire is holding.")
    story(headline="Ceasefire holds in the north")
    assert found("ceasefire") == [
        "Ceasefire holds in the north",
        "A quiet day",
        "A quiet day",
    ]
    snippets = [
        snippet.get_text()
        for snippet in search_page("ceasefire").select(".search-result__snippet")
    ]
    assert snippets[1] == "The ceasefire is holding."
    assert "Talk of the ceasefire" in snippets[2]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("elections", "The election was called"),
        ("election", "Elections were called"),
        ("running", "She runs the council"),
        ("flooded", "Floods cut the highway"),
    ],
)
def test_english_stemming_finds_other_forms_of_a_word(found, typed, stored):
    story(headline=stored)
    story(headline="Unrelated news")
    assert found(typed) == [stored]


def test_every_word_must_appear(found):
    story(headline="Aleppo ceasefire agreed")
    story(headline="Aleppo residents return")
    assert found("aleppo ceasefire") == ["Aleppo ceasefire agreed"]


def test_a_quoted_phrase_must_appear_in_that_order(found):
    story(headline="Battle for Aleppo ends")
    story(headline="Aleppo: the battle is over")
    assert found('"battle for aleppo"') == ["Battle for Aleppo ends"]
    assert sorted(found("battle aleppo")) == [
        "Aleppo: the battle is over",
        "Battle for Aleppo ends",
    ]


def test_a_minus_leaves_stories_out(found):
    story(headline="Election called in Victoria")
    story(headline="Election called in Tasmania")
    assert found("election -tasmania") == ["Election called in Victoria"]
    assert found('election -"in tasmania"') == ["Election called in Victoria"]


def test_or_finds_either(found):
    story(headline="Flood warning for the coast")
    story(headline="Bushfire warning for the hills")
    story(headline="Cyclone season begins")
    assert sorted(found("flood or bushfire")) == [
        "Bushfire warning for the hills",
        "Flood warning for the coast",
    ]


def test_case_does_not_matter(found):
    story(headline="Parliament sits again")
    assert found("PARLIAMENT") == ["Parliament sits again"]


def test_drafts_and_scheduled_stories_are_never_found(found):
    ArticleFactory(headline="Secret budget draft")
    ArticleFactory(scheduled=True, headline="Secret budget embargoed")
    story(headline="Budget handed down")
    assert found("budget") == ["Budget handed down"]
    assert found("secret") == []


def test_filters_by_section_and_source(found, editor):
    sport = services.save_section(user=editor, name="Sport", slug="sport")
    wire = SourceFactory(slug="wire", name="Wire")
    story(headline="Final result: Swans win", section=sport)
    story(headline="Final result of the inquiry", source=wire)
    story(headline="Final result awaited", section=Section.default())
    assert found("final", section="sport") == ["Final result: Swans win"]
    assert found("final", source="wire") == ["Final result of the inquiry"]
    assert found("final", section="sport", source="wire") == []


def test_filters_by_date_range_in_the_newsrooms_time_zone(found, settings):
    sydney = timezone.get_current_timezone()
    for day, hour in [(1, 9), (2, 0), (3, 23), (4, 10)]:
        story(
            headline=f"Harbour report for day {day}",
            published_at=datetime.datetime(2024, 3, day, hour, tzinfo=sydney),
        )
    assert sorted(found("harbour", **{"from": "2024-03-02", "to": "2024-03-03"})) == [
        "Harbour report for day 2",
        "Harbour report for day 3",
    ]
    assert found("harbour", **{"from": "2024-03-04"}) == ["Harbour report for day 4"]
    assert found("harbour", to="2024-03-01") == ["Harbour report for day 1"]


def test_newest_first_on_request(found):
    now = timezone.now()
    for days, headline in [(3, "Rates rise again"), (1, "Rates on hold"), (2, "Rates")]:
        story(headline=headline, published_at=now - datetime.timedelta(days=days))
    assert found("rates", sort="newest") == [
        "Rates on hold",
        "Rates",
        "Rates rise again",
    ]


def test_of_very_many_matches_the_newest_are_ranked(search_page, found, monkeypatch):
    monkeypatch.setattr("search.selectors.MAX_RESULTS", 3)
    now = timezone.now()
    story(headline="Tide tables", published_at=now - datetime.timedelta(days=9))
    for days in range(1, 5):
        story(
            headline=f"Tide report {days}",
            published_at=now - datetime.timedelta(days=days),
        )
    # The best match, the oldest, is past the newest three.
    assert found("tide") == ["Tide report 1", "Tide report 2", "Tide report 3"]
    count = search_page("tide").select_one(".search-count").get_text()
    assert " ".join(count.split()).startswith(
        "3 or more stories match “tide”: these are the newest 3, best match first."
    )
    assert found("tide", to=(now - datetime.timedelta(days=5)).date().isoformat()) == [
        "Tide tables"
    ]
