from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import DetailView, ListView

from . import freshness
from .models import Article, Source

# Story pages change rarely once out; a minute keeps corrections prompt.
STORY_MAX_AGE = 60


# Lists change whenever a story is published; a minute keeps them fresh.
LIST_MAX_AGE = 60


class PublishedArticlesMixin:
    paginate_by = 20

    def get_queryset(self):
        return Article.objects.published().with_source()


class FreshListMixin(PublishedArticlesMixin):
    """A list of stories answered with ETag/Last-Modified, 304s and the
    shared rendered-page cache, like feeds and story pages."""

    def get(self, request, *args, **kwargs):
        return freshness.respond(
            request,
            self.validators(),
            lambda: super(FreshListMixin, self).get(request, *args, **kwargs),
            max_age=LIST_MAX_AGE,
        )

    def validators(self):
        return freshness.for_stories(self.get_queryset())


class ArticleListView(FreshListMixin, ListView):
    template_name = "articles/article_list.html"


class SourceArticleListView(FreshListMixin, ListView):
    template_name = "articles/source_detail.html"

    def get_queryset(self):
        if not hasattr(self, "source"):
            self.source = get_object_or_404(Source, slug=self.kwargs["slug"])
        return super().get_queryset().filter(source=self.source)

    def validators(self):
        # The page shows the source's own name and description too.
        return freshness.for_stories(
            self.get_queryset(), also_changed_at=self.source.updated_at
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(source=self.source, **kwargs)


class ArticleDetailView(PublishedArticlesMixin, DetailView):
    template_name = "articles/article_detail.html"

    def get(self, request, *args, **kwargs):
        try:
            self.object = self.get_object()
        except Http404:
            # Links already out there (shares, feeds) outlive a slug edit.
            renamed = self.get_queryset().formerly_at(self.kwargs["slug"]).first()
            if renamed is None:
                raise
            return redirect(renamed.get_absolute_url(), permanent=True)
        canonical = self.object.get_absolute_url()
        if request.path != canonical:
            # Same story, other date in the URL (e.g. its time was corrected).
            return redirect(canonical, permanent=True)
        return freshness.respond(
            request,
            freshness.for_story(self.object),
            lambda: self.render_to_response(self.get_context_data(object=self.object)),
            max_age=STORY_MAX_AGE,
        )
