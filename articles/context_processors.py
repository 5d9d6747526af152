"""What every reader page's masthead and footer show: the sections in the
navigation and the site's own pages. Read only by a page that renders them
(never by the admin), and never the reason a page fails: with the database
down, the 404 page still renders, without them."""

import logging

from django.db import DatabaseError
from django.utils.functional import SimpleLazyObject

from . import selectors
from .edition import state_for
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
    def sections():
        listed = Section.objects.filter(in_navigation=True)
        return selectors.in_navigation(listed, state_for(request))

    return {
        "navigation": _or_nothing(sections),
        "footer_pages": _or_nothing(
            lambda: SitePage.objects.filter(in_footer=True).only("title", "slug")
        ),
    }
