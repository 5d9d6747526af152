"""The share controls as a reader's browser runs them."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STORY = "/2016/12/24/russia-urges-peace-after-battle-for-aleppo/"
CANONICAL = "https://news.example.com" + STORY


@pytest.fixture
def story_page(page, demo_article):
    page.goto(STORY)
    return page


def test_copy_link_copies_the_canonical_url(story_page):
    story_page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    footer = story_page.locator(".share--footer")
    footer.get_by_role("button", name="Copy link").click()
    expect(footer.get_by_role("status")).to_have_text("Link copied")
    assert story_page.evaluate("navigator.clipboard.readText()") == CANONICAL


def test_share_opens_the_system_share_sheet_where_there_is_one(page, demo_article):
    page.add_init_script(
        "navigator.share = (data) => {"
        " window.shared = data; return Promise.resolve(); };"
    )
    page.goto(STORY)
    page.locator(".share--compact summary").click()
    page.wait_for_function("window.shared !== undefined")
    assert page.evaluate("window.shared") == {
        "title": "Russia urges peace after battle for Aleppo",
        "url": CANONICAL,
    }
    # The sheet replaced the fallback list; it did not open as well.
    assert page.locator(".share--compact").get_attribute("open") is None


def test_without_a_share_sheet_the_control_shows_plain_links(story_page):
    story_page.locator(".share--compact summary").click()
    links = story_page.locator(".share--compact a.share-link")
    assert links.count() == 8
    assert links.first.is_visible()


def test_story_page_requests_nothing_from_third_parties(story_page):
    story_page.wait_for_load_state("networkidle")
    assert story_page.outside_requests == []


def test_share_links_work_without_javascript(browser, live_server, demo_article):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto(STORY)
    page.locator(".share--compact summary").click()
    email = page.locator(".share--compact a.share-link--email")
    assert email.is_visible()
    assert email.get_attribute("href").startswith("mailto:?subject=Russia%20urges")
    # Copying needs the script, so the button stays hidden without it.
    assert not page.get_by_role("button", name="Copy link").first.is_visible()
    context.close()
