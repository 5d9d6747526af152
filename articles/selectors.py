"""Reads that several pages share: the front page's arrangement and the
stories offered at the end of a story. Each starts from `published()`, and
each costs a fixed number of queries whatever the size of the archive."""

from dataclasses import dataclass, field

from django.db.models import Exists, F, OuterRef, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from .models import Article, FrontPagePin, Section

# The front page: the lead and up to four stories in the second tier, then
# each section's latest, then the newest of the rest.
TOP_PLACES = len(FrontPagePin.Slot)
SECTION_STORIES = 4
LATEST_STORIES = 10
# The end of a story: related stories, and more from its source.
RELATED_STORIES = 4
MORE_FROM_SOURCE = 4


def cards():
    """Published stories as cards show them: source and section, no body."""
    return Article.objects.published().with_source().for_cards()


@dataclass
class SectionBlock:
    section: Section
    stories: list


@dataclass
class FrontPage:
    lead: Article | None = None
    second_tier: list = field(default_factory=list)
    sections: list = field(default_factory=list)
    latest: list = field(default_factory=list)
    # Every section in the navigation, those with no block too (the
    # masthead lists them).
    navigation: list = field(default_factory=list)


def front_page(now=None):
    """What the front page shows now. The places editors filled (until their
    end) come first; the newest stories fill the empty ones; each section in
    the navigation then shows its latest stories, and "Latest" the newest of
    the rest. A story shows once. Four queries: the places, the sections,
    the newest stories, and each section's newest."""
    now = now or timezone.now()
    live = Q(front_page_pins__ends_at__isnull=True) | Q(
        front_page_pins__ends_at__gt=now
    )
    pinned = {
        story.place: story
        for story in cards()
        .filter(live, front_page_pins__isnull=False)
        .annotate(place=F("front_page_pins__slot"))
    }
    shown = {story.pk for story in pinned.values()}
    # Enough of the newest to fill every empty place and the "Latest" list
    # after the section blocks have taken theirs.
    sections = list(Section.objects.filter(in_navigation=True))
    wanted = TOP_PLACES + LATEST_STORIES + SECTION_STORIES * len(sections)
    newest = [story for story in cards()[:wanted] if story.pk not in shown]
    top = []
    for place in range(TOP_PLACES):
        story = pinned.get(place) or (newest.pop(0) if newest else None)
        if story is not None:
            top.append(story)
            shown.add(story.pk)
    page = FrontPage(
        lead=top[0] if top else None, second_tier=top[1:], navigation=sections
    )
    for section, stories in _newest_in_each(sections, SECTION_STORIES + TOP_PLACES):
        stories = [story for story in stories if story.pk not in shown]
        if stories:
            page.sections.append(SectionBlock(section, stories[:SECTION_STORIES]))
            shown.update(story.pk for story in stories[:SECTION_STORIES])
    page.latest = [story for story in newest if story.pk not in shown][:LATEST_STORIES]
    return page


def in_navigation(sections, state):
    """The sections of `sections` the masthead lists: those with a story
    published (counted by the edition `state`: no query). An empty section
    (a new one, or News with nothing filed there) waits for its first."""
    return [section for section in sections if state.count(f"section:{section.pk}")]


def _newest_in_each(sections, n):
    """[(section, its `n` newest stories)] in one query: each section's are
    picked on its index (a subquery each), not by ranking the archive."""
    if not sections:
        return []
    newest = [
        Article.objects.published()
        .filter(section=section)
        .order_by("-published_at", "-pk")[:n]
        for section in sections
    ]
    stories = {section.pk: [] for section in sections}
    for story in cards().filter(pk__in=_any_of(*newest)):
        stories[story.section_id].append(story)
    return [(section, stories[section.pk]) for section in sections]


def keep_reading(story):
    """What the end of `story` offers: `related` stories, `more_from_source`
    and the `next_story` in its section, none offered twice. Three queries."""
    next_story = next_in_section(story)
    offered = [next_story] if next_story else []
    related_stories = related(story, leaving_out=offered)
    more = more_from_source(story, leaving_out=offered + related_stories)
    return {
        "related": related_stories,
        "more_from_source": more,
        "next_story": next_story,
    }


def related(story, *, leaving_out=()):
    """Stories sharing a topic with `story`, then other stories from its
    section, newest first within each; never itself nor `leaving_out`. One
    query: the newest few of each kind are picked on their indexes, then
    put in order."""
    exclude = {story.pk, *(s.pk for s in leaving_out)}
    newest_first = ["-published_at", "-pk"]
    wanted = RELATED_STORIES
    same_section = (
        Article.objects.published()
        .filter(section_id=story.section_id)
        .exclude(pk__in=exclude)
        .order_by(*newest_first)
    )
    topics = [topic.pk for topic in story.topics.all()]
    if not topics:
        section = cards().filter(section_id=story.section_id).exclude(pk__in=exclude)
        return list(section[:wanted])
    tagged = Article.topics.through.objects.filter(topic__in=topics).values(
        "article_id"
    )
    sharing = (
        Article.objects.published()
        .filter(pk__in=tagged)
        .exclude(pk__in=exclude)
        .order_by(*newest_first)
    )
    return list(
        cards()
        .filter(pk__in=_any_of(sharing[:wanted], same_section[:wanted]))
        .annotate(shares_a_topic=Exists(tagged.filter(article_id=OuterRef("pk"))))
        .order_by("-shares_a_topic", *newest_first)[:wanted]
    )


def _any_of(*stories):
    """The ids of the stories in any of the querysets `stories` (each
    ordered and cut to a few), for `pk__in`: one subquery that each part
    answers on its own index. Not Q(pk__in=a) | Q(pk__in=b), which
    PostgreSQL answers by testing every story against both; and not
    QuerySet.union(), which SQLite refuses for parts with a LIMIT unless
    each is wrapped in a subquery of its own, as here."""
    parts, params = [], []
    for n, part in enumerate(stories):
        sql, part_params = part.values("pk").query.sql_with_params()
        parts.append(f"SELECT * FROM ({sql}) AS part_{n}")
        params.extend(part_params)
    return RawSQL(" UNION ALL ".join(parts), params)


def more_from_source(story, *, leaving_out=()):
    """The newest stories from `story`'s source, not itself and not those
    in `leaving_out` (already offered). One query."""
    exclude = {story.pk, *(s.pk for s in leaving_out)}
    return list(
        cards()
        .filter(source_id=story.source_id)
        .exclude(pk__in=exclude)[:MORE_FROM_SOURCE]
    )


def next_in_section(story):
    """The next story down `story`'s section page: the one published just
    before it there; for the oldest, the newest. One query at most."""
    section = cards().filter(section_id=story.section_id).exclude(pk=story.pk)
    older = section.filter(
        Q(published_at__lt=story.published_at)
        | Q(published_at=story.published_at, pk__lt=story.pk)
    ).first()
    return older or section.first()
