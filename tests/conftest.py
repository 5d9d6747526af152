import io
from importlib import import_module
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from tests.browser import browser, page  # noqa: F401  (fixtures)
from tests.factories import ArticleFactory, UserFactory

# The checkout: scripts, node_modules and the deploy files are found from here.
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def isolated_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Hashed static files need `collectstatic`; the suite uses plain ones.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # Staff accounts are made in many tests; real hashing would dominate.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def demo_article(db):
    call_command("load_demo", stdout=io.StringIO())
    from articles.models import Article

    return Article.objects.get(slug="russia-urges-peace-after-battle-for-aleppo")


@pytest.fixture
def published_article(db):
    return ArticleFactory(published=True)


def parse_html(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


@pytest.fixture
def html():
    return parse_html


@pytest.fixture
def roles(db):
    """The Reporter and Editor groups the roles migration made.

    A transactional test's flush wipes them, and serialized_rollback cannot
    put them back under Playwright (its event loop gives Django a fresh
    connection object without the serialized data), so make them again,
    with the migration's own code, when they are missing."""
    if Group.objects.filter(name__in=["Reporter", "Editor"]).count() == 2:
        return
    migration = import_module("articles.migrations.0002_editor_roles")
    state = MigrationLoader(connection).project_state(("articles", "0002_editor_roles"))
    ContentType.objects.clear_cache()
    migration.create_roles(state.apps, None)


@pytest.fixture
def reporter(db, roles):
    return UserFactory(username="rita", first_name="Rita", role="Reporter")


@pytest.fixture
def editor(db, roles):
    return UserFactory(username="ed", first_name="Ed", role="Editor")


@pytest.fixture
def reporter_client(client, reporter):
    client.force_login(reporter)
    return client


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client
