"""Stories saved before search existed are found once it is migrated in."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone


def without_search():
    """Search migrated out; the models as they are then."""
    executor = MigrationExecutor(connection)
    executor.migrate([("search", None)])
    graph = executor.loader.graph
    articles = [node for node in graph.leaf_nodes() if node[0] == "articles"]
    return executor.loader.project_state(articles).apps


@pytest.fixture
def back_to_the_latest_afterwards():
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


# As in tests/articles/test_migrations.py: transactional, no serialized rollback.
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("back_to_the_latest_afterwards")
def test_stories_from_before_search_are_indexed_by_the_migration(found):
    apps = without_search()
    Source = apps.get_model("articles", "Source")
    Section = apps.get_model("articles", "Section")
    Article = apps.get_model("articles", "Article")
    source = Source.objects.create(name="Wire", slug="wire")
    section = Section.objects.get_or_create(slug="news", defaults={"name": "News"})[0]
    for slug, status in [("old-story", "published"), ("old-draft", "draft")]:
        Article.objects.create(
            headline=f"Harbour {slug.replace('-', ' ')}",
            slug=slug,
            standfirst="From before.",
            body_html="<p>The <em>ferry</em> timetable &amp; more.</p>",
            source=source,
            section=section,
            status=status,
            published_at=timezone.now() - datetime.timedelta(days=1),
        )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert found("harbour") == ["Harbour old story"]
    assert found("ferry timetable") == ["Harbour old story"]
