"""The reader's pages: the front page, the listings (latest, a source's, a
section's, an author's, a topic's), a story, and the site's own pages.

Each is served through the shared page cache (`reader_page`): rendered once
for each edition of the site, then answered from the cache with no query.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import http_date
from django.views.generic import DetailView, ListView, TemplateView

from core import pagecache

from . import metadata, selectors
from .edition import EditionPaginator, reader_page, state_for
from .models import Article, Author, Section, SitePage, Source, Topic

# A browser's lifetime for reader pages: lists change whenever a story is
# published, and a story whenever it is corrected; a minute keeps both fresh.
MAX_AGE = 60

listing_page = method_decorator(
    reader_page(max_age=MAX_AGE, query=["page"]), name="dispatch"
)
single_page = method_decorator(reader_page(max_age=MAX_AGE), name="dispatch")


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


# The front page reads its page number only to send it on to /latest/.
@listing_page
class FrontPageView(TemplateView):
    """The lead, the second tier, each section's latest and the newest of
    the rest (articles/selectors.py). Its old page 2 onwards is /latest/."""

    template_name = "articles/front_page.html"

    def get(self, request, *args, **kwargs):
        if "page" in request.GET:
            return moved_to_latest(request)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        front = selectors.front_page()
        return super().get_context_data(
            front=front,
            # The masthead's, already read (articles/context_processors.py).
            navigation=selectors.in_navigation(
                front.navigation, state_for(self.request)
            ),
            meta=metadata.front_page(),
            **kwargs,
        )

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        return pagecache.tag(response, "front")


def moved_to_latest(request):
    """Page 2 onwards of the front page was the latest news, before the
    front page had an arrangement of its own; links to it keep working."""
    location = reverse("articles:latest")
    if query := request.GET.urlencode():
        location += f"?{query}"
    return pagecache.tag(redirect(location, permanent=True), "front")


@listing_page
class LatestView(PublishedArticlesMixin, ListView):
    template_name = "articles/latest.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["meta"] = metadata.latest(context["page_obj"], context["object_list"])
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        return pagecache.tag(response, "front")


class ListingView(PublishedArticlesMixin, ListView):
    """The published stories of one source, section, author or topic: the
    `owner`, found by its slug (404 if none has it)."""

    owner_model = None
    # What the owner is called in the edition's counts and the CDN's tags.
    kind = ""
    # The lookup from a story to its owner.
    lookup = ""
    describe = None  # metadata.<kind>

    def get(self, request, *args, **kwargs):
        self.owner = self.find_owner(kwargs["slug"])
        if self.owner is None:
            return self.not_here(request, kwargs["slug"])
        self.scope = f"{self.kind}:{self.owner.pk}"
        return super().get(request, *args, **kwargs)

    def find_owner(self, slug):
        return self.owner_model.objects.filter(slug=slug).first()

    def not_here(self, request, slug):
        raise Http404(f"No {self.kind} is called {slug}.")

    def get_queryset(self):
        return super().get_queryset().filter(**{self.lookup: self.owner})

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**{self.kind: self.owner}, **kwargs)
        context["meta"] = type(self).describe(
            self.owner, context["page_obj"], context["object_list"]
        )
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        return pagecache.tag(response, f"{self.kind}-{self.owner.slug}")


@listing_page
class SourceView(ListingView):
    template_name = "articles/source_detail.html"
    owner_model, kind, lookup = Source, "source", "source"
    describe = staticmethod(metadata.source)

    def not_here(self, request, slug):
        return source_moved(request, slug, "articles:source")


@listing_page
class SectionView(ListingView):
    template_name = "articles/section_detail.html"
    owner_model, kind, lookup = Section, "section", "section"
    describe = staticmethod(metadata.section)

    def get_context_data(self, **kwargs):
        # The masthead marks this section as the page being read.
        return super().get_context_data(
            current_section=self.owner, section_page=True, **kwargs
        )


@listing_page
class TopicView(ListingView):
    template_name = "articles/topic_detail.html"
    owner_model, kind, lookup = Topic, "topic", "topics"
    describe = staticmethod(metadata.topic)


@listing_page
class AuthorView(ListingView):
    template_name = "articles/author_detail.html"
    owner_model, kind, lookup = Author, "author", "authorship__author"

    @staticmethod
    def describe(author, page_obj, stories):
        return metadata.author(author, page_obj)


@single_page
class ArticleDetailView(PublishedArticlesMixin, DetailView):
    template_name = "articles/article_detail.html"

    def get_queryset(self):
        return super().get_queryset().with_credits().for_reading()

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

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            current_section=self.object.section,
            **selectors.keep_reading(self.object),
            **kwargs,
        )

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
        return pagecache.tag(
            response,
            f"story-{story.pk}",
            f"source-{source.slug}",
            f"section-{story.section.slug}",
        )


@single_page
class SitePageView(DetailView):
    """About, Contact, the corrections policy...: pages editors write."""

    template_name = "articles/site_page.html"
    context_object_name = "site_page"

    def get_object(self, queryset=None):
        return get_object_or_404(SitePage, slug=self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["meta"] = metadata.site_page(self.object)
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        return pagecache.tag(response, f"page-{self.object.slug}")


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
