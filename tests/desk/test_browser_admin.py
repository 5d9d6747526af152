"""The editors' desk in a real browser: a reporter drafts, an editor
previews and publishes, readers see the story."""

import pytest
from playwright.sync_api import expect

from articles import text
from articles.models import Article
from tests.factories import PASSWORD, SourceFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADLINE = "Storm cuts power to thousands on the coast"


def new_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    return context.new_page()


def log_in(page, user):
    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def test_reporter_drafts_editor_previews_and_publishes(browser, live_server, roles):
    SourceFactory(name="Reuters", slug="reuters")
    SourceFactory(name="Associated Press", slug="ap")
    reporter = UserFactory(username="rita", role="Reporter")
    editor = UserFactory(username="ed", role="Editor")

    # The reporter drafts the story.
    desk = new_page(browser, live_server)
    log_in(desk, reporter)
    desk.goto("/admin/articles/article/add/")
    assert desk.locator("select#id_status").count() == 0
    # Typed key by key: the admin's slug script listens for key presses.
    desk.locator("#id_headline").press_sequentially(HEADLINE)
    expect(desk.locator("#id_slug")).to_have_value(
        "storm-cuts-power-to-thousands-on-the-coast"
    )
    standfirst = "Crews expect to restore supply by Friday."
    body = "Winds of 120 km/h brought down [lines](https://example.com/x). " * 40
    desk.locator("#id_standfirst").fill(standfirst)
    desk.locator("#id_body").fill(body)
    words = text.count_words(
        HEADLINE, standfirst, body.replace("(https://example.com/x)", "")
    )
    assert words == 335
    expect(desk.locator('[data-live="word-count"]')).to_have_text("335")
    expect(desk.locator('[data-live="reading-time"]')).to_have_text("2")
    desk.locator(".field-source .select2-selection").click()
    desk.locator(".select2-dropdown .select2-search__field").fill("reu")
    desk.locator(".select2-results__option", has_text="Reuters").click()
    desk.get_by_role("button", name="Save", exact=True).click()
    expect(desk.locator(".messagelist")).to_contain_text("was added successfully")
    expect(desk.locator("#result_list")).to_contain_text("Draft")
    desk.context.close()

    # The editor previews it, then publishes it.
    desk = new_page(browser, live_server)
    log_in(desk, editor)
    desk.goto("/admin/articles/article/")
    desk.get_by_role("link", name=HEADLINE).click()
    with desk.context.expect_page() as opened:
        desk.get_by_role("link", name="Preview").click()
    preview = opened.value
    expect(preview.locator(".preview-banner")).to_contain_text(
        "Preview: not published."
    )
    expect(preview.locator("h1")).to_have_text(HEADLINE)
    preview.close()
    desk.locator("#id_status").select_option("published")
    desk.get_by_role("button", name="Save", exact=True).click()
    expect(desk.locator(".messagelist")).to_contain_text("was changed successfully")
    expect(desk.locator("#result_list")).to_contain_text("Published")
    desk.context.close()

    story = Article.objects.get()
    assert (story.word_count, story.created_by, story.updated_by) == (
        335,
        reporter,
        editor,
    )

    # Readers see it on the front page.
    reader = new_page(browser, live_server)
    reader.goto("/")
    expect(reader.get_by_role("link", name=HEADLINE)).to_be_visible()
    reader.context.close()


SAMPLES = [
    ("A headline", "A standfirst.", "Plain words only."),
    (
        "Don’t panic",
        "U.S. officials' self-made plan",
        "See [the report](https://x.org/a-b).",
    ),
    ("Café au lait", "日本語 text", "# Title\n\n- one\n- two\n\n> quote *here*"),
    ("", "", "<b>bold</b> and <script>x()</script> [ref][1]\n\n[1]: https://a.b/c"),
    ("", "", "a<b and c>d, x < 3, <nothing> and <https://x.org/a-b>"),
]


def test_live_word_count_agrees_with_the_server(page, editor):
    log_in(page, editor)
    page.goto("/admin/articles/article/add/")
    for headline, standfirst, body in SAMPLES:
        server = text.count_words(
            headline, standfirst, text.plain_text(text.render_markdown(body))
        )
        browser_count = page.evaluate(
            "([h, s, b]) => window.newsroomWordCount(h, s, b)",
            [headline, standfirst, body],
        )
        assert browser_count == server, (headline, standfirst, body)
