"""Sections, authors, topics, the site's own pages and the front page's top
places in the admin: each saved, and deleted, through services/."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count
from django.utils.html import format_html

from articles import selectors
from articles.formats import newsroom_time
from articles.models import Author, FrontPagePin, Section, SitePage, Topic

from . import policy, services


class ListingAdmin(admin.ModelAdmin):
    """What the three have in common: a story count, a slug made from the
    name, saves through `save` and deletes through `delete` (services)."""

    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    save = delete = None  # the services' functions, set by each subclass
    # The keyword the services take the row by: the model's name
    # ("section") unless set.
    row_argument = None
    fields_saved = frozenset()
    may_change = may_delete = staticmethod(policy.can_publish)

    @property
    def row_name(self):
        return self.row_argument or self.opts.model_name

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(story_count=Count("articles"))

    @admin.display(description="Stories", ordering="story_count")
    def story_count(self, row):
        return row.story_count

    def has_add_permission(self, request):
        return self.may_change(request.user)

    def has_change_permission(self, request, obj=None):
        return self.may_change(request.user)

    def has_delete_permission(self, request, obj=None):
        return self.may_delete(request.user)

    def has_view_permission(self, request, obj=None):
        return policy.can_preview(request.user)

    def has_module_permission(self, request):
        return policy.can_preview(request.user)

    def save_model(self, request, obj, form, change):
        fields = {
            name: form.cleaned_data[name]
            for name in self.fields_saved
            if name in form.cleaned_data
        }
        row = type(self).save(
            user=request.user,
            **{self.row_name: obj if change else None},
            **fields,
        )
        obj.pk = row.pk
        obj.refresh_from_db()

    def delete_model(self, request, obj):
        try:
            type(self).delete(user=request.user, **{self.row_name: obj})
        except ValidationError as refused:
            self.message_user(request, " ".join(refused.messages), messages.ERROR)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for row in queryset:
            self.delete_model(request, row)


@admin.register(Section)
class SectionAdmin(ListingAdmin):
    list_display = ["name", "position", "in_navigation", "story_count", "slug"]
    list_editable = []
    ordering = ["position", "name"]
    fields = ["name", "slug", "description", "position", "in_navigation"]
    fields_saved = services.SECTION_FIELDS
    save = staticmethod(services.save_section)
    delete = staticmethod(services.delete_section)
    may_change = may_delete = staticmethod(policy.can_manage_sections)


@admin.register(Author)
class AuthorAdmin(ListingAdmin):
    list_display = ["name", "title", "story_count", "slug"]
    ordering = ["name"]
    fields = ["name", "slug", "title", "bio", "photo", "website", "profiles"]
    fields_saved = services.AUTHOR_FIELDS
    save = staticmethod(services.save_author)
    delete = staticmethod(services.delete_author)
    may_change = may_delete = staticmethod(policy.can_manage_authors)


@admin.register(Topic)
class TopicAdmin(ListingAdmin):
    list_display = ["name", "story_count", "slug"]
    ordering = ["name"]
    fields = ["name", "slug", "description"]
    fields_saved = services.TOPIC_FIELDS
    save = staticmethod(services.save_topic)
    delete = staticmethod(services.delete_topic)
    may_change = staticmethod(policy.can_manage_topics)
    may_delete = staticmethod(policy.can_delete_topics)


@admin.register(SitePage)
class SitePageAdmin(ListingAdmin):
    """About, Contact, the corrections policy, Privacy: linked from every
    page's footer."""

    search_fields = ["title", "slug", "body"]
    prepopulated_fields = {"slug": ["title"]}
    list_display = ["title", "in_footer", "position", "updated_at", "view_link"]
    ordering = ["position", "title"]
    fields = ["title", "slug", "description", "body", "in_footer", "position"]
    fields_saved = services.SITE_PAGE_FIELDS
    save = staticmethod(services.save_site_page)
    delete = staticmethod(services.delete_site_page)
    row_argument = "site_page"
    may_change = may_delete = staticmethod(policy.can_manage_site_pages)

    def get_queryset(self, request):
        return admin.ModelAdmin.get_queryset(self, request)

    @admin.display(description="On the site")
    def view_link(self, page):
        return format_html('<a href="{}">{}</a>', page.get_absolute_url(), "View")


@admin.register(FrontPagePin)
class FrontPageAdmin(admin.ModelAdmin):
    """The front page's lead and second tier, as editors chose them. An
    empty place shows the newest story not already on the front page."""

    list_display = ["slot", "article", "until", "pinned_by"]
    fields = ["slot", "article", "ends_at"]
    autocomplete_fields = ["article"]

    def has_add_permission(self, request):
        return policy.can_curate_front_page(request.user)

    def has_change_permission(self, request, obj=None):
        return policy.can_curate_front_page(request.user)

    def has_delete_permission(self, request, obj=None):
        return policy.can_curate_front_page(request.user)

    def has_view_permission(self, request, obj=None):
        return policy.can_preview(request.user)

    def has_module_permission(self, request):
        return policy.can_preview(request.user)

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(
            request, {"front_page_now": self.front_page_now(), **(extra_context or {})}
        )

    @staticmethod
    def front_page_now():
        """(place, story shown there, the pin that put it there or None)
        for each top place, as readers see it now."""
        front = selectors.front_page()
        shown = [front.lead, *front.second_tier]
        pins = {
            pin.article_id: pin
            for pin in FrontPagePin.objects.select_related("pinned_by")
        }
        return [
            (
                label,
                story,
                pins.get(story.pk)
                if story and getattr(story, "place", None) == slot
                else None,
            )
            for (slot, label), story in zip(
                FrontPagePin.Slot.choices,
                shown + [None] * (len(FrontPagePin.Slot) - len(shown)),
                strict=True,
            )
        ]

    @admin.display(description="Until", ordering="ends_at")
    def until(self, pin):
        return newsroom_time(pin.ends_at) if pin.ends_at else "Until changed"

    def save_model(self, request, obj, form, change):
        if change and "slot" in form.changed_data:
            services.unpin_story(user=request.user, slot=form.initial["slot"])
        pin = services.pin_story(
            user=request.user,
            article=form.cleaned_data["article"],
            slot=form.cleaned_data["slot"],
            ends_at=form.cleaned_data["ends_at"],
        )
        obj.pk = pin.pk
        obj.refresh_from_db()

    def delete_model(self, request, obj):
        services.unpin_story(user=request.user, slot=obj.slot)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for pin in queryset:
            services.unpin_story(user=request.user, slot=pin.slot)
