"""Old addresses get a table of their own, the site an edition number, and
every stored slug becomes one the URL patterns can route.

- `Edition`: one row, numbered 1, changed now.
- Slugs holding anything but letters, numbers, hyphens and underscores
  (only an import or a shell could have stored one; the admin never could)
  are made routable, kept unique. 0006 then has the database refuse them.
- `SlugRedirect` is filled from the edit history: every earlier slug of a
  story, unless a story now lives at that address.
"""

import re

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models
from django.utils.text import slugify

ROUTABLE = re.compile(r"[-a-zA-Z0-9_]+")


def create_edition(apps, schema_editor):
    apps.get_model("articles", "Edition").objects.get_or_create(pk=1)


def routable(slug, fallback, taken):
    candidate = slugify(slug.replace(".", "-"))[:190] or fallback
    base, n = candidate, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


def make_slugs_routable(apps, schema_editor):
    for model_name, prefix in [("Source", "source"), ("Article", "story")]:
        model = apps.get_model("articles", model_name)
        taken = set(model.objects.values_list("slug", flat=True))
        for row in model.objects.only("pk", "slug").iterator():
            if not ROUTABLE.fullmatch(row.slug):
                row.slug = routable(row.slug, f"{prefix}-{row.pk}", taken)
                row.save(update_fields=["slug"])


def redirects_from_history(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    HistoricalArticle = apps.get_model("articles", "HistoricalArticle")
    SlugRedirect = apps.get_model("articles", "SlugRedirect")
    current = dict(Article.objects.values_list("slug", "pk"))
    stories = set(current.values())
    old = {}
    # Oldest first: where two stories once had the same slug, the later wins.
    for slug, article_id in (
        HistoricalArticle.objects.order_by("history_date")
        .values_list("slug", "id")
        .iterator()
    ):
        if slug in current or not ROUTABLE.fullmatch(slug or ""):
            continue
        if article_id in stories:
            old[slug] = article_id
    SlugRedirect.objects.bulk_create(
        SlugRedirect(slug=slug, article_id=article_id)
        for slug, article_id in old.items()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0004_source_updated_at"),
    ]

    operations = [
        migrations.CreateModel(
            name="Edition",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                ("number", models.PositiveBigIntegerField(default=1)),
                (
                    "changed_at",
                    models.DateTimeField(default=django.utils.timezone.now),
                ),
            ],
        ),
        migrations.RunPython(create_edition, migrations.RunPython.noop),
        migrations.CreateModel(
            name="SlugRedirect",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                ("slug", models.SlugField(max_length=200, unique=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "article",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="old_slugs",
                        to="articles.article",
                    ),
                ),
            ],
        ),
        migrations.RunPython(make_slugs_routable, migrations.RunPython.noop),
        migrations.RunPython(redirects_from_history, migrations.RunPython.noop),
    ]
