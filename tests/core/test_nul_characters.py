"""A NUL character (%00) in the address or a form is refused with a 400 page
before it reaches the database: PostgreSQL cannot store or compare one, and
no editor types one."""

import pytest

from articles.models import Article
from tests.desk.admin_forms import change_url, form_data
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

REFUSED = "contains a NUL character"


def refused(response):
    page = response.content.decode()
    return response.status_code == 400 and REFUSED in page and "Traceback" not in page


@pytest.fixture
def story():
    return ArticleFactory(published=True)


@pytest.mark.parametrize(
    "url",
    [
        "/?page=%00",
        "/?utm_source=%00",
        "/?%00=1",
        "/feeds/rss/?x=a%00b",
        "/sitemap-stories.xml?p=%00",
        "/no%00where/",
    ],
)
def test_reader_addresses_with_a_nul_are_refused(client, story, url):
    client.get("/")  # a warm page is refused too
    assert refused(client.get(url))


def test_a_story_address_with_a_nul_is_refused(client, story):
    assert refused(client.get(f"{story.get_absolute_url()}?ref=%00"))
    assert refused(client.get(f"/sources/{story.source.slug}/?page=1%00"))


@pytest.mark.parametrize(
    "url",
    [
        "/admin/autocomplete/?term=%00&app_label=articles&model_name=article"
        "&field_name=source",
        "/admin/articles/article/?source=%00",
        "/admin/articles/article/?q=%00",
        "/admin/articles/article/?source__id__exact=%00",
        "/admin/articles/source/?q=a%00",
    ],
)
def test_admin_addresses_with_a_nul_are_refused(editor_client, url):
    assert refused(editor_client.get(url))


def test_a_form_field_with_a_nul_is_refused_and_nothing_saved(editor_client, story):
    data = form_data(editor_client.get(change_url(story)))
    response = editor_client.post(change_url(story), data | {"headline": "Bad\x00"})
    assert refused(response)
    assert Article.objects.get(pk=story.pk).headline == story.headline


def test_the_login_form_with_a_nul_is_refused(client):
    response = client.post("/admin/login/", {"username": "ed\x00", "password": "x"})
    assert refused(response)


def test_ordinary_requests_pass(client, editor_client, story):
    assert client.get("/?utm_source=news%20letter").status_code == 200
    data = form_data(editor_client.get(change_url(story)))
    assert editor_client.post(change_url(story), data).status_code == 302
