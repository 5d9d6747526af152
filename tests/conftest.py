import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.core.management import call_command

from tests.browser import browser, page  # noqa: F401  (fixtures)
from tests.factories import ArticleFactory, UserFactory


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
    call_command("load_demo", stdout=open("/dev/null", "w"))
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
def reporter(db):
    return UserFactory(username="rita", first_name="Rita", role="Reporter")


@pytest.fixture
def editor(db):
    return UserFactory(username="ed", first_name="Ed", role="Editor")


@pytest.fixture
def reporter_client(client, reporter):
    client.force_login(reporter)
    return client


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client
