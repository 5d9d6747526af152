"""Comparing any two saved versions of a story, field by field.

Works on django-simple-history's records of an Article; the admin's
compare page (`ArticleAdmin.compare_view`) shows what `differences()`
returns. Values come back as plain text: the template escapes them.
"""

import difflib
from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist
from django.utils.text import capfirst

from articles.formats import newsroom_time
from articles.models import Article

# In the order of the story form. Derived fields (body_html, word_count,
# image size) and bookkeeping (version, timestamps, who) are not compared:
# they follow from these, and the version labels carry who and when. The
# history keeps the story's own row: not its authors and topics.
COMPARED = [
    name for name in Article.EDITORIAL_FIELDS if name not in Article.RELATED_FIELDS
]
# Long enough that a line-by-line diff says more than the two values alone.
LONG_TEXT = {"standfirst", "body"}
# Unchanged lines kept around each change; longer runs are cut to a gap.
CONTEXT_LINES = 2


@dataclass(frozen=True)
class Line:
    kind: str  # "same", "removed", "added", or "gap" for unchanged lines cut
    text: str = ""


@dataclass
class Difference:
    name: str
    label: str
    old: str
    new: str
    lines: list[Line] = field(default_factory=list)


def differences(old, new):
    """The compared fields whose values differ between two historical
    records, each with both values as text (and a line diff if long)."""
    found = []
    for name in COMPARED:
        model_field = Article._meta.get_field(name)
        before = _raw(getattr(old, model_field.attname))
        after = _raw(getattr(new, model_field.attname))
        if before == after:
            continue
        found.append(
            Difference(
                name=name,
                label=capfirst(model_field.verbose_name),
                old=shown(old, model_field),
                new=shown(new, model_field),
                lines=line_diff(before, after) if name in LONG_TEXT else [],
            )
        )
    return found


def _raw(value):
    # A file field's value compares by its stored name.
    return getattr(value, "name", value)


def shown(record, model_field):
    """A field's value in a historical record as an editor would read it."""
    value = getattr(record, model_field.attname)
    if value is None or value == "":
        return ""
    if model_field.name == "source":
        try:
            return str(record.source)
        except ObjectDoesNotExist:
            # Historical records keep the id of a source deleted since.
            return f"Source {value} (since deleted)"
    if model_field.name == "published_at":
        return newsroom_time(value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    return str(_raw(value))


def line_diff(before, after):
    """Lines removed, added and (around them) unchanged, with a "gap" line
    where a run of unchanged lines is left out."""
    a, b = (before or "").splitlines(), (after or "").splitlines()
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    lines, shown_to = [], 0
    for group in matcher.get_grouped_opcodes(CONTEXT_LINES):
        if group[0][1] > shown_to:
            lines.append(Line("gap"))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines += [Line("same", text) for text in a[i1:i2]]
                continue
            lines += [Line("removed", text) for text in a[i1:i2]]
            lines += [Line("added", text) for text in b[j1:j2]]
        shown_to = group[-1][2]
    if shown_to < len(a):
        lines.append(Line("gap"))
    return lines
