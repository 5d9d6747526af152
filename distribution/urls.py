from django.urls import path

from . import feeds, views

app_name = "distribution"

urlpatterns = [
    path("feeds/rss/", feeds.LatestStoriesFeed(), name="feed"),
    path("feeds/atom/", feeds.LatestStoriesAtomFeed(), name="feed-atom"),
    path("feeds/json/", feeds.LatestStoriesJsonFeed(), name="feed-json"),
    path("sources/<slug:slug>/rss/", feeds.SourceStoriesFeed(), name="source-feed"),
    path(
        "sources/<slug:slug>/atom/",
        feeds.SourceStoriesAtomFeed(),
        name="source-feed-atom",
    ),
    path("robots.txt", views.robots_txt, name="robots"),
    path("sitemap.xml", views.sitemap_index, name="sitemap-index"),
    path("sitemap-news.xml", views.news_sitemap, name="sitemap-news"),
    path("sitemap-<slug:section>.xml", views.sitemap_section, name="sitemap-section"),
]
