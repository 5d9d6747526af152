"""The newsroom's two roles, as groups of permissions.

Reporters draft stories; which drafts they may change (their own, while
still drafts) is decided per story in articles/admin.py. Editors may do
everything to stories and sources, publishing included.

The lists are frozen here, as a migration's must be; change them with a new
migration.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = {
    "Reporter": [
        "add_article",
        "change_article",
        "delete_article",
        "view_article",
        "view_historicalarticle",
        "view_source",
    ],
    "Editor": [
        "add_article",
        "change_article",
        "delete_article",
        "view_article",
        "publish_article",
        "view_historicalarticle",
        "add_source",
        "change_source",
        "delete_source",
        "view_source",
    ],
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations have run; make
    # sure this app's exist now (with its content types).
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = Permission.objects.filter(
            content_type__app_label="articles", codename__in=codenames
        )
        assert permissions.count() == len(codenames), f"Missing permissions for {name}"
        group.permissions.add(*permissions)


def remove_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
