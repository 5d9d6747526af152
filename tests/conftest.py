import io
from importlib import import_module

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from PIL import Image

from tests.browser import browser, page  # noqa: F401  (fixtures)
from tests.factories import ArticleFactory, UserFactory
from tests.servers import ROOT, collected_static  # noqa: F401  (ROOT shared)


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` need the real servers: skip them, saying why,
    in a run on SQLite (`make test` deselects them there and runs them in
    its second run, on PostgreSQL + Redis)."""
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL + Redis (DATABASE_URL, REDIS_URL)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


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
def commit_hooks_run(monkeypatch):
    """Run `on_commit` callbacks when the code's outermost transaction ends,
    as a real commit would.

    A test runs inside a transaction of its own that is rolled back at the
    end, so nothing the code opens is ever the outermost and no callback
    would run: the services' new edition would never reach the cache."""
    original_exit = transaction.Atomic.__exit__

    def exit_and_commit(self, exc_type, exc_value, traceback):
        original_exit(self, exc_type, exc_value, traceback)
        db = transaction.get_connection(self.using)
        if not db.in_atomic_block or db.needs_rollback:
            return
        if all(block._from_testcase for block in db.atomic_blocks):
            callbacks, db.run_on_commit = db.run_on_commit, []
            for _, callback, robust in callbacks:
                try:
                    callback()
                except Exception:
                    if not robust:
                        raise

    monkeypatch.setattr(transaction.Atomic, "__exit__", exit_and_commit)


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


def cache_control(response):
    """The response's Cache-Control as a dict: {"public": True, "max-age": 60}."""
    directives = {}
    for part in response.get("Cache-Control", "").split(","):
        name, _, value = part.strip().partition("=")
        if name:
            directives[name] = int(value) if value.isdigit() else (value or True)
    return directives


# What every reader page says to browsers and to a CDN in front (with the
# default settings), besides its own browser max-age.
SHARED_CACHING = {
    "public": True,
    "s-maxage": 60,
    "stale-while-revalidate": 60,
    "stale-if-error": 86400,
}


def picture(size=(1600, 1200), mode="RGB", colour="navy", fmt="JPEG"):
    """An image file as an editor would upload it."""
    buffer = io.BytesIO()
    Image.new(mode, size, colour).save(buffer, format=fmt)
    return ContentFile(buffer.getvalue(), name=f"photo.{fmt.lower()}")


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
