"""An editor deletes a story, finds it under Deleted stories, restores it and
publishes it again, in a real browser: readers get it back at its address."""

import datetime

import pytest
from playwright.sync_api import expect

from articles.models import Article
from tests.desk.test_browser_admin import log_in, new_page
from tests.factories import ArticleFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADLINE = "Storm cuts power to thousands on the coast"
SYDNEY = datetime.timezone(datetime.timedelta(hours=11))


def reader_gets(browser, live_server, address):
    """What a reader opening `address` now gets (a new browser each time:
    one that had the page would show its copy for a minute)."""
    reader = new_page(browser, live_server)
    response = reader.goto(address)
    heading = reader.locator("h1").inner_text()
    reader.context.close()
    return response.status, heading


def test_an_editor_deletes_restores_and_republishes_a_story(
    browser, live_server, roles
):
    story = ArticleFactory(
        headline=HEADLINE,
        slug="storm-cuts-power",
        published=True,
        published_at=datetime.datetime(2016, 12, 24, 9, 44, tzinfo=SYDNEY),
    )
    address = "/2016/12/24/storm-cuts-power/"
    editor = UserFactory(username="ed", role="Editor")
    assert reader_gets(browser, live_server, address) == (200, HEADLINE)

    desk = new_page(browser, live_server)
    log_in(desk, editor)
    desk.goto("/admin/articles/article/")
    desk.get_by_role("link", name=HEADLINE).click()
    desk.locator(".deletelink").click()
    desk.get_by_role("button", name="Yes, I’m sure").click()
    expect(desk.locator(".messagelist")).to_contain_text("was deleted successfully")
    assert reader_gets(browser, live_server, address)[0] == 404

    desk.get_by_role("link", name="Deleted stories").click()
    row = desk.locator("#deleted-stories tbody tr", has_text=HEADLINE)
    expect(row).to_contain_text("Published 24 December 2016 9:44am")
    row.get_by_role("button", name=f"Restore “{HEADLINE}”").click()
    expect(desk.locator(".messagelist")).to_contain_text("is back, as a draft")
    expect(desk.locator("#id_headline")).to_have_value(HEADLINE)
    # A draft until it is published.
    assert reader_gets(browser, live_server, address)[0] == 404

    desk.locator("#id_status").select_option("published")
    desk.get_by_role("button", name="Save", exact=True).click()
    expect(desk.locator(".messagelist")).to_contain_text("was changed successfully")
    desk.context.close()

    restored = Article.objects.get()
    assert (restored.pk, restored.get_absolute_url()) == (story.pk, address)
    assert reader_gets(browser, live_server, address) == (200, HEADLINE)
