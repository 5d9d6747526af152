from django.conf import settings
from django.http import HttpResponseServerError
from django.template.loader import render_to_string


def server_error(request):
    """The 500 page. Django renders it without context processors, so the
    site-wide names are passed in; nothing here touches the database."""
    context = {"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL}
    return HttpResponseServerError(render_to_string("500.html", context))
