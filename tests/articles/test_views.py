import datetime

import factory
import pytest
from django.utils import timezone

from desk import services
from tests.factories import ArticleFactory, SourceFactory

pytestmark = pytest.mark.django_db


def headlines(page):
    return [a.get_text() for a in page.select(".story-card__headline a")]


def test_front_page_lists_published_stories_newest_first(client, html):
    now = timezone.now()
    older = ArticleFactory(
        published=True, published_at=now - datetime.timedelta(days=2)
    )
    newer = ArticleFactory(
        published=True, published_at=now - datetime.timedelta(hours=1)
    )
    page = html(client.get("/"))
    assert headlines(page) == [newer.headline, older.headline]


def test_a_card_shows_everything(client, demo_article, html):
    card = html(client.get("/latest/")).select_one(".story-card")
    assert card.select_one(".story-card__kicker").get_text() == "World"
    assert card.h2.a["href"] == demo_article.get_absolute_url()
    assert (
        card.select_one(".story-card__standfirst").get_text() == demo_article.standfirst
    )
    assert card.img["src"] == demo_article.thumbnail.url
    assert (card.img["width"], card.img["height"]) == ("480", "270")
    meta = " ".join(card.select_one(".story-meta").get_text().split())
    assert meta == "AAP 24 December 2016 9:44am 2 min read"


def test_unpublished_stories_leak_nowhere(client, html):
    source = SourceFactory()
    draft = ArticleFactory(source=source, headline="Secret draft")
    scheduled = ArticleFactory(
        source=source,
        headline="Embargoed story",
        status="published",
        published_at=timezone.now() + datetime.timedelta(hours=3),
    )
    visible = ArticleFactory(source=source, published=True)
    for url in ["/", source.get_absolute_url()]:
        response = client.get(url)
        assert headlines(html(response)) == [visible.headline]
        assert b"Secret draft" not in response.content
        assert b"Embargoed story" not in response.content
    assert client.get(scheduled.get_absolute_url()).status_code == 404
    draft = services.update_article(
        article=draft,
        user=None,
        published_at=timezone.now() - datetime.timedelta(days=1),
    )
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(f"/preview/{draft.pk}/").status_code == 404


def test_latest_paginates_twenty_a_page(client, html):
    now = timezone.now()
    stories = [
        ArticleFactory(published=True, published_at=now - datetime.timedelta(minutes=i))
        for i in range(1, 46)
    ]
    first = html(client.get("/latest/"))
    assert headlines(first) == [s.headline for s in stories[:20]]
    assert first.find("a", rel="next")["href"] == "?page=2"
    third = html(client.get("/latest/?page=3"))
    assert headlines(third) == [s.headline for s in stories[40:]]
    assert third.find("a", rel="next") is None
    assert third.find("a", rel="prev")["href"] == "?page=2"


# ?page=%00 is a 400, as any NUL is (tests/core/test_nul_characters.py).
@pytest.mark.parametrize(
    "page", ["0", "-1", "abc", "2", "99999999999999999999999", "1.5", "1e3"]
)
def test_bad_page_numbers_are_404(client, page):
    ArticleFactory(published=True)
    assert client.get(f"/latest/?page={page}").status_code == 404


def test_the_front_pages_old_page_numbers_lead_to_latest(client):
    ArticleFactory.create_batch(21, published=True)
    response = client.get("/?page=2")
    assert response.status_code == 301
    assert response["Location"] == "/latest/?page=2"
    assert client.get("/?page=abc").status_code == 404


def test_empty_site_front_page_is_not_an_error(client, html):
    response = client.get("/")
    assert response.status_code == 200
    assert html(response).select_one("main .empty").get_text() == (
        "No stories have been published yet."
    )
    latest = html(client.get("/latest/")).select_one("main .empty")
    assert latest.get_text() == "No stories have been published here yet."


def test_source_page_lists_only_that_sources_stories(client, html):
    aap, sbs = (
        SourceFactory(name="AAP", slug="aap"),
        SourceFactory(name="SBS", slug="sbs"),
    )
    mine = ArticleFactory(source=aap, published=True)
    ArticleFactory(source=sbs, published=True)
    page = html(client.get("/sources/aap/"))
    assert page.h1.get_text() == "AAP"
    assert headlines(page) == [mine.headline]
    assert client.get("/sources/aap/?page=2").status_code == 404
    assert client.get("/sources/nobody/").status_code == 404


def test_story_at_a_stale_date_redirects_to_its_canonical_url(
    client, published_article
):
    response = client.get(f"/1999/01/01/{published_article.slug}/")
    assert response.status_code == 301
    assert response["Location"] == published_article.get_absolute_url()


def test_malformed_story_urls_are_404(client, published_article):
    slug = published_article.slug
    # The real slug, so only the malformed date can make these 404.
    assert client.get(f"/2016/12/24/{slug}/").status_code == 301
    for url in [
        f"/2016/1/24/{slug}/",
        f"/16/12/24/{slug}/",
        f"/2016/12/024/{slug}/",
        f"/2016/12/24/{slug} x/",
        "/2016/12/24/",
    ]:
        assert client.get(url).status_code == 404, url


def test_pages_run_a_fixed_number_of_queries(client, django_assert_num_queries):
    for _ in range(25):
        ArticleFactory(published=True)
    # The front page's places, sections, newest stories and each section's
    # newest; the footer's pages. (The edition is in the cache.)
    with django_assert_num_queries(5):
        client.get("/")
    # The page of stories, the masthead's sections and the footer's pages.
    with django_assert_num_queries(3):
        client.get("/latest/")
    story = ArticleFactory(published=True)
    # The story, its authors and topics; the next story in its section (the
    # one before it here: for the oldest, a second query for the newest),
    # related stories, more from its source; the masthead and footer.
    with django_assert_num_queries(8):
        client.get(story.get_absolute_url())


def test_only_cards_below_the_fold_load_their_images_lazily(client, html):
    ArticleFactory.create_batch(
        5,
        published=True,
        image=factory.django.ImageField(width=1200, height=675),
        image_alt="A photo",
    )
    images = html(client.get("/latest/")).select(".story-card img")
    assert [img.get("loading") for img in images] == [None, None, None, "lazy", "lazy"]
    # Cards show the card-sized thumbnail, not the 1200px hero.
    assert all(img["width"] == "480" and img["height"] == "270" for img in images)
    # The front page's lead is its largest picture, wanted first; the second
    # tier beside it is on screen too, but for the last of them on a phone.
    front = html(client.get("/"))
    lead = front.select_one(".story-card--lead img")
    assert (lead["width"], lead.get("fetchpriority"), lead.get("loading")) == (
        "1200",
        "high",
        None,
    )
    second = front.select(".front-top__second img")
    assert [img.get("loading") for img in second] == [None, None, "lazy", "lazy"]


def test_a_story_whose_slug_was_edited_keeps_its_old_links(client):
    story = ArticleFactory(published=True, slug="council-votes")
    old_url = story.get_absolute_url()
    story = services.update_article(
        article=story, user=None, slug="council-votes-for-new-budget"
    )
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == story.get_absolute_url()
    # Not for a draft that once had that slug.
    draft = ArticleFactory(slug="secret-plan")
    services.update_article(article=draft, user=None, slug="other")
    assert client.get("/2016/12/24/secret-plan/").status_code == 404
