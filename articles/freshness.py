"""Conditional GET for feeds and story pages.

Validators (ETag and Last-Modified) come from a couple of aggregate queries,
never from per-process state, so every app server gives the same answer and
a poll that finds nothing new costs no rendering: `304 Not Modified`.
"""

import datetime
import hashlib
import logging
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, F, Max
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from .models import Article

logger = logging.getLogger(__name__)

# Rendered feeds and story pages are kept in the shared cache under their
# ETag, so a cached copy can never be stale: any change makes a new ETag.
# The timeout only bounds how long a template change (a deploy) takes to
# reach pages whose content has not changed.
RENDERED_TIMEOUT = 10 * 60

# Part of every ETag: bump it when a change to the code or templates alters
# what feeds or story pages contain, so that clients fetch them afresh.
FORMAT = "1"


@dataclass(frozen=True)
class Validators:
    etag: str
    last_modified: datetime.datetime | None


def _etag(*parts):
    digest = hashlib.sha256("|".join(map(str, (FORMAT, *parts))).encode())
    # Weak: equivalent, not byte-identical (e.g. the year in the footer).
    return f'W/"{digest.hexdigest()[:32]}"'


def _latest(*moments):
    moments = [moment for moment in moments if moment is not None]
    return max(moments) if moments else None


def for_stories(stories, *, also_changed_at=None):
    """Validators for a listing of `stories`, a queryset of published stories.

    What a feed shows changes when a story in it is edited, when a scheduled
    story goes live (no row changes then: its `published_at` passes), and when
    a story leaves it (unpublished, moved to another source, deleted), and
    when the source credited on its items is edited. Stories leaving are
    caught through the history table, which records every save and delete,
    so Last-Modified never goes backwards. Only history of stories that had
    gone live counts: saving a draft or a scheduled story must neither
    invalidate every feed nor tell pollers that unpublished work is moving.
    """
    shown = stories.aggregate(
        count=Count("pk"),
        went_live=Max("published_at"),
        edited=Max("updated_at"),
        source_edited=Max("source__updated_at"),
    )
    any_change = Article.history.filter(published_at__lte=F("history_date")).aggregate(
        at=Max("history_date")
    )["at"]
    last_modified = _latest(
        shown["went_live"],
        shown["edited"],
        shown["source_edited"],
        any_change,
        also_changed_at,
    )
    return Validators(
        etag=_etag(
            "stories",
            shown["count"],
            shown["went_live"] and shown["went_live"].isoformat(),
            shown["edited"] and shown["edited"].isoformat(),
            shown["source_edited"] and shown["source_edited"].isoformat(),
            any_change and any_change.isoformat(),
            also_changed_at and also_changed_at.isoformat(),
        ),
        last_modified=last_modified,
    )


def for_story(article):
    """Validators for one story's page."""
    return Validators(
        etag=_etag(
            "story",
            article.pk,
            article.version,
            article.updated_at.isoformat(),
            article.published_at.isoformat(),
            article.source.updated_at.isoformat(),
        ),
        last_modified=_latest(
            article.published_at, article.updated_at, article.source.updated_at
        ),
    )


def respond(request, validators, build, *, max_age):
    """`304 Not Modified` (empty body) if the client's copy is current,
    otherwise `build()`; either way with the validators and a public
    Cache-Control max-age."""
    last_modified = (
        int(validators.last_modified.timestamp()) if validators.last_modified else None
    )
    response = get_conditional_response(
        request, etag=validators.etag, last_modified=last_modified
    )
    if response is None:
        response = _rendered(request, validators, build)
    if response.status_code in (200, 304):
        response.headers["ETag"] = validators.etag
        if last_modified is not None:
            response.headers["Last-Modified"] = http_date(last_modified)
        patch_cache_control(response, public=True, max_age=max_age)
    return response


def _rendered(request, validators, build):
    """`build()`'s response, from the shared cache when another request (on
    any app server) has already rendered this version of this URL.

    The cache is an accelerator, never a dependency: if Redis is down the
    page is rendered as if nothing were cached.
    """
    # The page number is the only query parameter any of these pages reads;
    # keying on the whole query string would let junk parameters fill the cache.
    page = request.GET.get("page", "")
    address = hashlib.sha256(f"{request.path}?page={page}".encode()).hexdigest()
    key = f"rendered:{address}:{validators.etag}"
    try:
        cached = cache.get(key)
    except Exception:  # Any backend's connection error; render instead.
        logger.warning("Cache unavailable; rendering %s", request.path, exc_info=True)
        cached = None
    if cached is not None:
        content, content_type = cached
        return HttpResponse(content, content_type=content_type)
    response = build()
    if hasattr(response, "render"):
        response.render()
    if response.status_code == 200 and not response.streaming:
        try:
            cache.set(
                key, (response.content, response["Content-Type"]), RENDERED_TIMEOUT
            )
        except Exception:
            logger.warning(
                "Cache unavailable; not storing %s", request.path, exc_info=True
            )
    return response
