"""Staff preview: any story, published or not, as readers will see it."""

from django.contrib.auth.mixins import UserPassesTestMixin
from django.http import Http404
from django.utils.cache import patch_cache_control
from django.views.generic import DetailView

from articles.models import Article

from . import policy


class StoryPreviewView(UserPassesTestMixin, DetailView):
    template_name = "articles/article_detail.html"
    queryset = Article.objects.with_source()

    def test_func(self):
        return policy.can_preview(self.request.user)

    def handle_no_permission(self):
        # Readers learn nothing about unpublished stories, not even that
        # they exist.
        raise Http404("No such story.")

    def get_context_data(self, **kwargs):
        return super().get_context_data(preview=True, **kwargs)

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        patch_cache_control(response, private=True, no_store=True, no_cache=True)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response
