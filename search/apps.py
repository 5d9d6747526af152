from django.apps import AppConfig


class SearchAppConfig(AppConfig):
    """The site's search: the full-text index of every story, kept by the
    desk's services, and the reader's search page over what is published."""

    name = "search"
    label = "search"
