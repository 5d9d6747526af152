from django.urls import path

from articles.edition import reader_page

from . import feeds, views

app_name = "distribution"

# Feed readers poll: five minutes between fetches is polite and prompt.
feed = reader_page(max_age=300)

LISTING_FEEDS = {
    "source": feeds.SourceStoriesFeed,
    "section": feeds.SectionStoriesFeed,
    "author": feeds.AuthorStoriesFeed,
    "topic": feeds.TopicStoriesFeed,
}

urlpatterns = [
    path("feeds/rss/", feed(feeds.LatestStoriesFeed()), name="feed"),
    path("feeds/atom/", feed(feeds.LatestStoriesAtomFeed()), name="feed-atom"),
    path("feeds/json/", feed(feeds.LatestStoriesJsonFeed()), name="feed-json"),
    # A source's, section's, author's and topic's stories: /<kind>s/<slug>/rss/
    *[
        path(
            f"{kind}s/<slug:slug>/{ending}/",
            feed(feed_class()),
            name=f"{kind}-feed{suffix}",
        )
        for kind, rss in LISTING_FEEDS.items()
        for ending, suffix, feed_class in [
            ("rss", "", rss),
            ("atom", "-atom", feeds.atom(rss, f"{kind}-feed-atom")),
        ]
    ],
    path("robots.txt", views.robots_txt, name="robots"),
    path("sitemap.xml", views.sitemap_index, name="sitemap-index"),
    path("sitemap-news.xml", views.news_sitemap, name="sitemap-news"),
    path("sitemap-<slug:section>.xml", views.sitemap_section, name="sitemap-section"),
]
