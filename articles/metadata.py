"""What search engines and social sites read about a story: the absolute
URLs and dates for Open Graph, and schema.org `NewsArticle` JSON-LD."""

from django.conf import settings
from django.templatetags.static import static

from core.links import absolute

from .formats import local_time

LOGO = "img/logo.png"
LOGO_SIZE = (600, 60)


def _iso(moment):
    return local_time(moment).isoformat(timespec="seconds")


def _organization(source):
    organization = {"@type": "Organization", "name": source.name}
    if source.url:
        organization["url"] = source.url
    return organization


def news_article(article):
    """schema.org NewsArticle for a published story, as a dict for JSON."""
    source = article.source
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.headline,
        "description": article.standfirst,
        "url": article.absolute_url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": article.absolute_url},
        "datePublished": _iso(article.published_at),
        "dateModified": _iso(article.modified_at),
        # Without a byline the story is the agency's own.
        "author": [{"@type": "Person", "name": article.byline}]
        if article.byline
        else [_organization(source)],
        "publisher": {
            "@type": "Organization",
            "name": settings.SITE_NAME,
            "url": absolute("/"),
            "logo": {
                "@type": "ImageObject",
                "url": absolute(static(LOGO)),
                "width": LOGO_SIZE[0],
                "height": LOGO_SIZE[1],
            },
        },
        "sourceOrganization": _organization(source),
        "articleSection": source.name,
        "wordCount": article.word_count,
        "inLanguage": settings.LANGUAGE_CODE,
    }
    if article.image:
        image = {"@type": "ImageObject", "url": absolute(article.image.url)}
        if article.image_width and article.image_height:
            image |= {"width": article.image_width, "height": article.image_height}
        if article.image_caption:
            image["caption"] = article.image_caption
        data["image"] = [image]
    return data
