"""What search engines and social sites read about each page: its title,
description, canonical address, Open Graph and schema.org JSON-LD (a
story's `NewsArticle`, a listing's `CollectionPage`, an author's
`ProfilePage`), and the feeds it offers. Built here, in Python, and written
into the page's head by one template component (components/page_meta.html,
components/story_meta.html)."""

from dataclasses import dataclass, field

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse

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


def person(author):
    """schema.org Person for a staff author: their page, and their other
    profiles as `sameAs`."""
    data = {
        "@type": "Person",
        "name": author.name,
        "url": absolute(author.get_absolute_url()),
    }
    if author.title:
        data["jobTitle"] = author.title
    if author.links:
        data["sameAs"] = author.links
    return data


def _authors(article):
    credited = article.credited_authors
    if credited:
        return [person(author) for author in credited]
    # Without a staff author or a byline the story is the agency's own.
    if article.byline:
        return [{"@type": "Person", "name": article.byline}]
    return [_organization(article.source)]


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
        "author": _authors(article),
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
        "articleSection": article.section.name,
        "wordCount": article.word_count,
        "inLanguage": settings.LANGUAGE_CODE,
    }
    topics = [topic.name for topic in article.topics.all()]
    if topics:
        data["keywords"] = topics
    if article.image:
        image = {"@type": "ImageObject", "url": absolute(article.image.url)}
        if article.image_width and article.image_height:
            image |= {"width": article.image_width, "height": article.image_height}
        if article.image_caption:
            image["caption"] = article.image_caption
        data["image"] = [image]
    return data


def _website():
    return {"@type": "WebSite", "name": settings.SITE_NAME, "url": absolute("/")}


# Listing pages.


@dataclass(frozen=True)
class Feed:
    """A feed a page offers: `<link rel="alternate">` in its head, and a
    link on the page. `url` is a path on the site, as the site's own feeds'
    links are."""

    mime_type: str
    title: str
    url: str

    @property
    def label(self):
        return {"application/rss+xml": "RSS", "application/atom+xml": "Atom"}.get(
            self.mime_type, "JSON Feed"
        )


@dataclass
class PageMeta:
    """The head of a page that is not a story."""

    title: str  # the <title>
    heading: str  # what social sites show as its title
    description: str
    url: str  # canonical, absolute
    image: dict | None = None  # {"url", "width", "height", "alt"}
    json_ld: dict | None = None
    feeds: list = field(default_factory=list)
    og_type: str = "website"


def _feeds(name, rss, atom, **kwargs):
    return [
        Feed(
            "application/rss+xml",
            f"{settings.SITE_NAME}: {name} (RSS)",
            reverse(rss, kwargs=kwargs),
        ),
        Feed(
            "application/atom+xml",
            f"{settings.SITE_NAME}: {name} (Atom)",
            reverse(atom, kwargs=kwargs),
        ),
    ]


def _paged(url, page_obj):
    if page_obj is not None and page_obj.number > 1:
        return f"{url}?page={page_obj.number}"
    return url


def _titled(title, page_obj):
    page = f"Page {page_obj.number} · " if page_obj and page_obj.number > 1 else ""
    return f"{page}{title} · {settings.SITE_NAME}"


def front_page():
    """The front page: the site itself, and how to search it."""
    search = absolute(reverse("search:index")) + "?q={search_term_string}"
    return PageMeta(
        title=f"{settings.SITE_NAME}: latest news",
        heading=settings.SITE_NAME,
        description=f"The latest news from {settings.SITE_NAME}.",
        url=absolute(reverse("articles:index")),
        json_ld={
            "@context": "https://schema.org",
            **_website(),
            "potentialAction": {
                "@type": "SearchAction",
                "target": {"@type": "EntryPoint", "urlTemplate": search},
                "query-input": "required name=search_term_string",
            },
        },
    )


def _collection(*, name, description, url, stories):
    return {
        "@context": "https://schema.org",
        "@type": "CollectionPage",
        "name": name,
        "description": description,
        "url": url,
        "isPartOf": _website(),
        "mainEntity": {
            "@type": "ItemList",
            "itemListElement": [
                {"@type": "ListItem", "position": n, "url": story.absolute_url}
                for n, story in enumerate(stories, start=1)
            ],
        },
    }


