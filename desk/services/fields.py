"""Checking and cleaning what is written, for every kind of row."""

from django.db import models

from core.characters import clean_text


def refuse_unknown(fields, allowed):
    unknown = set(fields) - allowed - {"source_id", "section_id"}
    if unknown:
        raise TypeError(f"Not fields editors write: {', '.join(sorted(unknown))}")


def cleaned(model, fields):
    """`fields` with every text value cleaned (core/characters.py): what
    was pasted from Word or sent by a wire can break no page or feed.
    Slugs are left to their validator, which refuses what it would remove."""
    cleaned = dict(fields)
    for name, value in fields.items():
        field = model._meta.get_field(name)
        if isinstance(field, models.SlugField) or not isinstance(value, str):
            continue
        if isinstance(field, models.TextField):
            cleaned[name] = clean_text(value)
        elif isinstance(field, models.CharField):
            cleaned[name] = clean_text(value, multiline=False)
    return cleaned
