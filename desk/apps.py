from django.apps import AppConfig


class DeskConfig(AppConfig):
    """The editors' side: the admin, its forms, preview and compare, who may
    do what (`policy.py`) and every write to the content (`services/`)."""

    name = "desk"
