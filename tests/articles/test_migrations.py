"""Migrating a database that already holds stories: slugs nobody can route
are repaired before the database starts refusing them, and earlier slugs in
the edit history become redirects."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("articles", "0004_source_updated_at")]
AFTER = [("articles", "0006_routable_slugs")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def back_to_the_latest_afterwards():
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


# As in test_roles: a transactional test, without serialized rollback.
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("back_to_the_latest_afterwards")
def test_dotted_slugs_are_repaired_and_old_slugs_become_redirects():
    apps = migrate(BEFORE)
    Source = apps.get_model("articles", "Source")
    Article = apps.get_model("articles", "Article")
    HistoricalArticle = apps.get_model("articles", "HistoricalArticle")
    source = Source.objects.create(name="Wire", slug="wire.service")
    went_out = timezone.now() - datetime.timedelta(days=1)

    def story(slug, **fields):
        row = Article.objects.create(
            headline=slug,
            slug=slug,
            standfirst="x",
            source=source,
            status="published",
            published_at=went_out,
            **fields,
        )
        HistoricalArticle.objects.create(
            id=row.pk,
            headline=row.headline,
            slug=slug,
            standfirst="x",
            source_id=source.pk,
            status="published",
            published_at=went_out,
            created_at=row.created_at,
            updated_at=row.updated_at,
            version=1,
            history_date=went_out,
            history_type="+",
        )
        return row

    dotted = story("budget.2024")
    taken = story("budget-2024")
    renamed = story("old-name")
    Article.objects.filter(pk=renamed.pk).update(slug="new-name")

    apps = migrate(AFTER)
    Article = apps.get_model("articles", "Article")
    slugs = dict(Article.objects.values_list("pk", "slug"))
    assert slugs[dotted.pk] == "budget-2024-2"  # unique beside the one taken
    assert slugs[taken.pk] == "budget-2024"
    assert apps.get_model("articles", "Source").objects.get().slug == "wire-service"
    redirects = apps.get_model("articles", "SlugRedirect").objects
    assert list(redirects.values_list("slug", "article_id")) == [
        ("old-name", renamed.pk)
    ]
    assert apps.get_model("articles", "Edition").objects.get().number == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("back_to_the_latest_afterwards")
def test_the_schedule_and_counts_are_worked_out_by_the_migration():
    apps = migrate([("articles", "0008_edition_schedule")])
    Source = apps.get_model("articles", "Source")
    Article = apps.get_model("articles", "Article")
    Edition = apps.get_model("articles", "Edition")
    Edition.objects.update_or_create(pk=1, defaults={"number": 3})
    source = Source.objects.create(name="Wire", slug="wire")
    now = timezone.now()
    day = datetime.timedelta(days=1)
    for n, at in enumerate([now - day, now - 2 * day, now + day]):
        Article.objects.create(
            headline=f"Story {n}",
            slug=f"story-{n}",
            standfirst="x",
            source=source,
            status="published",
            published_at=at,
        )
    apps = migrate([("articles", "0009_edition_revision_and_schedule")])
    row = apps.get_model("articles", "Edition").objects.get(pk=1)
    assert row.schedule_complete is True
    assert row.live_counts == {"front": 2, f"source:{source.pk}": 2}
    assert [source_id for _, source_id in row.upcoming] == [source.pk]
    assert row.live_since == now - day


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("back_to_the_latest_afterwards")
def test_working_titles_made_into_redirects_by_0005_are_forgotten():
    apps = migrate([("articles", "0009_edition_revision_and_schedule")])
    Source = apps.get_model("articles", "Source")
    Article = apps.get_model("articles", "Article")
    HistoricalArticle = apps.get_model("articles", "HistoricalArticle")
    SlugRedirect = apps.get_model("articles", "SlugRedirect")
    source = Source.objects.create(name="Wire", slug="wire")
    day = datetime.timedelta(days=1)
    start = timezone.now() - 10 * day

    def story_with_versions(versions):
        """versions: (slug, status, published_at) a day apart."""
        slug, status, published_at = versions[-1]
        row = Article.objects.create(
            headline=slug,
            slug=slug,
            standfirst="x",
            source=source,
            status=status,
            published_at=published_at,
        )
        for n, (slug, status, published_at) in enumerate(versions):
            HistoricalArticle.objects.create(
                id=row.pk,
                headline=slug,
                slug=slug,
                standfirst="x",
                source_id=source.pk,
                status=status,
                published_at=published_at,
                created_at=row.created_at,
                updated_at=row.updated_at,
                version=n + 1,
                history_date=start + n * day,
                history_type="+" if n == 0 else "~",
            )
        return row

    drafted = story_with_versions(
        [("ceo-fired", "draft", None), ("ceo-leaves", "published", start + day)]
    )
    renamed = story_with_versions(
        [("live-one", "published", start), ("live-two", "published", start)]
    )
    embargoed = story_with_versions(
        [
            ("embargo", "published", start + 5 * day),  # renamed before its time
            ("after-embargo", "published", start + 5 * day),
        ]
    )
    for slug, story in [
        ("ceo-fired", drafted),
        ("live-one", renamed),
        ("embargo", embargoed),
    ]:
        SlugRedirect.objects.create(slug=slug, article=story)
    apps = migrate([("articles", "0010_live_addresses")])
    kept = apps.get_model("articles", "SlugRedirect").objects
    assert set(kept.values_list("slug", flat=True)) == {"live-one"}
    went_live = apps.get_model("articles", "Article").objects.filter(
        address_went_live=True
    )
    assert set(went_live.values_list("slug", flat=True)) == {
        "ceo-leaves",
        "live-two",
        "after-embargo",
    }


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("back_to_the_latest_afterwards")
def test_a_source_website_that_is_no_web_address_is_cleared_by_0010():
    apps = migrate([("articles", "0009_edition_revision_and_schedule")])
    Source = apps.get_model("articles", "Source")
    Source.objects.create(name="Bad", slug="bad", url="javascript:alert(1)")
    Source.objects.create(name="Good", slug="good", url="https://good.example/")
    apps = migrate([("articles", "0010_live_addresses")])
    kept = apps.get_model("articles", "Source").objects
    assert dict(kept.values_list("slug", "url")) == {
        "bad": "",
        "good": "https://good.example/",
    }


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("back_to_the_latest_afterwards")
def test_stories_from_before_sections_go_in_news_with_their_history():
    apps = migrate([("articles", "0011_story_names")])
    Source = apps.get_model("articles", "Source")
    Article = apps.get_model("articles", "Article")
    HistoricalArticle = apps.get_model("articles", "HistoricalArticle")
    source = Source.objects.create(name="AAP", slug="aap")
    story = Article.objects.create(
        headline="Old", slug="old", standfirst="S.", source=source
    )
    HistoricalArticle.objects.create(
        id=story.pk,
        headline="Old",
        slug="old",
        standfirst="S.",
        source_id=source.pk,
        history_date=timezone.now(),
        history_type="+",
        created_at=timezone.now(),
        updated_at=timezone.now(),
    )
    apps = migrate([("articles", "0013_every_story_in_a_section")])
    Section = apps.get_model("articles", "Section")
    news = Section.objects.get(slug="news")
    assert news.name == "News"
    assert apps.get_model("articles", "Article").objects.get().section_id == news.pk
    versions = apps.get_model("articles", "HistoricalArticle").objects
    assert list(versions.values_list("section_id", flat=True)) == [news.pk]
