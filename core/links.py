"""Absolute URLs on the site's public address.

Pages, feeds, sitemaps, share links and metadata all carry absolute URLs;
they come from SITE_URL, never from whatever Host a request arrived with.
"""

from urllib.parse import urljoin

from django.conf import settings


def absolute(url):
    """`url` (a path, or already absolute) as an absolute URL on SITE_URL."""
    return urljoin(settings.SITE_URL + "/", url)
