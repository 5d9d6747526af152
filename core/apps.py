from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Site-wide pieces every app may use: absolute URLs, the rendered-page
    cache and conditional GET, security headers, error pages, /healthz. It
    imports none of the project's other apps."""

    name = "core"
