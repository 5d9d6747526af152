"""Staff preview drafts and scheduled stories; readers learn nothing."""

import pytest

from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


def preview(story):
    return f"/preview/{story.pk}/"


@pytest.mark.parametrize(
    ("traits", "banner"),
    [
        ({}, "Preview: not published. This story is a draft; readers cannot see it."),
        ({"scheduled": True}, "Preview: not published. Scheduled for"),
    ],
    ids=["draft", "scheduled"],
)
def test_staff_preview_unpublished_stories_with_a_banner(
    reporter_client, html, traits, banner
):
    story = ArticleFactory(headline="Embargoed budget details", **traits)
    response = reporter_client.get(preview(story))
    assert response.status_code == 200
    page = html(response)
    assert page.h1.get_text(strip=True) == "Embargoed budget details"
    shown = " ".join(page.select_one(".preview-banner").get_text(" ").split())
    assert shown.startswith(banner)
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex, nofollow"
    cache_control = {v.strip() for v in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control
    assert response["X-Robots-Tag"] == "noindex, nofollow"


@pytest.mark.parametrize(
    "traits", [{}, {"scheduled": True}], ids=["draft", "scheduled"]
)
def test_readers_and_staff_without_permission_get_404(client, traits):
    story = ArticleFactory(**traits)
    assert client.get(preview(story)).status_code == 404
    client.force_login(UserFactory(is_staff=False))
    assert client.get(preview(story)).status_code == 404
    assert client.get(story.get_absolute_url()).status_code == 404


def test_preview_of_a_live_story_has_no_banner(editor_client, html):
    story = ArticleFactory(published=True)
    page = html(editor_client.get(preview(story)))
    assert page.select_one(".preview-banner") is None
