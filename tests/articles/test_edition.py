"""The edition: a token for what readers can see, that changes with every
change recorded by the services and at every scheduled story's time."""

import datetime

import pytest
from django.core.cache import cache
from django.db import DatabaseError
from django.utils import timezone

from articles import edition
from articles.models import Article, Edition
from desk import services
from tests.factories import ArticleFactory, AuthorFactory, TopicFactory

pytestmark = pytest.mark.django_db

MINUTE = datetime.timedelta(minutes=1)


def moments(n, start=None):
    start = start or timezone.now()
    return [start + (i + 1) * 10 * MINUTE for i in range(n)]


def test_the_token_moves_at_each_scheduled_time_and_not_between():
    now = timezone.now()
    first, second = moments(2, now)
    upcoming = (
        (first, ("front", "source:1", "section:1")),
        (second, ("front", "source:2", "section:1")),
    )
    snapshot = edition.Snapshot(7, now, now - MINUTE, upcoming, True, {"front": 5})
    before = snapshot.at(now)
    assert before.next_change == first
    assert snapshot.at(first - MINUTE).token == before.token
    at_first = snapshot.at(first)
    assert at_first.token != before.token and at_first.last_modified == first
    assert at_first.next_change == second
    after = snapshot.at(second + MINUTE)
    assert after.token not in {before.token, at_first.token}
    assert after.next_change is None
    # Each story going live joins the count of its listings.
    assert (before.count("front"), at_first.count("front")) == (5, 6)
    assert (after.count("front"), after.count("source:2")) == (7, 1)
    assert after.count("section:1") == 2


def test_a_front_page_place_ending_moves_the_token_and_no_count():
    now = timezone.now()
    (ends,) = moments(1, now)
    snapshot = edition.Snapshot(1, now, now - MINUTE, ((ends, ()),), True, {"front": 2})
    before, after = snapshot.at(now), snapshot.at(ends)
    assert before.next_change == ends
    assert after.token != before.token and after.counts == before.counts


def test_a_place_that_has_ended_keeps_the_token_it_gave_after_a_reload():
    """Loaded afresh after a pinned story's place ended, the edition must
    not go back to the token it had while the story was pinned: pages
    cached then would be served again."""
    story = ArticleFactory(published=True)
    ends = timezone.now() + MINUTE
    services.pin_story(user=None, article=story, slot=0, ends_at=ends)
    pinned = edition.current()
    later = ends + MINUTE
    assert edition.load(later).at(later).token != pinned.token
    assert edition.load(ends - datetime.timedelta(seconds=1)).at(ends).token == (
        edition.load(later).at(later).token
    )


def test_a_snapshot_from_before_sections_is_still_read():
    now = timezone.now()
    (moment,) = moments(1, now)
    value = (3, now, None, [(moment.isoformat(), 4)], True, {"front": 1}, 2)
    state = edition.Snapshot.from_cache(value).at(moment)
    assert (state.count("front"), state.count("source:4")) == (2, 1)


def test_a_snapshot_cut_short_knows_when_it_runs_out():
    now = timezone.now()
    times = moments(3, now)
    upcoming = tuple((moment, ("front", "source:1")) for moment in times)
    snapshot = edition.Snapshot(1, now, None, upcoming, complete=False, counts={})
    assert snapshot.at(times[1]) is not None
    assert snapshot.at(times[2]) is None  # past the last time it knows


def test_reading_the_edition_is_one_query_once_the_services_have_written_it(
    django_assert_num_queries,
):
    ArticleFactory(scheduled=True)
    ArticleFactory(published=True)
    with django_assert_num_queries(1):
        snapshot = edition.load()
    assert len(snapshot.upcoming) == 1 and snapshot.live_since is not None


def test_a_row_without_a_schedule_yet_is_completed_from_the_stories():
    story = ArticleFactory(scheduled=True)
    Edition.objects.filter(pk=1).update(schedule_complete=None, upcoming=[])
    scopes = ("front", f"source:{story.source_id}", f"section:{story.section_id}")
    assert edition.load().upcoming == ((story.published_at, scopes),)


def test_past_the_end_of_a_list_cut_short_the_stories_are_asked(monkeypatch):
    monkeypatch.setattr(edition, "UPCOMING_LIMIT", 2)
    times = moments(3)
    for at in times:
        ArticleFactory(status=Article.Status.PUBLISHED, published_at=at)
    row = Edition.objects.get(pk=1)
    assert (len(row.upcoming), row.schedule_complete) == (2, False)
    later = edition.load(times[1] + MINUTE)
    assert [moment for moment, _ in later.upcoming] == [times[2]]
    assert later.complete


def test_a_change_stores_the_new_edition_for_every_server():
    story = ArticleFactory(published=True)
    before = edition.current().token
    cache.clear()
    services.update_article(article=story, user=None, headline="Changed")
    assert cache.get(edition.CACHE_KEY) is not None  # stored after commit
    assert edition.current().token != before


def test_with_the_database_gone_the_last_known_edition_is_used(monkeypatch):
    ArticleFactory(published=True)
    known = edition.current().token
    cache.delete(edition.CACHE_KEY)  # expired, say

    def refuse(now=None):
        raise DatabaseError("connection refused")

    monkeypatch.setattr(edition, "load", refuse)
    assert edition.current().token == known
    cache.clear()
    with pytest.raises(DatabaseError):
        edition.current()


def test_a_scheduled_story_going_live_changes_nothing_in_the_database():
    story = ArticleFactory(scheduled=True)
    row = Edition.objects.get(pk=1)
    later = story.published_at + MINUTE
    assert edition.current(later).token != edition.current().token
    assert Edition.objects.get(pk=1).number == row.number
    assert Article.objects.published(at=later).get() == story


def test_an_older_edition_stored_last_is_replaced_by_the_newer(monkeypatch):
    """Two writers commit close together; the first loaded its snapshot
    before the second committed, but stores it after the second stored
    its own. The first sees the newer revision and stores again."""
    story = ArticleFactory(published=True)
    older = edition.load()
    services.update_article(article=story, user=None, headline="Second change")
    newer = edition.load()
    assert newer.revision > older.revision
    loads = iter([older])
    real_load = edition.load
    monkeypatch.setattr(edition, "load", lambda: next(loads, None) or real_load())
    edition.refresh()
    stored = edition.Snapshot.from_cache(cache.get(edition.CACHE_KEY))
    assert stored.revision == newer.revision
    assert edition.current().token == newer.at(timezone.now()).token


def test_every_change_moves_the_revision_even_a_schedule():
    story = ArticleFactory(published=False)
    before = Edition.objects.get(pk=1)
    services.publish_article(
        article=story, user=None, at=timezone.now() + datetime.timedelta(days=1)
    )
    after = Edition.objects.get(pk=1)
    assert after.revision > before.revision and after.number == before.number


def test_authors_and_topics_are_counted_and_join_at_their_stories_time():
    jane, syria = AuthorFactory(), TopicFactory()
    ArticleFactory.create_batch(2, published=True, authors=[jane], topics=[syria])
    ArticleFactory(authors=[jane], topics=[syria])  # a draft counts nowhere
    soon = timezone.now() + 10 * MINUTE
    ArticleFactory(
        status=Article.Status.PUBLISHED,
        published_at=soon,
        authors=[jane],
        topics=[syria],
    )
    now = edition.current()
    assert (now.count(f"author:{jane.pk}"), now.count(f"topic:{syria.pk}")) == (2, 2)
    later = edition.current(soon + MINUTE)
    assert (later.count(f"author:{jane.pk}"), later.count(f"topic:{syria.pk}")) == (
        3,
        3,
    )
