"""The search page's parameters: what to look for, and where."""

import datetime
import functools

from django import forms
from django.utils import timezone

from articles.models import EARLIEST_YEAR, LATEST_YEAR
from core.characters import clean_text

from .query import MAX_LENGTH, parse

RELEVANCE, NEWEST = "relevance", "newest"


class DateInput(forms.DateInput):
    """The browser's date picker, sent as YYYY-MM-DD."""

    input_type = "date"

    def __init__(self):
        super().__init__(
            format="%Y-%m-%d",
            attrs={"min": f"{EARLIEST_YEAR}-01-01", "max": f"{LATEST_YEAR}-12-31"},
        )

    def format_value(self, value):
        # A date that does not exist (30 February, typed into the address)
        # is not given back as the field's value: the field says what is
        # wrong, and a date input may hold only a real date.
        if isinstance(value, str):
            try:
                datetime.date.fromisoformat(value)
            except ValueError:
                return None
        return super().format_value(value)


def _date_field(label):
    return forms.DateField(
        label=label,
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=DateInput(),
        error_messages={
            "invalid": "There is no such date: pick one from the calendar."
        },
    )


class SearchForm(forms.Form):
    """`sections` and `sources` are the choices offered, as (slug, name)."""

    q = forms.CharField(
        label="Search for",
        required=False,
        widget=forms.SearchInput(
            attrs={"maxlength": MAX_LENGTH, "enterkeyhint": "search"}
        ),
    )
    section = forms.ChoiceField(label="Section", required=False)
    source = forms.ChoiceField(label="Source", required=False)
    sort = forms.ChoiceField(
        label="Order",
        required=False,
        choices=[(RELEVANCE, "Best match first"), (NEWEST, "Newest first")],
    )

    def __init__(self, data, *, sections, sources):
        if "q" in data:
            # Cut, not refused: a long paste still finds what its start
            # says, and the box shows what was searched for.
            data = data.copy()
            data["q"] = clean_text(data["q"], multiline=False)[:MAX_LENGTH]
        super().__init__(data, label_suffix="")
        self.fields["section"].choices = [("", "All sections"), *sections]
        self.fields["source"].choices = [("", "All sources"), *sources]
        # Their names in the address are Python keywords.
        self.fields["from"] = _date_field("Published from")
        self.fields["to"] = _date_field("Published until")
        self.order_fields(["q", "section", "source", "from", "to", "sort"])

    def clean(self):
        cleaned = super().clean()
        for name in ["from", "to"]:
            day = cleaned.get(name)
            if day and not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
                self.add_error(
                    name,
                    f"Give a date between the years {EARLIEST_YEAR} and {LATEST_YEAR}.",
                )
        start, end = cleaned.get("from"), cleaned.get("to")
        if start and end and start > end:
            self.add_error("to", "This comes before “Published from”: swap them.")
        return cleaned

    @functools.cached_property
    def query(self):
        """The parsed query (search.query.Query); empty unless valid."""
        if not self.is_valid():
            return parse("")
        return parse(self.cleaned_data["q"])

    @property
    def filtered(self):
        """Whether any filter narrows the search."""
        return self.is_valid() and any(
            self.cleaned_data.get(name) for name in ["section", "source", "from", "to"]
        )

    def search_arguments(self):
        """The keyword arguments of selectors.search_stories."""
        data = self.cleaned_data
        return {
            "query": self.query,
            "section": data["section"],
            "source": data["source"],
            "start": _midnight(data["from"]),
            "end": _midnight(data["to"], days_after=1),
            "newest_first": data["sort"] == NEWEST,
        }


def _midnight(day, *, days_after=0):
    """The start of `day` (plus `days_after`) in the newsroom's time zone."""
    if day is None:
        return None
    day += datetime.timedelta(days=days_after)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
