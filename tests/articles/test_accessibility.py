"""The reader's pages pass axe-core's WCAG 2.1 A/AA and best-practice rules,
as Chromium renders them: desktop and phone widths, light and dark schemes."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tests.conftest import ROOT
from tests.factories import ArticleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = ROOT / "node_modules/axe-core/axe.min.js"
RULE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
STORY = "/2016/12/24/russia-urges-peace-after-battle-for-aleppo/"
PAGES = {
    "front": "/",
    "story": STORY,
    "source": "/sources/aap/",
    "not-found": "/no/such/page/",
    "search": "/search/?q=story+number&sort=newest",
    "search-empty": "/search/",
    "search-invalid": "/search/?q=story&from=2024-02-30",
}
VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "mobile": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 3,
        "is_mobile": True,
        "has_touch": True,
    },
}


@pytest.fixture
def stories(demo_article):
    # More than a page of them, so that pagination is on the page too.
    ArticleFactory.create_batch(24, published=True, source=demo_article.source)


@pytest.fixture(params=VIEWPORTS)
def viewport_page(request, browser, live_server):
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: `make test` installs it (npm ci).")
    # The pages' Content-Security-Policy forbids inline scripts, which is how
    # Playwright injects axe; the test bypasses it, readers never can.
    context = browser.new_context(
        base_url=live_server.url, bypass_csp=True, **VIEWPORTS[request.param]
    )
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def violations(page):
    page.add_script_tag(path=AXE)
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        RULE_TAGS,
    )
    # An empty result must mean "checked and fine", not "nothing ran".
    assert results["passes"], "axe ran no rules"
    return [
        {
            "rule": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "where": [
                {"target": node["target"], "why": node["failureSummary"]}
                for node in violation["nodes"][:5]
            ],
        }
        for violation in results["violations"]
    ]


@pytest.mark.parametrize("name", PAGES)
def test_page_has_no_accessibility_violations(viewport_page, stories, name):
    page = viewport_page
    found = {}
    for scheme in ["light", "dark"]:
        page.emulate_media(color_scheme=scheme)
        page.goto(PAGES[name])
        # The first Tab shows the skip link, which is then checked too.
        page.keyboard.press("Tab")
        if name == "story":
            # Check the share links in the header's disclosure as well.
            page.locator(".share--compact summary").click()
        found[scheme] = violations(page)
    assert found == {"light": [], "dark": []}, json.dumps(found, indent=2)


def test_draft_preview_has_no_accessibility_violations(viewport_page, live_server):
    editor = Client()
    editor.force_login(get_user_model().objects.create_superuser("editor"))
    viewport_page.context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": editor.cookies["sessionid"].value,
                "url": live_server.url,
            }
        ]
    )
    draft = ArticleFactory(headline="A draft under review")
    found = {}
    for scheme in ["light", "dark"]:
        viewport_page.emulate_media(color_scheme=scheme)
        viewport_page.goto(f"/preview/{draft.pk}/")
        assert viewport_page.locator(".preview-banner").is_visible()
        found[scheme] = violations(viewport_page)
    assert found == {"light": [], "dark": []}, json.dumps(found, indent=2)
