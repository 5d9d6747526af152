"""The page an editor gets once too many logins have failed (django-axes
calls `locked_out`; settings.AXES_LOCKOUT_CALLABLE).

429 Too Many Requests, not 403: the refusal is about how many attempts
were made, not about who is asking, and it ends by itself; Retry-After says
when, for people and for scripts alike.
"""

import math

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from articles.formats import newsroom_time


def locked_out(request, original_response=None, credentials=None):
    cool_off = settings.AXES_COOLOFF_TIME
    # Each attempt during a lockout starts the wait over (axes counts it),
    # so the wait runs from this one.
    attempted = getattr(request, "axes_attempt_time", None) or timezone.now()
    minutes = math.ceil(cool_off.total_seconds() / 60)
    until = attempted + cool_off
    # With its zone: an editor travelling, or abroad, reads it right.
    zone = timezone.localtime(until).tzname()
    response = render(
        request,
        "desk/locked_out.html",
        {"minutes": minutes, "until": f"{newsroom_time(until)} {zone}"},
        status=429,
    )
    response["Retry-After"] = str(int(cool_off.total_seconds()))
    add_never_cache_headers(response)
    return response
