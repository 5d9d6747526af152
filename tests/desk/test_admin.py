"""The story and source admin as an editor uses it."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from articles.models import Article, Source
from tests.desk.admin_forms import (
    ADD,
    CHANGELIST,
    change_url,
    errors,
    field_names,
    form_data,
    soup,
)
from tests.factories import ArticleFactory, SourceFactory

pytestmark = pytest.mark.django_db

SYDNEY = datetime.timezone(datetime.timedelta(hours=11))
DAY = datetime.timedelta(days=1)


def rows(response):
    """Each changelist row as {column class: text}."""
    table = soup(response).find("table", id="result_list")
    found = []
    for row in table.tbody.find_all("tr"):
        cells = row.find_all(["th", "td"])
        found.append(
            {
                " ".join(c.get("class", [])): " ".join(c.get_text(" ").split())
                for c in cells
            }
        )
    return found


def test_changelist_shows_status_in_words_time_and_who_updated(editor_client, editor):
    with time_machine.travel(datetime.datetime(2016, 12, 24, 9, 44, tzinfo=SYDNEY)):
        ArticleFactory(headline="A draft", updated_by=editor)
        ArticleFactory(headline="Out tomorrow", scheduled=True)
        ArticleFactory(headline="Out now", published=True, body="word " * 500)
        response = editor_client.get(CHANGELIST)
    assert response.status_code == 200
    by_headline = {row["field-headline"]: row for row in rows(response)}
    assert by_headline["A draft"]["field-state"] == "Draft"
    assert by_headline["A draft"]["field-published_time"] == "–"
    assert by_headline["A draft"]["field-last_updated"] == (
        "24 December 2016 9:44am by ed"
    )
    assert by_headline["Out tomorrow"]["field-state"] == "Scheduled"
    assert by_headline["Out tomorrow"]["field-published_time"] == (
        "25 December 2016 9:44am"
    )
    assert by_headline["Out now"]["field-state"] == "Published"
    assert by_headline["Out now"]["field-published_time"] == "24 December 2016 8:44am"
    assert by_headline["Out now"]["field-reading_time"] == "3 min"


def test_changelist_lists_drafts_first_then_newest(editor_client):
    now = timezone.now()
    ArticleFactory(headline="Old", published=True, published_at=now - (7 * DAY))
    ArticleFactory(headline="New", published=True, published_at=now - DAY)
    ArticleFactory(headline="Draft")
    response = editor_client.get(CHANGELIST)
    assert [row["field-headline"] for row in rows(response)] == ["Draft", "New", "Old"]


@pytest.mark.parametrize(
    ("state", "expected"),
    [("draft", ["Draft"]), ("scheduled", ["Later"]), ("published", ["Live"])],
)
def test_changelist_filters_by_status(editor_client, state, expected):
    ArticleFactory(headline="Draft")
    ArticleFactory(headline="Later", scheduled=True)
    ArticleFactory(headline="Live", published=True)
    response = editor_client.get(CHANGELIST, {"state": state})
    assert [row["field-headline"] for row in rows(response)] == expected


def test_changelist_filters_by_source_and_date(editor_client):
    reuters = SourceFactory(name="Reuters", slug="reuters")
    ArticleFactory(headline="Wire", source=reuters, published=True)
    ArticleFactory(
        headline="Ours", published=True, published_at=timezone.now() - 40 * DAY
    )
    response = editor_client.get(CHANGELIST, {"source__id__exact": reuters.pk})
    assert [row["field-headline"] for row in rows(response)] == ["Wire"]
    week_ago = (timezone.localtime() - 7 * DAY).isoformat()
    response = editor_client.get(CHANGELIST, {"published_at__gte": week_ago})
    assert [row["field-headline"] for row in rows(response)] == ["Wire"]


@pytest.mark.parametrize("field", ["headline", "standfirst", "body"])
def test_changelist_search_covers_headline_standfirst_and_body(editor_client, field):
    ArticleFactory(headline="Something else")
    ArticleFactory(**{field: "Kangaroo sighted"})
    response = editor_client.get(CHANGELIST, {"q": "kangaroo"})
    assert len(rows(response)) == 1


def test_changelist_runs_a_fixed_number_of_queries(
    editor_client, django_assert_max_num_queries, editor
):
    ArticleFactory.create_batch(30, published=True, updated_by=editor)
    with django_assert_max_num_queries(12):
        response = editor_client.get(CHANGELIST)
    assert len(rows(response)) == 30


def test_add_form_is_in_the_order_an_editor_thinks(editor_client):
    response = editor_client.get(ADD)
    assert field_names(response) == [
        "headline",
        "slug",
        "standfirst",
        "body",
        "image",
        "image_alt",
        "image_caption",
        "image_credit",
        "section",
        "label",
        "topics",
        "credited_authors",
        "source",
        "byline",
        "status",
        "published_at_0",
        "published_at_1",
    ]
    page = soup(response)
    # Topics and authors are picked with autocomplete too; a new story is in
    # the default section until the editor picks another.
    for name in ["topics", "credited_authors"]:
        assert "admin-autocomplete" in page.find(id=f"id_{name}")["class"]
    chosen = page.find(id="id_section").find("option", selected=True)
    assert chosen.get_text() == "News"
    assert "Markdown" in page.find(id="id_body_helptext").get_text()
    # Source is picked with autocomplete; slug follows the headline.
    assert "admin-autocomplete" in page.find(id="id_source")["class"]
    prepopulated = page.find(id="django-admin-prepopulated-fields-constants")
    assert '"#id_headline"' in prepopulated["data-prepopulated-fields"]
    assert page.find(attrs={"data-live": "word-count"}).get_text() == "0"
    assert page.find("script", src="/static/js/article-admin.js") is not None


def post_new_story(client, source, **overrides):
    data = {
        "headline": "Storm hits the coast",
        "slug": "storm-hits-the-coast",
        "standfirst": "Thousands without power.",
        "body": "The storm arrived overnight.",
        "source": source.pk,
        "byline": "",
        "status": "draft",
        "published_at_0": "",
        "published_at_1": "",
        "image_alt": "",
        "image_caption": "",
        "image_credit": "",
        "opened_version": "",
    } | overrides
    return client.post(ADD, data)


def test_editor_adds_a_story_and_is_recorded_as_its_author(editor_client, editor):
    response = post_new_story(editor_client, SourceFactory())
    assert response.status_code == 302, errors(response)
    story = Article.objects.get(slug="storm-hits-the-coast")
    assert (story.created_by, story.updated_by, story.version) == (editor, editor, 1)
    assert story.word_count == 11
    assert story.history.get().history_user == editor


def test_slug_taken_by_another_story_is_refused_clearly(editor_client):
    ArticleFactory(slug="storm-hits-the-coast")
    response = post_new_story(editor_client, SourceFactory())
    assert response.status_code == 200
    assert errors(response) == [
        "Another story already uses this address. Change the slug, for example "
        "by adding a word or the date."
    ]


def test_change_form_shows_the_saved_counts_and_who_saved(editor_client, editor):
    story = ArticleFactory(body="word " * 300, created_by=editor, updated_by=editor)
    page = soup(editor_client.get(change_url(story)))
    assert page.find(attrs={"data-live": "word-count"}).get_text() == str(
        story.word_count
    )
    assert page.find(attrs={"data-live": "reading-time"}).get_text() == "2"
    assert "Version 1." in page.find(class_="field-record").get_text()


def test_editing_records_who_saved(editor_client, editor):
    story = ArticleFactory()
    response = editor_client.get(change_url(story))
    data = form_data(response) | {"headline": "A better headline"}
    response = editor_client.post(change_url(story), data)
    assert response.status_code == 302, errors(response)
    story.refresh_from_db()
    assert (story.headline, story.updated_by, story.version) == (
        "A better headline",
        editor,
        2,
    )


@pytest.mark.parametrize(
    ("traits", "link", "label"),
    [
        ({"published": True}, "detail", "View on site"),
        ({"scheduled": True}, "preview", "Preview"),
        ({}, "preview", "Preview"),
    ],
)
def test_site_link_is_the_story_once_live_and_the_preview_before(
    editor_client, traits, link, label
):
    story = ArticleFactory(**traits)
    expected = story.get_absolute_url() if link == "detail" else f"/preview/{story.pk}/"
    page = soup(editor_client.get(change_url(story)))
    tool = page.find("a", class_="viewsitelink")
    assert (tool["href"], tool.get_text(strip=True)) == (expected, label)
    listing = soup(editor_client.get(CHANGELIST))
    assert listing.select_one("td.field-site_link a")["href"] == expected


def test_source_admin_counts_stories_and_sorts_by_count(editor_client):
    busy = SourceFactory(name="Busy")
    SourceFactory(name="Quiet")
    ArticleFactory.create_batch(3, source=busy)
    response = editor_client.get("/admin/articles/source/", {"o": "-2"})
    assert [(r["field-name"], r["field-story_count"]) for r in rows(response)] == [
        ("Busy", "3"),
        ("Quiet", "0"),
    ]


def test_deleting_a_source_with_stories_explains_instead_of_failing(editor_client):
    source = ArticleFactory(headline="Keeps its source").source
    url = f"/admin/articles/source/{source.pk}/delete/"
    for response in (editor_client.get(url), editor_client.post(url, {"post": "yes"})):
        assert response.status_code == 200
        text = soup(response).get_text(" ")
        assert "would require deleting the following protected related objects" in text
        assert "Keeps its source" in text
    response = editor_client.post(
        "/admin/articles/source/",
        {"action": "delete_selected", "_selected_action": [source.pk]},
    )
    assert response.status_code == 200
    assert "protected related objects" in soup(response).get_text(" ")
    source.refresh_from_db()


def test_deleting_an_unused_source_works(editor_client):
    source = SourceFactory()
    url = f"/admin/articles/source/{source.pk}/delete/"
    assert editor_client.post(url, {"post": "yes"}).status_code == 302
    assert not type(source).objects.filter(pk=source.pk).exists()


def test_source_autocomplete_finds_sources_by_name(reporter_client):
    SourceFactory(name="Reuters", slug="reuters")
    SourceFactory(name="Associated Press", slug="ap")
    response = reporter_client.get(
        "/admin/autocomplete/",
        {
            "term": "reu",
            "app_label": "articles",
            "model_name": "article",
            "field_name": "source",
        },
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Reuters"]


def test_editor_adds_a_source_with_a_bare_web_address(editor_client):
    form = editor_client.get("/admin/articles/source/add/")
    assert form.status_code == 200
    response = editor_client.post(
        "/admin/articles/source/add/",
        {"name": "Reuters", "slug": "reuters", "url": "reuters.com", "description": ""},
    )
    assert response.status_code == 302
    assert Source.objects.get(slug="reuters").url == "https://reuters.com"
