from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, re_path
from django.views.decorators.cache import cache_control

from articles.sitemaps import SITEMAPS

from . import views

admin.site.site_header = f"{settings.SITE_NAME} editors' desk"
admin.site.site_title = f"{settings.SITE_NAME} admin"
admin.site.index_title = "Stories and sources"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("robots.txt", views.robots_txt, name="robots"),
    path("sitemap.xml", views.sitemap_index, name="sitemap-index"),
    path("sitemap-news.xml", views.news_sitemap, name="sitemap-news"),
    path(
        "sitemap-<slug:section>.xml",
        cache_control(public=True, max_age=300)(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("", include("articles.urls")),
]

if settings.SERVE_MEDIA:
    urlpatterns += [
        re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$", views.media)
    ]

handler500 = "newsroom.views.server_error"
