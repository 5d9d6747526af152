"""Sources: the news organisations stories come from."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from articles.models import (
    Source,
    SourceRedirect,
)

from .. import policy
from .editions import new_edition
from .fields import cleaned, refuse_unknown

SOURCE_FIELDS = frozenset(["name", "slug", "url", "description"])


@transaction.atomic
def create_source(*, user, **fields):
    refuse_unknown(fields, SOURCE_FIELDS)
    if not policy.can_add_source(user):
        raise PermissionDenied("Only editors can add sources.")
    source = Source(**cleaned(Source, fields))
    source.full_clean()
    source.save()
    # Nothing readers have seen changes: no story is credited to it yet.
    return source


@transaction.atomic
def update_source(*, source, user, **fields):
    refuse_unknown(fields, SOURCE_FIELDS)
    if not policy.can_change_source(user):
        raise PermissionDenied("Only editors can change sources.")
    source = Source.objects.select_for_update().get(pk=source.pk)
    old_slug = source.slug
    for name, value in cleaned(Source, fields).items():
        setattr(source, name, value)
    source.full_clean()
    source.save()
    if source.slug != old_slug:
        # Its page and feeds keep answering at the old address.
        SourceRedirect.objects.filter(slug=source.slug, source=source).delete()
        SourceRedirect.objects.update_or_create(
            slug=old_slug, defaults={"source": source}
        )
    # Its name is on every card, story page and feed item that credits it.
    tags = {f"source-{old_slug}", f"source-{source.slug}", "front", "feeds"}
    new_edition(tags=tags | {"sitemaps"})
    return source


@transaction.atomic
def delete_source(*, source, user):
    """Delete a source no story is credited to (ProtectedError otherwise)."""
    if not policy.can_delete_source(user):
        raise PermissionDenied("Only editors can delete sources.")
    source.delete()
    new_edition(tags={f"source-{source.slug}", "sitemaps"})
