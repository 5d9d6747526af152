"""The address a request came from, for the login throttle (django-axes
asks `client_address`; settings.AXES_CLIENT_IP_CALLABLE)."""

import ipaddress
import logging

from django.conf import settings

logger = logging.getLogger(__name__)


def client_address(request):
    """The client's address as the outermost trusted proxy saw it.

    Each proxy appends the address it was connected from to
    X-Forwarded-For (nginx's $proxy_add_x_forwarded_for), so with
    TRUSTED_PROXY_COUNT proxies in front, the entry that many from the
    right was written by the outermost one. Anything left of it came from
    the client and may be made up. With no proxy trusted, the header is
    ignored and the address is the connection's own, REMOTE_ADDR.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    forwarded = [
        entry.strip()
        for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if entry.strip()
    ]
    proxies = settings.TRUSTED_PROXY_COUNT
    if not proxies:
        if forwarded and _is_internal(remote):
            # Behind a proxy nobody told us about: every client would share
            # the proxy's address, and one person's failed logins would lock
            # the whole desk out.
            logger.warning(
                "X-Forwarded-For from %s ignored: set TRUSTED_PROXY_COUNT to the "
                "number of proxies in front of the app",
                remote,
            )
        return remote
    if not forwarded:
        return remote
    # Fewer entries than proxies: the request skipped the outer ones, and
    # the leftmost entry was written by the first proxy it met.
    candidate = forwarded[-min(proxies, len(forwarded))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        logger.warning("X-Forwarded-For entry %r is not an address", candidate)
        return remote


def _is_internal(address):
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return False
    return parsed.is_loopback or parsed.is_private
