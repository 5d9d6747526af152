from django.urls import path, register_converter

from . import converters, views

register_converter(converters.FourDigitYear, "yyyy")
register_converter(converters.TwoDigits, "mm")

app_name = "articles"

urlpatterns = [
    path("", views.FrontPageView.as_view(), name="index"),
    path("latest/", views.LatestView.as_view(), name="latest"),
    path(
        "<yyyy:year>/<mm:month>/<mm:day>/<slug:slug>/",
        views.ArticleDetailView.as_view(),
        name="detail",
    ),
    path("sources/<slug:slug>/", views.SourceView.as_view(), name="source"),
    path("sections/<slug:slug>/", views.SectionView.as_view(), name="section"),
    path("authors/<slug:slug>/", views.AuthorView.as_view(), name="author"),
    path("topics/<slug:slug>/", views.TopicView.as_view(), name="topic"),
    # Last: a site page may have any address nothing above answers.
    path("<slug:slug>/", views.SitePageView.as_view(), name="site-page"),
]
