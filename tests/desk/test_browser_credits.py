"""An editor credits a story's authors in the order they choose, and can
change that order, in Chromium: the byline follows the boxes on screen."""

import pytest
from playwright.sync_api import expect

from articles.models import Article
from desk import services
from tests.desk.test_browser_admin import log_in, new_page
from tests.factories import ArticleFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def choose(page, name):
    page.locator(".field-credited_authors .select2-selection").click()
    page.locator(".field-credited_authors .select2-search__field").fill(name[:3])
    page.locator(".select2-results__option", has_text=name).click()


def credited(story):
    return [
        a.name for a in Article.objects.with_credits().get(pk=story.pk).credited_authors
    ]


def test_authors_are_credited_in_the_order_chosen(browser, live_server, roles):
    editor = UserFactory(username="ed", role="Editor")
    for name in ["Jo Chan", "Sam Lee"]:
        services.save_author(
            user=editor, name=name, slug=name.lower().replace(" ", "-")
        )
    story = ArticleFactory(created_by=editor)
    desk = new_page(browser, live_server)
    log_in(desk, editor)
    desk.goto(f"/admin/articles/article/{story.pk}/change/")
    choose(desk, "Sam Lee")
    choose(desk, "Jo Chan")
    desk.get_by_role("button", name="Save and continue editing").click()
    expect(desk.locator(".messagelist")).to_contain_text("was changed successfully")
    assert credited(story) == ["Sam Lee", "Jo Chan"]

    # Sam taken out and chosen again: now credited second.
    chosen = desk.locator(".field-credited_authors .select2-selection__choice")
    expect(chosen).to_have_text(["×Sam Lee", "×Jo Chan"])
    chosen.filter(has_text="Sam Lee").locator(
        ".select2-selection__choice__remove"
    ).click()
    desk.keyboard.press("Escape")
    choose(desk, "Sam Lee")
    desk.get_by_role("button", name="Save and continue editing").click()
    expect(desk.locator(".messagelist")).to_contain_text("was changed successfully")
    assert credited(story) == ["Jo Chan", "Sam Lee"]
    expect(chosen).to_have_text(["×Jo Chan", "×Sam Lee"])
