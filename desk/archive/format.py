"""What each record of an archive holds, and how a value is written and read.

A field's kind says how it is written: "int", "text", "time" (ISO 8601, with
its offset), "user" (the username, for a foreign key to an account), "ref"
(an id, for a foreign key to a row in the archive), "bool"; with "?", it may
be null.
Adding a column to one of these models changes the format: a test checks
every column is listed here.
"""

import datetime

from articles.models import (
    Article,
    Author,
    Authorship,
    FrontPagePin,
    Section,
    SlugRedirect,
    Source,
    SourceRedirect,
    Topic,
)

FORMAT = "newsroom-content"
# Raise it whenever a record gains, loses or changes a field; an archive of a
# newer version is refused by the code that reads it.
# Version 2 added sections, authors, topics and the front page's places.
VERSION = 2

MANIFEST = "manifest.json"
MEDIA_INDEX = "media.jsonl"
MEDIA_FOLDER = "media/"

SOURCE_FIELDS = {
    "id": "int",
    "name": "text",
    "slug": "text",
    "url": "text",
    "description": "text",
    "updated_at": "time",
}

SECTION_FIELDS = {
    "id": "int",
    "name": "text",
    "slug": "text",
    "description": "text",
    "position": "int",
    "in_navigation": "bool",
    "updated_at": "time",
}

AUTHOR_FIELDS = {
    "id": "int",
    "name": "text",
    "slug": "text",
    "title": "text",
    "bio": "text",
    "photo": "text",
    "photo_width": "int?",
    "photo_height": "int?",
    "website": "text",
    "profiles": "text",
    "updated_at": "time",
}

TOPIC_FIELDS = {
    "id": "int",
    "name": "text",
    "slug": "text",
    "description": "text",
    "updated_at": "time",
}

STORY_FIELDS = {
    "id": "int",
    "headline": "text",
    "slug": "text",
    "standfirst": "text",
    "body": "text",
    # Written so that the archive can be read without Newsroom; a restore
    # renders it again from `body` (see reader.py).
    "body_html": "text",
    "word_count": "int",
    "byline": "text",
    "source": "ref",
    "section": "ref",
    "label": "text",
    "status": "text",
    "published_at": "time?",
    "created_at": "time",
    "updated_at": "time",
    "created_by": "user?",
    "updated_by": "user?",
    "version": "int",
    "image": "text",
    "image_width": "int?",
    "image_height": "int?",
    "image_alt": "text",
    "image_caption": "text",
    "image_credit": "text",
    "thumbnail": "text",
    "address_went_live": "bool",
}

# The history's own record of each story: no derived fields.
VERSION_FIELDS = {
    "history_id": "int",
    "id": "int",
    **{
        name: kind
        for name, kind in STORY_FIELDS.items()
        if name
        not in ("id", "body_html", "word_count", "thumbnail", "address_went_live")
    },
    # A version may name a source or section deleted since.
    "source": "ref?",
    "section": "ref?",
    "history_date": "time",
    "history_change_reason": "text?",
    "history_type": "text",
    "history_user": "user?",
}

REDIRECT_FIELDS = {
    "id": "int",
    "slug": "text",
    "article": "ref",
    "created_at": "time",
}

SOURCE_REDIRECT_FIELDS = {
    "id": "int",
    "slug": "text",
    "source": "ref",
    "created_at": "time",
}

AUTHORSHIP_FIELDS = {
    "id": "int",
    "article": "ref",
    "author": "ref",
    "position": "int",
}

STORY_TOPIC_FIELDS = {"id": "int", "article": "ref", "topic": "ref"}

FRONT_PAGE_FIELDS = {
    "id": "int",
    "slot": "int",
    "article": "ref",
    "ends_at": "time?",
    "pinned_by": "user?",
    "pinned_at": "time",
}

MEDIA_FIELDS = {"name": "text", "size": "int?", "sha256": "text?"}

# Each records file: its model and fields, in the order they are restored.
RECORDS = {
    "sources.jsonl": (Source, SOURCE_FIELDS),
    "sections.jsonl": (Section, SECTION_FIELDS),
    "authors.jsonl": (Author, AUTHOR_FIELDS),
    "topics.jsonl": (Topic, TOPIC_FIELDS),
    "stories.jsonl": (Article, STORY_FIELDS),
    "versions.jsonl": (Article.history.model, VERSION_FIELDS),
    "authorships.jsonl": (Authorship, AUTHORSHIP_FIELDS),
    "story_topics.jsonl": (Article.topics.through, STORY_TOPIC_FIELDS),
    "redirects.jsonl": (SlugRedirect, REDIRECT_FIELDS),
    "source_redirects.jsonl": (SourceRedirect, SOURCE_REDIRECT_FIELDS),
    "front_page.jsonl": (FrontPagePin, FRONT_PAGE_FIELDS),
}

# The rows each record's references must name, in files read before it.
REFERENCES = {
    "stories.jsonl": [("source_id", "sources.jsonl"), ("section_id", "sections.jsonl")],
    "authorships.jsonl": [
        ("article_id", "stories.jsonl"),
        ("author_id", "authors.jsonl"),
    ],
    "story_topics.jsonl": [
        ("article_id", "stories.jsonl"),
        ("topic_id", "topics.jsonl"),
    ],
    "redirects.jsonl": [("article_id", "stories.jsonl")],
    "source_redirects.jsonl": [("source_id", "sources.jsonl")],
    "front_page.jsonl": [("article_id", "stories.jsonl")],
}
# The columns whose values are names of stored files.
FILE_FIELDS = ("image", "thumbnail", "photo")


class ArchiveError(Exception):
    """The archive cannot be read or restored here; the message says why."""


def column(name, kind):
    """The attribute that holds a field's value on the model."""
    return f"{name}_id" if kind.rstrip("?") in ("user", "ref") else name


def dump(value, kind, usernames):
    """A field's value as JSON holds it."""
    if value is None:
        return None
    kind = kind.rstrip("?")
    if kind == "time":
        return value.astimezone(datetime.UTC).isoformat()
    if kind == "user":
        return usernames.get(value)
    return value


def load(value, kind, user_ids):
    """A field's value from JSON, or ValueError saying what is wrong."""
    optional, kind = kind.endswith("?"), kind.rstrip("?")
    if value is None:
        if optional:
            return None
        raise ValueError("is missing")
    if kind in ("int", "ref"):
        if type(value) is not int or value < 0:
            raise ValueError("must be a whole number")
        return value
    if kind == "bool":
        if type(value) is not bool:
            raise ValueError("must be true or false")
        return value
    if not isinstance(value, str):
        raise ValueError("must be text")
    if kind == "time":
        try:
            moment = datetime.datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(f"is not a time: {value!r}") from None
        if moment.tzinfo is None:
            raise ValueError(f"has no time zone: {value!r}")
        return moment
    if kind == "user":
        # An account missing here: kept without it, and the report says so.
        return user_ids.get(value)
    return value
