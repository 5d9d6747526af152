from django.urls import path

from articles.edition import reader_page

from . import feeds, views

app_name = "distribution"

# Feed readers poll: five minutes between fetches is polite and prompt.
feed = reader_page(max_age=300)

urlpatterns = [
    path("feeds/rss/", feed(feeds.LatestStoriesFeed()), name="feed"),
    path("feeds/atom/", feed(feeds.LatestStoriesAtomFeed()), name="feed-atom"),
    path("feeds/json/", feed(feeds.LatestStoriesJsonFeed()), name="feed-json"),
    path(
        "sources/<slug:slug>/rss/",
        feed(feeds.SourceStoriesFeed()),
        name="source-feed",
    ),
    path(
        "sources/<slug:slug>/atom/",
        feed(feeds.SourceStoriesAtomFeed()),
        name="source-feed-atom",
    ),
    path("robots.txt", views.robots_txt, name="robots"),
    path("sitemap.xml", views.sitemap_index, name="sitemap-index"),
    path("sitemap-news.xml", views.news_sitemap, name="sitemap-news"),
    path("sitemap-<slug:section>.xml", views.sitemap_section, name="sitemap-section"),
]
