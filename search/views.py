"""The reader's search page and the OpenSearch description.

Not served through the page cache, which keys a page on its address and
page number alone; each search is rendered afresh, in a fixed number of
queries whatever the archive's size: the sections and sources offered, one
count and one page of results.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.functional import cached_property
from django.views.decorators.cache import cache_control
from django.views.generic import ListView

from articles.models import Article, Section, Source
from core import pagecache
from core.links import absolute

from . import selectors
from .forms import SearchForm

# As the site's other pages: a browser or a CDN may keep a result a minute.
MAX_AGE = 60
OPENSEARCH_MAX_AGE = 60 * 60 * 24
# What browsers allow an OpenSearch engine's short name.
SHORT_NAME_LENGTH = 16


class SearchPaginator(Paginator):
    """Counts the matches without marking them: on SQLite, the page's own
    query joins the FTS5 table, and counting through it would read every
    story holding the words again."""

    def __init__(self, *args, matches, **kwargs):
        super().__init__(*args, **kwargs)
        self.matches = matches

    @cached_property
    def count(self):
        return self.matches.count()


class SearchView(ListView):
    template_name = "search/results.html"
    context_object_name = "results"
    paginate_by = 20

    def get(self, request, *args, **kwargs):
        self.form = SearchForm(
            request.GET,
            sections=Section.objects.values_list("slug", "name"),
            sources=Source.objects.values_list("slug", "name"),
        )
        response = super().get(request, *args, **kwargs)
        patch_cache_control(response, public=True, max_age=MAX_AGE)
        # Results pages are for readers, not for search engines' indexes.
        response["X-Robots-Tag"] = "noindex"
        # Every change readers can see purges the front page's tag: a CDN's
        # copy of a search goes with it.
        return pagecache.tag(response, "front")

    def get_queryset(self):
        if not self.form.query:
            self.found = None
            return Article.objects.none()
        self.found = selectors.search_stories(**self.form.search_arguments())
        return self.found.stories

    def get_paginator(self, queryset, per_page, **kwargs):
        matches = self.found.matches if self.found else queryset
        return SearchPaginator(queryset, per_page, matches=matches, **kwargs)

    def get_context_data(self, **kwargs):
        given = [
            (name, self.form.data[name])
            for name in self.form.fields
            if self.form.data.get(name)
        ]
        return super().get_context_data(
            form=self.form,
            query=self.form.query,
            # What a page link keeps: the query and its filters.
            search_params=urlencode(given),
            max_results=selectors.MAX_RESULTS,
            **kwargs,
        )


@cache_control(public=True, max_age=OPENSEARCH_MAX_AGE)
def opensearch(request):
    """Lets browsers offer the site's search in their address bar."""
    context = {
        "short_name": settings.SITE_NAME[:SHORT_NAME_LENGTH],
        "search_url": absolute(reverse("search:index")),
        "self_url": absolute(reverse("search:opensearch")),
        "icon_url": absolute(static("img/favicon.svg")),
    }
    return render(
        request,
        "search/opensearch.xml",
        context,
        content_type="application/opensearchdescription+xml; charset=utf-8",
    )
