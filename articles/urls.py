from django.urls import path, register_converter

from . import converters, views

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
    path("sources/<slug:slug>/", views.SourceArticleListView.as_view(), name="source"),
]
