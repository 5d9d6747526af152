import json
from urllib.parse import urlsplit

from django import template
from django.db import DatabaseError
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from core.characters import clean_text
from core.links import absolute as absolute_url

from .. import formats, metadata
from ..models import Article
from ..sharing import share_links

register = template.Library()


register.filter(formats.newsroom_time)
register.filter(formats.machine_time)
register.filter(formats.relative_time)
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
def json_ld(data):
    """`data` as a JSON-LD script element."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(text.translate(_SCRIPT_SAFE)),
    )


@register.simple_tag
def news_article_json_ld(article):
    """The story's schema.org NewsArticle as a JSON-LD script element."""
    return json_ld(metadata.news_article(article))


@register.simple_tag
def today():
    """Today's date in the newsroom's zone, for the masthead."""
    return formats.today()


@register.simple_tag
def latest_stories(count=5):
    """The newest published stories, for a page with nothing else to offer
    (the 404 page); none when the database cannot be reached."""
    try:
        return list(Article.objects.published().with_source().for_cards()[:count])
    except DatabaseError:
        return []


# Where authors' profiles usually are, by host, as readers know them.
NETWORKS = {
    "bsky.app": "Bluesky",
    "facebook.com": "Facebook",
    "github.com": "GitHub",
    "instagram.com": "Instagram",
    "linkedin.com": "LinkedIn",
    "threads.net": "Threads",
    "twitter.com": "X (Twitter)",
    "x.com": "X (Twitter)",
    "youtube.com": "YouTube",
}


@register.filter
def link_label(url):
    """What a link to an author's profile says: the network's name, or the
    site's address."""
    host = (urlsplit(url).hostname or url).removeprefix("www.")
    return NETWORKS.get(host, host)
