from django.contrib.postgres.search import SearchVectorField
from django.db import models

from articles.models import Article


class SearchEntry(models.Model):
    """A story's text as the search index reads it: its headline, standfirst
    and body as plain text (search/index.py writes it with every save).

    Every story has one, drafts too: what readers may find is decided when
    they search, by `Article.objects.published()`, so publishing or taking
    a story down changes nothing here. On PostgreSQL `document` holds the
    weighted search vector, under a GIN index; on SQLite it stays empty and
    an FTS5 table kept in step by triggers indexes these rows instead (both
    made by migration 0001 on their own database only).
    """

    article = models.OneToOneField(
        Article,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search_entry",
    )
    headline = models.TextField()
    standfirst = models.TextField(blank=True)
    body = models.TextField(blank=True)
    document = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name_plural = "search entries"

    def __str__(self):
        return self.headline
