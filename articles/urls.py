from django.urls import path, register_converter

from . import converters, feeds, views

register_converter(converters.FourDigitYear, "yyyy")
register_converter(converters.TwoDigits, "mm")

app_name = "articles"

urlpatterns = [
    path("", views.ArticleListView.as_view(), name="index"),
    path(
        "<yyyy:year>/<mm:month>/<mm:day>/<slug:slug>/",
        views.ArticleDetailView.as_view(),
        name="detail",
    ),
    path("preview/<int:pk>/", views.ArticlePreviewView.as_view(), name="preview"),
    path("sources/<slug:slug>/", views.SourceArticleListView.as_view(), name="source"),
    path("feeds/rss/", feeds.LatestStoriesFeed(), name="feed"),
    path("feeds/atom/", feeds.LatestStoriesAtomFeed(), name="feed-atom"),
    path("feeds/json/", feeds.LatestStoriesJsonFeed(), name="feed-json"),
    path("sources/<slug:slug>/rss/", feeds.SourceStoriesFeed(), name="source-feed"),
    path(
        "sources/<slug:slug>/atom/",
        feeds.SourceStoriesAtomFeed(),
        name="source-feed-atom",
    ),
]
