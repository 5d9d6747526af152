
from django.db import migrations, models
from django.db.models import Count
from django.utils import timezone

# The same limit as articles/edition.py's UPCOMING_LIMIT when this was written.
UPCOMING_LIMIT = 500


def fill_schedule(apps, schema_editor):
    """Work out the schedule and counts once, here: a row migrated by 0008
    has none until the next editorial change, and until then every load of
    the edition counts the archive."""
    Article = apps.get_model("articles", "Article")
    Edition = apps.get_model("articles", "Edition")
    row = Edition.objects.filter(pk=1).first()
    if row is None:
        return
    now = timezone.now()
    published = Article.objects.filter(status="published", published_at__lte=now)
    row.live_since = (
        published.order_by("-published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    upcoming = list(
        Article.objects.filter(status="published", published_at__gt=now)
        .order_by("published_at")
        .values_list("published_at", "source_id")[: UPCOMING_LIMIT + 1]
    )
    row.upcoming = [(m.isoformat(), s) for m, s in upcoming[:UPCOMING_LIMIT]]
    row.schedule_complete = len(upcoming) <= UPCOMING_LIMIT
    per_source = published.order_by().values_list("source_id").annotate(Count("pk"))
    counts = {f"source:{source_id}": n for source_id, n in per_source}
    counts["front"] = sum(counts.values())
    row.live_counts = counts
    row.save()


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0008_edition_schedule"),
    ]

    operations = [
        migrations.AddField(
            model_name="edition",
            name="revision",
            field=models.PositiveBigIntegerField(default=0),
        ),
        migrations.RunPython(fill_schedule, migrations.RunPython.noop),
    ]
