import html

import nh3
from django.db import migrations

BATCH = 500


# The marks search/highlight.py asks the databases to put around matches:
# never in indexed text (rows stored before text was cleaned might hold them).
MARKS = str.maketrans({"\x02": " ", "\x03": " "})


def plain_text(fragment):
    # articles.text.plain_text as it is today: a migration keeps its own.
    return html.unescape(nh3.clean(fragment or "", tags=set()))


def index_existing_stories(apps, schema_editor):
    """Every story saved before search existed gets its entry (on SQLite
    the FTS5 table's triggers index it; on PostgreSQL the vector is written
    here, as search/postgres.py writes it)."""
    Article = apps.get_model("articles", "Article")
    SearchEntry = apps.get_model("search", "SearchEntry")
    stories = Article.objects.only("pk", "headline", "standfirst", "body_html")
    batch = []
    for story in stories.order_by("pk").iterator(chunk_size=BATCH):
        batch.append(
            SearchEntry(
                article_id=story.pk,
                headline=story.headline.translate(MARKS),
                standfirst=story.standfirst.translate(MARKS),
                body=plain_text(story.body_html).translate(MARKS),
            )
        )
        if len(batch) == BATCH:
            SearchEntry.objects.bulk_create(batch)
            batch = []
    SearchEntry.objects.bulk_create(batch)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "UPDATE search_searchentry SET document = "
            "setweight(to_tsvector('english', headline), 'A') || "
            "setweight(to_tsvector('english', standfirst), 'B') || "
            "setweight(to_tsvector('english', body), 'C')"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(index_existing_stories, migrations.RunPython.noop),
    ]
