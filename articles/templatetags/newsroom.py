import json

from django import template
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from .. import metadata
from ..sharing import share_links

register = template.Library()


@register.filter
def newsroom_time(value):
    """'24 December 2016 9:44am' in the newsroom's time zone."""
    if not value:
        return ""
    local = timezone.localtime(value)
    return format_date(local, "j F Y g:i") + ("am" if local.hour < 12 else "pm")


@register.filter
def machine_time(value):
    """'2016-12-24T09:44:00+11:00' for a <time datetime>.

    Django's `date:"c"` keeps microseconds, and HTML allows at most three
    digits of a fraction of a second; whole seconds are precise enough.
    """
    if not value:
        return ""
    return timezone.localtime(value).replace(microsecond=0).isoformat()


@register.simple_tag
def article_share_links(article):
    return share_links(url=article.absolute_url, title=article.headline)


@register.filter
def absolute(url):
    """A path on the site as an absolute URL on SITE_URL."""
    return metadata.absolute(url) if url else ""


@register.filter
def modified_at(article):
    return metadata.modified_at(article)


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
