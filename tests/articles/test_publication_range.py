"""Publication times outside 1900 to 2200 are refused, and a row stored with
one before (or by a write outside the services) breaks no page."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from articles.models import Article
from desk import services
from tests.desk.admin_forms import change_url, errors, form_data
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
OUT_OF_RANGE = "Give a publication time between the years 1900 and 2200."


@pytest.mark.parametrize(
    "at",
    [
        datetime.datetime(1, 1, 1, 12, tzinfo=UTC),
        datetime.datetime(1899, 12, 31, 12, tzinfo=UTC),
        datetime.datetime(2201, 1, 1, 12, tzinfo=UTC),
        datetime.datetime(9999, 12, 31, 12, tzinfo=UTC),
    ],
)
def test_the_services_refuse_a_time_out_of_range(at):
    story = ArticleFactory(published=True)
    with pytest.raises(ValidationError) as refused:
        services.update_article(article=story, user=None, published_at=at)
    assert refused.value.message_dict["published_at"] == [OUT_OF_RANGE]
    with pytest.raises(ValidationError):
        ArticleFactory(published=True, published_at=at)


@pytest.mark.parametrize(
    "at",
    [
        datetime.datetime(1900, 1, 1, 12, tzinfo=UTC),
        datetime.datetime(2200, 12, 31, 12, tzinfo=UTC),
    ],
)
def test_the_range_includes_both_ends(at):
    story = ArticleFactory(published=True)
    services.update_article(article=story, user=None, published_at=at)
    assert Article.objects.get(pk=story.pk).published_at == at


@pytest.mark.parametrize(
    ("day", "time"),
    [("0001-01-01", "00:00:00"), ("9999-12-31", "23:59:59"), ("1066-10-14", "9:00")],
)
def test_the_form_refuses_it_with_the_text_kept(editor_client, day, time):
    story = ArticleFactory(published=True)
    data = form_data(editor_client.get(change_url(story)))
    data |= {"published_at_0": day, "published_at_1": time, "body": "Kept words."}
    response = editor_client.post(change_url(story), data)
    assert response.status_code == 200
    assert OUT_OF_RANGE in errors(response)
    assert form_data(response)["body"] == "Kept words."
    assert Article.objects.get(pk=story.pk).published_at == story.published_at


@pytest.mark.parametrize(
    "stored",
    [
        datetime.datetime(1, 1, 1, 0, 0, tzinfo=UTC),
        datetime.datetime(1, 1, 1, 20, 0, tzinfo=UTC),
        datetime.datetime(9999, 12, 31, 23, 59, tzinfo=UTC),
    ],
)
@pytest.mark.parametrize("zone", ["Australia/Sydney", "America/Los_Angeles"])
def test_a_stored_time_out_of_range_breaks_no_page(
    settings, admin_client, client, reporter, stored, zone
):
    settings.TIME_ZONE = zone
    story = ArticleFactory(published=True)
    neighbour = ArticleFactory(published=True)
    # As a write outside the services (or before this rule) left it.
    Article.objects.filter(pk=story.pk).update(published_at=stored)
    story.refresh_from_db()
    reader_pages = [
        "/",
        story.get_absolute_url(),
        neighbour.get_absolute_url(),
        f"/sources/{story.source.slug}/",
        "/feeds/rss/",
        "/feeds/atom/",
        "/feeds/json/",
        "/sitemap.xml",
        "/sitemap-stories.xml",
        "/sitemap-news.xml",
    ]
    admin_pages = [
        "/admin/articles/article/",
        f"/admin/articles/article/?published_at__year={stored.year}",
        change_url(story),
        f"/admin/articles/article/{story.pk}/history/",
        f"/preview/{story.pk}/",
    ]
    client.raise_request_exception = admin_client.raise_request_exception = False
    for url in reader_pages:
        assert client.get(url).status_code in {200, 301, 404}, url
    for url in admin_pages:
        assert admin_client.get(url).status_code in {200, 302}, url
    # A reporter sees it read-only: the time shown as text, not in boxes.
    client.force_login(reporter)
    assert client.get(change_url(story)).status_code == 200
    # The editor can open it and is told what to fix.
    data = form_data(admin_client.get(change_url(story)))
    response = admin_client.post(change_url(story), data)
    assert OUT_OF_RANGE in errors(response)
