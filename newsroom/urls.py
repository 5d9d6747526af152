from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from core import views as core_views

admin.site.site_header = f"{settings.SITE_NAME} editors' desk"
admin.site.site_title = f"{settings.SITE_NAME} admin"
admin.site.index_title = "The newsroom: stories, sections, the front page"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("desk.urls")),
    path("", include("distribution.urls")),
    path("", include("search.urls")),
    path("", include("articles.urls")),
]

if settings.SERVE_MEDIA:
    urlpatterns += [
        re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$", core_views.media)
    ]

handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
