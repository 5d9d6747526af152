"""A real feed reader, Debian's newsboat, subscribes to the site's feeds
as served by a live test server and stores every story."""

import shutil
import sqlite3
import subprocess

import pytest

from articles.models import Article
from articles.text import plain_text
from distribution.feeds import story_guid
from tests.factories import ArticleFactory

NEWSBOAT = shutil.which("newsboat")

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        NEWSBOAT is None,
        reason="newsboat is not installed (`make test` installs it: "
        "scripts/install-test-tools)",
    ),
]


def newsboat_items(feed_url, tmp_path):
    """Run newsboat non-interactively: reload `feed_url` into a fresh cache
    and return the stored items, keyed by guid."""
    home = tmp_path / "home"
    home.mkdir()
    urls = tmp_path / "urls"
    urls.write_text(feed_url + "\n")
    config = tmp_path / "config"
    config.write_text("download-timeout 20\nreload-threads 1\n")
    cache = tmp_path / "cache.db"
    result = subprocess.run(
        [NEWSBOAT, "-u", urls, "-c", cache, "-C", config, "-x", "reload"],
        env={"HOME": str(home), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    with sqlite3.connect(cache) as db:
        db.row_factory = sqlite3.Row
        feeds = db.execute("SELECT rssurl, title FROM rss_feed").fetchall()
        rows = db.execute("SELECT * FROM rss_item WHERE feedurl = ?", [feed_url])
        return feeds, {row["guid"]: dict(row) for row in rows}


@pytest.mark.parametrize("path", ["/feeds/rss/", "/feeds/atom/"])
def test_newsboat_ingests_every_published_story(live_server, tmp_path, path):
    stories = [
        ArticleFactory(
            published=True,
            byline=f"Reporter {n}",
            body=f"Paragraph {n} with [a link](/sources/).",
        )
        for n in range(3)
    ]
    stories.append(
        ArticleFactory(
            published=True,
            headline="Fish & chips <cheaper> today",
            body="Prices [fall](/sources/).",
        )
    )
    ArticleFactory(headline="A draft nobody may see")
    ArticleFactory(scheduled=True, headline="An embargoed story")

    feed_url = live_server.url + path
    feeds, items = newsboat_items(feed_url, tmp_path)

    assert [(feed["rssurl"], feed["title"]) for feed in feeds] == [
        (feed_url, "Newsroom: latest news")
    ]
    published = Article.objects.published()
    assert len(items) == published.count() == 4
    for story in stories:
        item = items[story_guid(story)]
        # newsboat takes RSS titles as text: it shows the "&" as typed, and
        # the "<" that the RSS feed escapes for readers that take them as
        # HTML (writers.html_text) as "&lt;". Atom's titles are text.
        expected = story.headline
        if path == "/feeds/rss/":
            expected = expected.replace("<", "&lt;")
        assert item["title"] == expected
        assert item["url"] == story.absolute_url
        assert item["author"] == story.byline
        assert plain_text(item["content"]) == plain_text(story.body_html)
        assert 'href="https://news.example.com/sources/"' in item["content"]


def test_newsboat_gets_the_hero_image_in_the_story(live_server, tmp_path, demo_article):
    _, items = newsboat_items(live_server.url + "/sources/aap/rss/", tmp_path)
    item = items[story_guid(demo_article)]
    assert item["title"] == "Russia urges peace after battle for Aleppo"
    # newsboat keeps only podcast (audio, video) enclosures; the image is
    # also at the top of the content, for readers like it.
    image = "https://news.example.com" + demo_article.image.url
    assert item["content"].startswith(f'<figure><img src="{image}"')
    assert "Vladimir Putin is urging" in item["content"]
