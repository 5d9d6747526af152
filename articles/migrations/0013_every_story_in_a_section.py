import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Apart from 0012, which filled the column: PostgreSQL cannot alter a
    table with the fill's updates still pending in the same transaction."""

    dependencies = [
        ("articles", "0012_sections_authors_topics"),
    ]

    operations = [
        migrations.AlterField(
            model_name="article",
            name="section",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="articles",
                to="articles.section",
            ),
        ),
    ]
