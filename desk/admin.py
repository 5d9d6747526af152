"""The editors' desk: stories and sources in the Django admin.

Reporters draft; editors (who hold `articles.publish_article`) publish.
Who may do what to which story is decided in policy.py; every save, action,
restore and delete goes through services/.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Count, F
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import SIMPLE_HISTORY_REVERSE_ATTR_NAME

from articles.formats import newsroom_time
from articles.models import Article, Source

from . import (
    admin_listings,  # noqa: F401  (sections, authors, topics, front page)
    policy,
    recycle,
    services,
)
from .changelist import StoryChangeList
from .compare import differences
from .forms import ArticleAdminForm


def stories(count):
    return f"{count} {'story' if count == 1 else 'stories'}"


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "story_count", "slug", "url"]
    # Meta.ordering is not applied to a grouped (annotated) query.
    ordering = ["name"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    # An address typed without a scheme means https (Django 6's default too).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(story_count=Count("articles"))

    @admin.display(description="Stories", ordering="story_count")
    def story_count(self, source):
        return source.story_count

    def save_model(self, request, obj, form, change):
        fields = {
            name: form.cleaned_data[name]
            for name in services.SOURCE_FIELDS
            if name in form.cleaned_data
        }
        if change:
            source = services.update_source(source=obj, user=request.user, **fields)
        else:
            source = services.create_source(user=request.user, **fields)
        obj.pk = source.pk
        obj.refresh_from_db()

    def delete_model(self, request, obj):
        services.delete_source(source=obj, user=request.user)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for source in queryset:
            services.delete_source(source=source, user=request.user)


class StatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("draft", "Draft"),
            ("scheduled", "Scheduled"),
            ("published", "Published"),
        ]

    def queryset(self, request, queryset):
        if self.value() == "draft":
            return queryset.filter(status=Article.Status.DRAFT)
        if self.value() == "scheduled":
            return queryset.scheduled()
        if self.value() == "published":
            return queryset.published()
        return queryset


def _read_only(field):
    return "published_time" if field == "published_at" else field


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
    form = ArticleAdminForm
    list_display = [
        "headline",
        "state",
        "section",
        "source",
        "published_time",
        "reading_time",
        "last_updated",
        "site_link",
    ]
    list_filter = [StatusFilter, "section", "source", "published_at"]
    list_select_related = ["source", "section", "updated_by"]
    search_fields = ["headline", "standfirst", "body"]
    date_hierarchy = "published_at"
    # Drafts (no time yet) first, then the latest time first.
    ordering = [F("published_at").desc(nulls_first=True), "-created_at"]
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["source", "topics"]
    actions = ["publish_now", "unpublish"]
    readonly_fields = ["word_count_display", "reading_time_display", "record"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "headline",
                    "slug",
                    "standfirst",
                    "body",
                    ("word_count_display", "reading_time_display"),
                    "opened_version",
                ]
            },
        ),
        ("Image", {"fields": ["image", "image_alt", "image_caption", "image_credit"]}),
        ("Section and topics", {"fields": ["section", "label", "topics"]}),
        ("Credit", {"fields": ["credited_authors", "source", "byline"]}),
        ("Publishing", {"fields": ["status", "published_at", "record"]}),
    ]
    history_list_display = ["version", "status"]
    # simple-history's page with the form that opens `compare_view`.
    object_history_template = "admin/articles/article/object_history.html"

    class Media:
        css = {"all": ["css/article-admin.css"]}
        js = ["js/article-admin.js", "js/credit-order.js"]

    def get_changelist(self, request, **kwargs):
        return StoryChangeList

    # Who may do what: desk/policy.py decides; services/ asks it again.

    def has_publish_permission(self, request):
        """Used by the actions declared with permissions=["publish"]."""
        return policy.can_publish(request.user)

    def has_add_permission(self, request):
        return policy.can_create(request.user)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        if request.method == "POST":
            return policy.may_send_edit(request.user, obj)
        return policy.can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return super().has_delete_permission(request)
        return policy.can_delete(request.user, obj)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        restoring = obj is not None and hasattr(obj, SIMPLE_HISTORY_REVERSE_ATTR_NAME)
        if restoring or not policy.can_publish(request.user):
            # Not in the form at all, so a forged value is never read. A
            # restore brings back a version's words, never its publishing
            # state (services.restore_version).
            fields += ["status", "published_at", "published_time"]
        return fields

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if "published_at" not in self.get_readonly_fields(request, obj):
            return fieldsets
        # Read-only, the time reads as the list shows it (newsroom_time),
        # which also copes with a stored time out of range.
        return [
            (name, {**options, "fields": [_read_only(f) for f in options["fields"]]})
            for name, options in fieldsets
        ]

    # Saving: through the services, like every other write.

    @staticmethod
    def editorial_values(form):
        """What the form lets this user write (read-only fields are absent)."""
        values = {
            name: form.cleaned_data[name]
            for name in Article.EDITORIAL_FIELDS
            if name in form.cleaned_data
        }
        if "credited_authors" in form.cleaned_data:
            values["authors"] = form.cleaned_data["credited_authors"]
        return values

    def save_model(self, request, obj, form, change):
        fields = self.editorial_values(form)
        if change:
            story = services.update_article(
                article=obj,
                user=request.user,
                opened_version=form.cleaned_data.get("opened_version"),
                **fields,
            )
        else:
            story = services.create_article(user=request.user, **fields)
        # The admin goes on with `obj` (messages, the change log, redirects).
        obj.pk = story.pk
        obj.refresh_from_db()

    def delete_model(self, request, obj):
        services.delete_article(article=obj, user=request.user)

    # A bulk action is one change: all of it or none, with one new edition
    # and one purge once it commits.
    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for story in queryset:
            services.delete_article(article=story, user=request.user)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Restore an earlier version: a save like any other, so it is
        locked, checked for staleness and refused to those who may not
        change the story as it stands now."""
        deleted = self.deleted_story(request, object_id)
        if deleted is not None:
            return deleted
        if request.method == "POST":
            story = self.get_object(request, unquote(object_id))
            if story is None or not policy.can_edit(request.user, story):
                raise PermissionDenied
            version = self.saved_version(story, version_id)
            instance = version.instance
            instance._state.adding = False  # the story exists: its slug is its own
            form = self.get_form(request, instance)(
                request.POST, request.FILES, instance=instance
            )
            with transaction.atomic():
                if form.is_valid():
                    story = services.restore_version(
                        article=story,
                        version=version,
                        user=request.user,
                        opened_version=form.cleaned_data["opened_version"],
                        **self.editorial_values(form),
                    )
                    message = f"Restored version {version.version}"
                    self.log_change(request, story, message)
                    return self.response_change(request, story)
        # Showing the version, or its form again with what was wrong.
        with transaction.atomic():
            return super().history_form_view(
                request, object_id, version_id, extra_context
            )

    # Deleted stories (desk/recycle.py).

    def deleted_story(self, request, object_id):
        """A version of a deleted story: who may restore it is sent to its
        restore page (it comes back first, then any version can); the
        others may read it, but not revert it."""
        record = recycle.deletion(unquote(object_id))
        if record is None:
            return None
        if policy.can_restore_deleted(request.user, record.instance):
            self.message_user(
                request,
                "This story was deleted. Restore it first; then any earlier "
                "version can be brought back from its history.",
                messages.INFO,
            )
            return redirect("admin:articles_article_restore_deleted", record.id)
        if request.method == "POST":
            raise PermissionDenied(
                "This story was deleted. Only an editor may restore it."
            )
        return None

    def deleted_view(self, request):
        return recycle.list_view(self, request)

    def restore_deleted_view(self, request, story_id):
        return recycle.restore_view(self, request, story_id)

    def history_view(self, request, object_id, extra_context=None):
        record = recycle.deletion(unquote(object_id))
        if record is not None:
            extra_context = {
                **(extra_context or {}),
                "deletion": record,
                "may_restore": policy.can_restore_deleted(
                    request.user, record.instance
                ),
            }
        return super().history_view(request, object_id, extra_context)

    # Comparing two versions.

    def get_urls(self):
        admin_view = self.admin_site.admin_view
        # Before the others: simple-history's "<id>/history/<version>/"
        # would take "compare" for a version, and the admin's "<id>/" would
        # take "deleted" for a story's id.
        return [
            path(
                "<path:object_id>/history/compare/",
                admin_view(self.compare_view),
                name="articles_article_compare",
            ),
            path(
                "deleted/",
                admin_view(self.deleted_view),
                name="articles_article_deleted",
            ),
            path(
                "deleted/<int:story_id>/",
                admin_view(self.restore_deleted_view),
                name="articles_article_restore_deleted",
            ),
            *super().get_urls(),
        ]

    def compare_view(self, request, object_id):
        """Two saved versions of a story, `?from=<history_id>&to=<history_id>`,
        side by side: who may see the story's history may compare it."""
        story = self.get_object(request, unquote(object_id))
        if story is None:
            record = recycle.deletion(unquote(object_id))
            if record is None:
                raise Http404("No such story.")
            story = record.instance  # deleted: its versions are still there
        if not self.has_view_history_or_change_history_permission(request, story):
            raise PermissionDenied
        old, new = (
            self.saved_version(story, request.GET.get(k)) for k in ("from", "to")
        )
        context = {
            **self.admin_site.each_context(request),
            "title": f"Compare versions {old.version} and {new.version}",
            "subtitle": str(story),
            "opts": self.opts,
            "module_name": capfirst(self.opts.verbose_name_plural),
            "object": story,
            "versions": [old, new],
            "differences": differences(old, new),
            "revert_disabled": self.revert_disabled(request, story),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(
            request, "admin/articles/article/compare_versions.html", context
        )

    def saved_version(self, story, history_id):
        """One of this story's historical records; 404 for anything else."""
        try:
            return story.history.select_related("history_user", "source").get(
                history_id=int(history_id)
            )
        except (TypeError, ValueError, story.history.model.DoesNotExist):
            raise Http404("No such version of this story.") from None

    # Links to the site.

    def view_on_site(self, obj):
        # get_absolute_url() gives a scheduled story its future dated URL,
        # which readers (and so editors) would get a 404 from until then.
        if obj.is_published:
            return obj.get_absolute_url()
        return reverse("desk:preview", kwargs={"pk": obj.pk})

    @admin.display(description="On site")
    def site_link(self, article):
        label = "View" if article.is_published else "Preview"
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            self.view_on_site(article),
            label,
        )

    # Columns and read-only fields.

    @admin.display(description="Status", ordering="status")
    def state(self, article):
        return article.state_label

    @admin.display(description="Published", ordering="published_at")
    def published_time(self, article):
        return newsroom_time(article.published_at) or "–"

    @admin.display(description="Reading time", ordering="word_count")
    def reading_time(self, article):
        return f"{article.reading_minutes} min"

    @admin.display(description="Last updated", ordering="updated_at")
    def last_updated(self, article):
        who = article.updated_by
        if who is None:
            return newsroom_time(article.updated_at)
        return f"{newsroom_time(article.updated_at)} by {who.get_username()}"

    @admin.display(description="Word count")
    def word_count_display(self, article):
        words = article.word_count if article.pk else 0
        return format_html('<span data-live="word-count">{}</span>', words)

    @admin.display(description="Reading time")
    def reading_time_display(self, article):
        return format_html(
            '<span data-live="reading-time">{}</span> min', article.reading_minutes
        )

    @admin.display(description="Record")
    def record(self, article):
        if not article.pk:
            return "Not saved yet."
        return format_html(
            "Version {}. Created {} by {}; last saved {} by {}.",
            article.version,
            newsroom_time(article.created_at),
            article.created_by or "–",
            newsroom_time(article.updated_at),
            article.updated_by or "–",
        )

    # Actions.

    @admin.action(description="Publish now", permissions=["publish"])
    @transaction.atomic
    def publish_now(self, request, queryset):
        to_publish = [story for story in queryset if not story.is_published]
        for story in to_publish:
            services.publish_article(article=story, user=request.user)
        self.report(request, len(to_publish), len(queryset), "published", "live")

    @admin.action(description="Unpublish (back to draft)", permissions=["publish"])
    @transaction.atomic
    def unpublish(self, request, queryset):
        to_draft = [s for s in queryset if s.status != Article.Status.DRAFT]
        for story in to_draft:
            services.unpublish_article(article=story, user=request.user)
        self.report(
            request, len(to_draft), len(queryset), "moved back to draft", "in draft"
        )

    def report(self, request, changed, selected, done, already):
        message = f"{stories(changed)} {done}."
        if selected > changed:
            message += (
                f" {stories(selected - changed)} already {already}, left unchanged."
            )
        self.message_user(
            request, message, messages.SUCCESS if changed else messages.WARNING
        )
