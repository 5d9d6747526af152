import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

# SQLite: an FTS5 table reading the entries' rows (external content, so the
# text is stored once), its rowid the story's id, Porter-stemmed, accents
# folded; and triggers that keep it in step with every change to an entry.
SQLITE_INDEX = [
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        headline, standfirst, body,
        content='search_searchentry', content_rowid='article_id',
        tokenize='porter unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchentry BEGIN
        INSERT INTO search_fts(rowid, headline, standfirst, body)
        VALUES (new.article_id, new.headline, new.standfirst, new.body);
    END""",
    """CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchentry BEGIN
        INSERT INTO search_fts(search_fts, rowid, headline, standfirst, body)
        VALUES ('delete', old.article_id, old.headline, old.standfirst, old.body);
    END""",
    """CREATE TRIGGER search_fts_update AFTER UPDATE ON search_searchentry BEGIN
        INSERT INTO search_fts(search_fts, rowid, headline, standfirst, body)
        VALUES ('delete', old.article_id, old.headline, old.standfirst, old.body);
        INSERT INTO search_fts(rowid, headline, standfirst, body)
        VALUES (new.article_id, new.headline, new.standfirst, new.body);
    END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TABLE IF EXISTS search_fts",
]
POSTGRES_INDEX = [
    "CREATE INDEX search_entry_document_gin ON search_searchentry USING gin (document)",
]
POSTGRES_DROP = ["DROP INDEX IF EXISTS search_entry_document_gin"]


def _run(statements):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    """The entries, and each database's own index over them: a GIN index
    on PostgreSQL, an FTS5 table on SQLite (neither exists on the other)."""

    initial = True

    dependencies = [
        ("articles", "0013_every_story_in_a_section"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                (
                    "article",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_entry",
                        serialize=False,
                        to="articles.article",
                    ),
                ),
                ("headline", models.TextField()),
                ("standfirst", models.TextField(blank=True)),
                ("body", models.TextField(blank=True)),
                (
                    "document",
                    django.contrib.postgres.search.SearchVectorField(
                        editable=False, null=True
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "search entries",
            },
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE_INDEX, "postgresql": POSTGRES_INDEX}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        ),
    ]
