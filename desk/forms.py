"""The story form editors use in the admin."""

import datetime

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminSplitDateTime, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError

from articles import text
from articles.formats import newsroom_time
from articles.images import validate_image_file
from articles.models import Article, Author, Section

from . import services

BODY_HELP = (
    "Markdown: a blank line starts a new paragraph; *italics*, **bold**, "
    "[link text](https://example.com), lines starting with - or 1. for "
    "lists, > for a quotation, ## and ### for subheadings. HTML is shown "
    "as text, as typed; images are left out. At most "
    f"{text.MAX_BODY_CHARACTERS:,} characters."
)


class ImageUploadField(forms.ImageField):
    """Django's image field with our format and size rules checked first,
    so a refused upload gets a message that says why."""

    def to_python(self, data):
        upload = forms.FileField.to_python(self, data)
        if upload is None:
            return None
        validate_image_file(upload)
        return super().to_python(data)


class PublicationTimeWidget(AdminSplitDateTime):
    """The admin's date and time boxes, which also open a story stored with
    a time the newsroom's zone cannot express (year 9999's last hours): it
    is shown in UTC, and saving it again is refused with the model's
    message, so the editor sees what to correct."""

    def decompress(self, value):
        try:
            return super().decompress(value)
        except OverflowError:
            value = value.astimezone(datetime.UTC)
            return [value.date(), value.time()]


class CreditOrderWidget(AutocompleteSelectMultiple):
    """The admin's autocomplete, showing the chosen authors in the order
    they are credited (the order the browser sends them back in)."""

    def optgroups(self, name, value, attr=None):
        groups = super().optgroups(name, value, attr)
        order = {str(v): i for i, v in enumerate(value)}
        for _, options, _ in groups:
            options.sort(key=lambda option: order.get(str(option["value"]), 0))
        return groups


class CreditedAuthorsField(forms.ModelMultipleChoiceField):
    """Staff authors, as a list in the order chosen (Django's field gives
    a queryset, in no particular order)."""

    def clean(self, value):
        chosen = super().clean(value)
        found = {str(author.pk): author for author in chosen}
        return [found[str(pk)] for pk in dict.fromkeys(value or []) if str(pk) in found]


class ArticleAdminForm(forms.ModelForm):
    # The version of the story this form was opened with: a save is refused
    # if someone else saved the story in between (see `clean`).
    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # Not the model's own field: the admin takes no many-to-many field with
    # an order of its own (the Authorship table) in a form.
    credited_authors = CreditedAuthorsField(
        label="Authors",
        queryset=Author.objects.all(),
        required=False,
        widget=CreditOrderWidget(
            Article._meta.get_field("authors"),
            admin.site,
            attrs={"data-credit-order": ""},
        ),
        help_text="Staff authors, in the order the byline credits them. Leave "
        "empty for agency copy and fill in the byline below.",
    )

    class Meta:
        model = Article
        fields = [name for name in Article.EDITORIAL_FIELDS if name != "authors"]
        field_classes = {"image": ImageUploadField}
        help_texts = {"body": BODY_HELP}
        error_messages = {"slug": {"unique": services.ADDRESS_TAKEN}}
        widgets = {"published_at": PublicationTimeWidget}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "section" in self.fields:
            # Chosen for a new story (the desk's default section until the
            # editor picks another); left empty, the services use it too.
            section = self.fields["section"]
            section.required = False
            section.help_text = (
                f"Left empty, the story goes in {Section.default().name}."
            )
            if not self.instance.pk and not self.is_bound:
                self.initial.setdefault("section", Section.default().pk)
        if self.instance.pk and not self.is_bound:
            # Ask the database rather than trusting the instance: restoring
            # an old version builds this form from that version's values.
            current = (
                Article.objects.filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )
            self.fields["opened_version"].initial = current or self.instance.version
            self.fields["credited_authors"].initial = [
                credit.author_id
                for credit in self.instance.authorship_set.order_by("position", "pk")
            ]

    def clean_body(self):
        # The services refuse such a body too (only when it changes); here
        # the reason lands on the field, with the editor's text kept, even
        # for a body stored before the limits (a restore, an old story).
        body = self.cleaned_data["body"]
        text.validate_body(body)
        return body

    def clean(self):
        cleaned_data = super().clean()
        # Held until the admin's transaction ends, before the uniqueness
        # check that follows: of two editors saving one new address at
        # once, the second sees the first's story and gets the message.
        slug = cleaned_data.get("slug")
        services.claim_address(slug=slug)
        if slug and (
            problem := services.old_address_problem(
                slug=slug, story_pk=self.instance.pk
            )
        ):
            self.add_error("slug", problem)
        if "status" in cleaned_data:
            # Before the model's checks run: a Published story needs a time.
            cleaned_data["published_at"] = services.publication_time(
                status=cleaned_data["status"],
                published_at=cleaned_data.get("published_at"),
            )
        if self.instance.pk:
            try:
                # The admin runs the whole request in a transaction, so the
                # row stays locked until this form's save is committed.
                current = services.lock_for_edit(
                    article_pk=self.instance.pk,
                    opened_version=cleaned_data.get("opened_version"),
                )
            except services.StaleEdit as stale:
                raise ValidationError(
                    self.stale_message(stale.current), code="stale"
                ) from stale
            self.instance.version = current.version
        return cleaned_data

    @staticmethod
    def stale_message(current):
        who = current.updated_by
        name = (who.get_full_name() or who.get_username()) if who else "someone"
        return (
            f"Not saved: this story was changed by {name} at "
            f"{newsroom_time(current.updated_at)} since you opened it. "
            "Your text is kept below: copy what you need, then open the story "
            "again to see their version and add your changes to it."
        )