def listing(*, heading, description, path, page_obj, stories, feeds=()):
    """A page listing stories: /latest/, a source's, section's or topic's."""
    url = _paged(absolute(path), page_obj)
    return PageMeta(
        title=_titled(heading, page_obj),
        heading=heading,
        description=description,
        url=url,
        json_ld=_collection(
            name=heading, description=description, url=url, stories=stories
        ),
        feeds=list(feeds),
    )


def latest(page_obj, stories):
    return listing(
        heading="Latest news",
        description=f"Every story on {settings.SITE_NAME}, newest first.",
        path=reverse("articles:latest"),
        page_obj=page_obj,
        stories=stories,
    )


def source(source, page_obj, stories):
    return listing(
        heading=f"Stories from {source.name}",
        description=source.description
        or f"The latest stories from {source.name} on {settings.SITE_NAME}.",
        path=source.get_absolute_url(),
        page_obj=page_obj,
        stories=stories,
        feeds=_feeds(
            f"stories from {source.name}",
            "distribution:source-feed",
            "distribution:source-feed-atom",
            slug=source.slug,
        ),
    )


def section(section, page_obj, stories):
    return listing(
        heading=section.name,
        description=section.description
        or f"The latest stories in {section.name} on {settings.SITE_NAME}.",
        path=section.get_absolute_url(),
        page_obj=page_obj,
        stories=stories,
        feeds=_feeds(
            section.name,
            "distribution:section-feed",
            "distribution:section-feed-atom",
            slug=section.slug,
        ),
    )


def topic(topic, page_obj, stories):
    return listing(
        heading=topic.name,
        description=topic.description
        or f"Stories about {topic.name} on {settings.SITE_NAME}.",
        path=topic.get_absolute_url(),
        page_obj=page_obj,
        stories=stories,
        feeds=_feeds(
            f"stories about {topic.name}",
            "distribution:topic-feed",
            "distribution:topic-feed-atom",
            slug=topic.slug,
        ),
    )


def author(author, page_obj):
    """An author's page: a ProfilePage about them."""
    url = _paged(absolute(author.get_absolute_url()), page_obj)
    if author.title:
        description = f"{author.name}, {author.title} at {settings.SITE_NAME}."
    else:
        description = f"Stories by {author.name} on {settings.SITE_NAME}."
    if author.bio:
        description = f"{description} {_first_sentence(author.bio)}"
    subject = person(author)
    if author.bio:
        subject["description"] = author.bio
    image = None
    if author.photo:
        subject["image"] = absolute(author.photo.url)
        image = {
            "url": subject["image"],
            "width": author.photo_width,
            "height": author.photo_height,
            "alt": f"{author.name}",
        }
    return PageMeta(
        title=_titled(author.name, page_obj),
        heading=author.name,
        description=description,
        url=url,
        image=image,
        og_type="profile",
        json_ld={
            "@context": "https://schema.org",
            "@type": "ProfilePage",
            "name": author.name,
            "url": url,
            "isPartOf": _website(),
            "mainEntity": subject,
        },
        feeds=_feeds(
            f"stories by {author.name}",
            "distribution:author-feed",
            "distribution:author-feed-atom",
            slug=author.slug,
        ),
    )


def site_page(page):
    url = absolute(page.get_absolute_url())
    return PageMeta(
        title=f"{page.title} · {settings.SITE_NAME}",
        heading=page.title,
        description=page.description,
        url=url,
        json_ld={
            "@context": "https://schema.org",
            "@type": "WebPage",
            "name": page.title,
            "description": page.description,
            "url": url,
            "isPartOf": _website(),
        },
    )


def _first_sentence(text, limit=200):
    text = " ".join(text.split())
    end = text.find(". ")
    sentence = text[: end + 1] if 0 <= end < limit else text
    if len(sentence) > limit:
        sentence = sentence[: limit - 1].rsplit(" ", 1)[0] + "…"
    return sentence
