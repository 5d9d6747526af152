"""The nginx rows of `make bench`: the reader's pages through deploy/nginx's
micro-cache, beside nginx serving a static file itself.

Not measured yet: this is where they go once deploy/nginx/ is in the
checkout. `serve()` is given the warm app server's address and the site's
folders; it starts nginx in front of it and yields the rows to load. Each
row is a `Target` whose `baseline` names nginx's own static-file row, so
that its ratio is against nginx, as the targets ask (warm pages through
nginx at 0.5 or more of nginx's static file). The bench loads these rows in
its rounds, interleaved with the others, and stops nginx afterwards.
"""

import contextlib

from bench_load import Target  # noqa: F401  (the rows serve() yields)

# The label of nginx's static-file row: the targets look for it.
STATIC = "nginx: static file"


def available():
    """Whether the nginx rows can be measured in this checkout."""
    return False


@contextlib.contextmanager
def serve(*, app_port, static_root, media_root, tmp, pages):
    """Rows for nginx in front of the app server on 127.0.0.1:`app_port`.

    `static_root` and `media_root` are the site's STATIC_ROOT and MEDIA_ROOT;
    `tmp` a folder for nginx's configuration, cache, logs and pid file;
    `pages` maps each warm page's row label to its path, and "static" to the
    static file's path. Yields a list of Targets: nginx's static file
    (label STATIC, baseline STATIC, page and state "static") and each warm
    page through the micro-cache (e.g. "story page, nginx": page as in the
    gunicorn rows, state "nginx", baseline STATIC).
    """
    yield []
