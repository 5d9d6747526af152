"""The reader's pages: the front page, a source's page and a story.

Each is served through the shared page cache (`reader_page`): rendered once
for each edition of the site, then answered from the cache with no query.
"""

from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import http_date
from django.views.generic import DetailView, ListView

from core import pagecache

from .edition import EditionPaginator, reader_page, state_for
from .models import Article, Source

# A browser's lifetime for reader pages: lists change whenever a story is
# published, and a story whenever it is corrected; a minute keeps both fresh.
MAX_AGE = 60


class PublishedArticlesMixin:
    paginate_by = 20
    # Which listing this is, for the count kept per edition.
    scope = "front"

    def get_queryset(self):
        return Article.objects.published().with_source()

    def paginate_queryset(self, queryset, page_size):
        # Lists show cards: the stories' bodies are never read.
        return super().paginate_queryset(queryset.for_cards(), page_size)

    def get_paginator(self, queryset, per_page, **kwargs):
        state = state_for(self.request)
        return EditionPaginator(
            queryset, per_page, scope=self.scope, state=state, **kwargs
        )


@method_decorator(reader_page(max_age=MAX_AGE, query=["page"]), name="dispatch")
class ArticleListView(PublishedArticlesMixin, ListView):
    template_name = "articles/article_list.html"

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        return pagecache.tag(response, "front")


@method_decorator(reader_page(max_age=MAX_AGE, query=["page"]), name="dispatch")
class SourceArticleListView(PublishedArticlesMixin, ListView):
    template_name = "articles/source_detail.html"

    def get(self, request, *args, **kwargs):
        self.source = Source.objects.filter(slug=kwargs["slug"]).first()
        if self.source is None:
            return source_moved(request, kwargs["slug"], "articles:source")
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        self.scope = f"source:{self.source.pk}"
        return super().get_queryset().filter(source=self.source)

    def get_context_data(self, **kwargs):
        return super().get_context_data(source=self.source, **kwargs)

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        return pagecache.tag(response, f"source-{self.source.slug}")


@method_decorator(reader_page(max_age=MAX_AGE), name="dispatch")
class ArticleDetailView(PublishedArticlesMixin, DetailView):
    template_name = "articles/article_detail.html"

    def get_queryset(self):
        return super().get_queryset().for_reading()

    def get(self, request, *args, **kwargs):
        try:
            self.object = self.get_object()
        except Http404:
            # Links already out there (shares, feeds) outlive a slug edit.
            renamed = self.get_queryset().formerly_at(self.kwargs["slug"]).first()
            if renamed is None:
                raise
            return self.moved(renamed)
        if request.path != self.object.get_absolute_url():
            # Same story, other date in the URL (e.g. its time was corrected).
            return self.moved(self.object)
        response = self.render_to_response(self.get_context_data(object=self.object))
        return self.validated(response, self.object)

    @staticmethod
    def moved(story):
        # Tagged as the story: when it moves again, the purge reaches this.
        response = redirect(story.get_absolute_url(), permanent=True)
        return pagecache.tag(response, f"story-{story.pk}")

    @staticmethod
    def validated(response, story):
        """The story's own validators: an edit anywhere else on the site
        re-renders its page, but a browser's copy stays current."""
        source = story.source
        response["ETag"] = pagecache.etag(
            "story", story.pk, story.version, story.published_at, source.updated_at
        )
        changed = max(story.modified_at, source.updated_at)
        response["Last-Modified"] = http_date(changed.timestamp())
        return pagecache.tag(response, f"story-{story.pk}", f"source-{source.slug}")


def source_moved(request, slug, url_name):
    """A permanent redirect from a source's old slug to the page named
    `url_name` at its new one (its page, its feeds), page number kept; 404
    if no source was ever there."""
    source = Source.formerly_at(slug)
    if source is None:
        raise Http404("No such source.")
    location = reverse(url_name, kwargs={"slug": source.slug})
    if query := request.GET.urlencode():
        location += f"?{query}"
    response = redirect(location, permanent=True)
    return pagecache.tag(response, f"source-{source.slug}")
