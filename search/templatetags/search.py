from django import template

from ..highlight import has_match, marked, passage

register = template.Library()


@register.filter
def highlighted(text):
    """Text a search returned, escaped, with its matches marked."""
    return marked(text)


@register.filter
def search_snippet(story):
    """What a result shows under its headline: the passage of the body that
    matched, else the standfirst (which may hold the match, and is the
    story's own summary when only the headline matched)."""
    if has_match(story.marked_body):
        return marked(passage(story.marked_body))
    return marked(story.marked_standfirst)
