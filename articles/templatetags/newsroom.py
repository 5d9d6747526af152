import json

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from core.characters import clean_text
from core.links import absolute as absolute_url

from .. import formats, metadata
from ..sharing import share_links

register = template.Library()


register.filter(formats.newsroom_time)
register.filter(formats.machine_time)
# For XML documents made from templates (the news sitemap): a stored row
# with a character XML cannot carry must not make the document ill-formed.
register.filter("clean_text", clean_text)


@register.simple_tag
def article_share_links(article):
    return share_links(url=article.absolute_url, title=article.headline)


@register.filter
def absolute(url):
    """A path on the site as an absolute URL on SITE_URL."""
    return absolute_url(url) if url else ""


# Inside <script>, "</script>" or "<!--" in a headline would end or confuse
# the element; JSON lets those characters be written as escapes instead.
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


@register.simple_tag
def news_article_json_ld(article):
    """The story's schema.org NewsArticle as a JSON-LD script element."""
    data = json.dumps(metadata.news_article(article), ensure_ascii=False, indent=2)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(data.translate(_SCRIPT_SAFE)),
    )
