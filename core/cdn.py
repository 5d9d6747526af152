"""Telling a CDN or caching proxy in front of the site what changed.

Reader pages name what they show in `Surrogate-Key` (Fastly, Varnish with
xkey) and `Cache-Tag` (Cloudflare): "story-12 source-3", "front", "feeds".
After a change commits, desk/services/ calls `purge(tags)` and the
configured CDN drops every page carrying one of them; readers get the new
version at once instead of when `s-maxage` runs out.

Off unless `CDN_PURGE` names one of the kinds below. A purge that fails is
logged and otherwise ignored: the pages still expire by their `s-maxage`,
and an editor's save must never fail because a CDN did not answer.
See docs/cdn.md.
"""

import json
import logging
import urllib.request
from urllib.error import URLError

from django.conf import settings

logger = logging.getLogger(__name__)

TIMEOUT = 5  # seconds: the editor is waiting
# Cloudflare takes at most 30 tags a call; Fastly 256.
BATCH = {"cloudflare": 30, "fastly": 256, "varnish": 100}


def surrogate_headers(tags):
    """The response headers that name `tags` for every supported CDN."""
    tags = sorted(set(tags))
    return {"Surrogate-Key": " ".join(tags), "Cache-Tag": ",".join(tags)}


def purge(tags):
    kind = settings.CDN_PURGE
    if not kind or not tags:
        return
    tags = sorted(set(tags))
    send = {"fastly": _fastly, "cloudflare": _cloudflare, "varnish": _varnish}[kind]
    size = BATCH[kind]
    for start in range(0, len(tags), size):
        batch = tags[start : start + size]
        try:
            with urllib.request.urlopen(send(batch), timeout=TIMEOUT) as response:
                response.read()
        except (URLError, OSError, ValueError) as error:
            logger.error("CDN purge of %s failed: %s", " ".join(batch), error)
        else:
            logger.info("CDN purged %s", " ".join(batch))


def _fastly(tags):
    # https://www.fastly.com/documentation/reference/api/purging/
    url = f"{settings.CDN_API_URL or 'https://api.fastly.com'}"
    return urllib.request.Request(
        f"{url.rstrip('/')}/service/{settings.CDN_SERVICE_ID}/purge",
        method="POST",
        headers={
            "Fastly-Key": settings.CDN_API_TOKEN,
            "Surrogate-Key": " ".join(tags),
            "Accept": "application/json",
        },
    )


def _cloudflare(tags):
    # https://developers.cloudflare.com/cache/how-to/purge-cache/purge-by-tags/
    url = settings.CDN_API_URL or "https://api.cloudflare.com/client/v4"
    return urllib.request.Request(
        f"{url.rstrip('/')}/zones/{settings.CDN_SERVICE_ID}/purge_cache",
        method="POST",
        data=json.dumps({"tags": tags}).encode(),
        headers={
            "Authorization": f"Bearer {settings.CDN_API_TOKEN}",
            "Content-Type": "application/json",
        },
    )


def _varnish(tags):
    # varnish-modules' xkey: the VCL in docs/cdn.md answers PURGE requests
    # by purging every object whose xkey holds one of these.
    return urllib.request.Request(
        settings.CDN_API_URL, method="PURGE", headers={"xkey-purge": " ".join(tags)}
    )
