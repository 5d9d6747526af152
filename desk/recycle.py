"""Deleted stories: the admin's "Deleted stories" page and each story's
restore page.

Deleting a story removes its row, but its history keeps a last record
("-") with every field as it was; these pages list those records to whoever
may bring the story back (policy.can_restore_deleted) and restore it
through services.restore_deleted_article, as a draft.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from articles.models import Article

from . import policy, services

PER_PAGE = 50


def deleted_stories(user):
    """The last record of each story deleted and not restored since, the
    latest deletion first: those `user` may restore."""
    records = Article.history.model.objects
    last = records.filter(id=OuterRef("id")).order_by("-history_id")
    found = (
        records.filter(history_type="-", history_id=Subquery(last.values("pk")[:1]))
        .exclude(id__in=Article.objects.values("pk"))
        .select_related("history_user", "source")
        .order_by("-history_date", "-history_id")
    )
    if not policy.can_publish(user):
        # policy.can_restore_deleted for everyone else (their own drafts),
        # as a query.
        found = found.filter(created_by_id=user.pk, status=Article.Status.DRAFT)
    return found


def deletion(story_id):
    """The record of `story_id`'s deletion, if it is deleted now; else None."""
    try:
        story_id = int(story_id)
    except (TypeError, ValueError):
        return None
    if Article.objects.filter(pk=story_id).exists():
        return None
    last = Article.history.filter(id=story_id).order_by("-history_id").first()
    return last if last is not None and last.history_type == "-" else None


def may_list(user):
    """Who gets the page at all: anyone who may write stories may have
    deleted some (the changelist's "Deleted stories" link follows "Add")."""
    return policy.can_create(user)


class RestoreForm(forms.Form):
    slug = forms.CharField(
        label="Address (slug)",
        max_length=200,
        required=False,
        help_text="Its old address, unless another story has taken it since.",
    )


def list_view(model_admin, request):
    if not may_list(request.user):
        raise PermissionDenied("Only editors and reporters see deleted stories.")
    records = deleted_stories(request.user)
    page = Paginator(records, PER_PAGE).get_page(request.GET.get("p"))
    context = {
        **_context(model_admin, request),
        "title": "Deleted stories",
        "page_obj": page,
        "records": [(record, record.instance) for record in page],
    }
    return TemplateResponse(
        request, "admin/articles/article/deleted_stories.html", context
    )


def restore_view(model_admin, request, story_id):
    """GET: what the story was and a Restore button; POST: restore it."""
    record = deletion(story_id)
    if record is None:
        raise Http404("No deleted story with that id.")
    story = record.instance
    if not policy.can_restore_deleted(request.user, story):
        raise PermissionDenied("This story was deleted. Only an editor may restore it.")
    form = RestoreForm(initial={"slug": record.slug})
    if request.method == "POST":
        # The list's button sends no slug: the story's own.
        form = RestoreForm({"slug": request.POST.get("slug") or record.slug})
    if form.is_bound and form.is_valid():
        try:
            restored = services.restore_deleted_article(
                story_id=story_id,
                user=request.user,
                slug=form.cleaned_data["slug"] or None,
            )
        except ValidationError as refused:
            _show_refusal(form, refused)
        else:
            model_admin.log_change(request, restored, "Restored after deletion")
            model_admin.message_user(
                request,
                f"“{restored}” is back, as a draft. Publish it when it should be "
                "on the site again: it keeps its original time and address.",
                messages.SUCCESS,
            )
            return redirect(reverse("admin:articles_article_change", args=[story_id]))
    context = {
        **_context(model_admin, request),
        "title": f"Restore “{story}”",
        "record": record,
        "story": story,
        "form": form,
    }
    return TemplateResponse(
        request, "admin/articles/article/restore_deleted.html", context
    )


def _show_refusal(form, refused):
    if not hasattr(refused, "error_dict"):
        form.add_error(None, refused)
        return
    for field, problems in refused.message_dict.items():
        form.add_error("slug" if field == "slug" else None, problems)


def _context(model_admin, request):
    request.current_app = model_admin.admin_site.name
    return {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "deleted_url": reverse("admin:articles_article_deleted"),
    }
