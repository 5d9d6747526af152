from django.apps import AppConfig


class DistributionConfig(AppConfig):
    """How stories travel beyond the site's pages: RSS, Atom and JSON feeds,
    sitemaps, the Google News sitemap and robots.txt."""

    name = "distribution"
