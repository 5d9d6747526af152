"""What every reader page's masthead and footer show: the sections in the
navigation and the site's own pages. Read only by a page that renders them
(never by the admin), and never the reason a page fails: with the database
down, the 404 page still renders, without them."""

import logging

from django.db import DatabaseError
from django.utils.functional import SimpleLazyObject

from .models import Section, SitePage

logger = logging.getLogger(__name__)


def _or_nothing(query):
    def read():
        try:
            return list(query())
        except DatabaseError as error:
            logger.warning("Navigation left out: %s", type(error).__name__)
            return []

    return SimpleLazyObject(read)


def navigation(request):
    return {
        "navigation": _or_nothing(lambda: Section.objects.filter(in_navigation=True)),
        "footer_pages": _or_nothing(
            lambda: SitePage.objects.filter(in_footer=True).only("title", "slug")
        ),
    }
