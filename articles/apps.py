from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"
    # The admin's heading over sources and stories ("Content › Stories").
    verbose_name = "Content"
