"""The desk works in Chromium under its Content-Security-Policy: no page an
editor uses reports a violation or a policy error in the console, and the
scripts that must run (the live word count, the source picker) do. Reader
pages raise none either, and Chromium applies their Permissions-Policy."""

import pytest
from playwright.sync_api import expect

from desk import services
from tests.factories import PASSWORD, ArticleFactory, SourceFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every CSP violation, as the page itself sees it.
RECORD_VIOLATIONS = """
window.violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.violations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


@pytest.fixture
def watched(page):
    """The page, with every console message and CSP violation noted."""
    page.console = []
    page.on("console", lambda message: page.console.append(message.text))
    page.add_init_script(RECORD_VIOLATIONS)
    return page


def complaints(page):
    policy_words = ["Content Security Policy", "Permissions-Policy", "Refused to"]
    found = [m for m in page.console if any(w in m for w in policy_words)]
    return found + page.evaluate("window.violations")


def visit(page, url):
    response = page.goto(url)
    assert response.status == 200, url
    page.wait_for_load_state("load")
    assert complaints(page) == [], url


def test_the_desk_runs_under_its_policy(watched, live_server, roles):
    page = watched
    SourceFactory(name="Reuters", slug="reuters")
    editor = UserFactory(username="ed", role="Editor")
    story = ArticleFactory(published=True, headline="Harbour reopens")
    services.update_article(article=story, user=editor, headline="Harbour closes")
    old, new = story.history.order_by("history_id")

    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Username").fill("ed")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    assert complaints(page) == []

    visit(page, "/admin/articles/article/")
    expect(page.locator("#result_list")).to_contain_text("Harbour closes")

    visit(page, "/admin/articles/article/add/")
    # Scripts from the site run: the live word count and select2.
    page.locator("#id_headline").fill("Storm cuts power")
    page.locator("#id_body").fill("Winds brought down lines. " * 10)
    expect(page.locator('[data-live="word-count"]')).to_have_text("43")
    page.locator(".field-source .select2-selection").click()
    page.locator(".select2-dropdown .select2-search__field").fill("reu")
    expect(page.locator(".select2-results__option", has_text="Reuters")).to_be_visible()
    assert complaints(page) == []

    visit(page, f"/admin/articles/article/{story.pk}/change/")
    history = f"/admin/articles/article/{story.pk}/history/"
    visit(page, history)
    visit(page, f"{history}compare/?from={old.history_id}&to={new.history_id}")
    expect(page.locator("body")).to_contain_text("Harbour reopens")
    visit(page, f"{history}{old.history_id}/")


def test_reader_pages_raise_no_policy_errors(watched, live_server):
    story = ArticleFactory(published=True)
    for url in ["/", story.get_absolute_url(), "/no/such/page/"]:
        header = watched.goto(url).headers["permissions-policy"]
        watched.wait_for_load_state("load")
        assert complaints(watched) == [], url
        denied = [part.strip().removesuffix("=()") for part in header.split(",")]
        assert {"camera", "microphone", "geolocation", "payment", "usb"} <= set(denied)
        # Every feature named is one Chromium knows, and refuses.
        known = watched.evaluate("document.featurePolicy.features()")
        allowed = watched.evaluate("document.featurePolicy.allowedFeatures()")
        assert [f for f in denied if f not in known] == [], url
        assert [f for f in denied if f in allowed] == [], url
        # What share.js needs is still there (Chromium on Linux has no
        # web-share at all).
        assert "clipboard-write" in allowed


def test_the_lockout_page_is_the_sites_own(watched, live_server, settings):
    UserFactory(username="ed")
    page = watched
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        page.goto("/admin/login/?next=/admin/")
        page.get_by_label("Username").fill("ed")
        page.get_by_label("Password").fill(f"wrong-{attempt}")
        page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Too many failed logins")
    expect(page.locator("main")).to_contain_text("Try again in 15 minutes")
    # Styled by the site's stylesheet, under the desk's CSP (once loaded:
    # the heading can be there before the stylesheet is).
    page.wait_for_load_state("load")
    assert page.evaluate("document.styleSheets.length") == 1
    header = page.locator(".masthead")
    assert header.evaluate("e => getComputedStyle(e).borderBottomStyle") == "solid"
    assert complaints(page) == []
