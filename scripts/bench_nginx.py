"""The nginx rows of `make bench`: the reader's pages through deploy/nginx's
micro-cache, beside nginx serving a static file itself.

nginx runs the repository's deploy/nginx/newsroom.conf as shipped, written
out for this machine by scripts/nginx_local.py as the tests run it: TLS
with a throwaway certificate, listening on free ports of 127.0.0.1, in
front of the bench's warm gunicorn, with /static/ from the site's
STATIC_ROOT. The main configuration is Debian's with its paths in a folder
of the bench's temporary one, and two workers (Debian's `auto`, one per
core). wrk connects over https and keeps its connections open, as a
browser does; so every nginx row, the static file included, pays for TLS.

Each row is a `Target` whose `baseline` is nginx's own static-file row, so
that its ratio is against nginx, as the target asks (warm pages through
nginx at 0.5 or more of nginx's static file). The bench loads these rows in
its rounds, interleaved with the others, asks `confirm_cached()` after the
warm-up whether every page is a micro-cache HIT, and stops nginx when the
block ends, also on an error or Ctrl-C.
"""

import contextlib
import http.client
import os
import signal
import socket
import ssl
import subprocess
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import nginx_local
from bench_load import Target, WrongStatus
from bench_site import die_with_parent, free_port

# The label of nginx's static-file row: the targets look for it.
STATIC = "nginx: static file"
# Debian's worker_processes: one per core.
WORKERS = "auto"


def available():
    """Whether the nginx rows can be measured here (nginx and openssl are
    installed)."""
    return nginx_local.available()


def version():
    """nginx's version, as `nginx -v` gives it."""
    done = subprocess.run(
        [nginx_local.NGINX, "-v"], capture_output=True, text=True, timeout=10
    )
    return done.stderr.strip().removeprefix("nginx version: ")


@dataclass
class Nginx:
    """The rows to load, and what the bench can ask of nginx meanwhile."""

    rows: list  # Targets
    port: int
    context: ssl.SSLContext  # trusts the throwaway certificate

    def get(self, path):
        """(status, X-Cache-Status) of one GET of `path`."""
        connection = http.client.HTTPSConnection(
            "127.0.0.1", self.port, context=self.context, timeout=10
        )
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            return response.status, response.getheader("X-Cache-Status")
        finally:
            connection.close()

    def confirm_cached(self, *, within=3.0):
        """Raise WrongStatus unless every page through nginx answers
        `X-Cache-Status: HIT`. A copy older than the micro-cache's five
        seconds is first answered STALE while nginx fetches the new one in
        the background, so each page is asked again, briefly, until it is a
        HIT; a page that never is would be measured as gunicorn behind
        nginx, not as the micro-cache."""
        for row in self.rows:
            if row.state != "nginx":
                continue
            address = urlsplit(row.url)
            path = f"{address.path}?{address.query}" if address.query else address.path
            seen = []
            deadline = time.monotonic() + within
            while not seen or time.monotonic() < deadline:
                status, cached = self.get(path)
                seen.append(f"{status} {cached}")
                if (status, cached) == (200, "HIT"):
                    break
                time.sleep(0.05)
            else:
                answers = ", ".join(f"{a} ({n}x)" for a, n in Counter(seen).items())
                raise WrongStatus(
                    f"{row.label} ({row.url}) is not cached by nginx after the "
                    f"warm-up: in {within:g} s it answered {answers}"
                )


@contextlib.contextmanager
def serve(*, app_port, static_root, media_root, tmp, static_path, pages):
    """nginx in front of the app server on 127.0.0.1:`app_port`, until the
    block ends; yields an Nginx.

    `static_root` and `media_root` are the site's STATIC_ROOT and MEDIA_ROOT;
    nginx's configuration, cache, error log, pid file and temporary files go
    in a new folder inside `tmp`. `static_path` is the static file's
    address, `pages` the (page, name, path) of each page measured. The rows:
    nginx's static file (label STATIC, baseline STATIC, page and state
    "static") and each page through the micro-cache (e.g. "story page,
    nginx": page as in the gunicorn rows, state "nginx", baseline STATIC).
    """
    folder = Path(tempfile.mkdtemp(prefix="nginx-", dir=tmp))
    https_port = free_port()
    rendered = nginx_local.render(
        folder,
        https_port=https_port,
        http_port=free_port(),
        upstream_port=app_port,
        static_root=static_root,
        media_root=media_root,
        # As gunicorn's in the bench: a line a request, written nowhere.
        access_log="/dev/null",
        worker_processes=WORKERS,
    )
    nginx_local.check(rendered)
    log = folder / "nginx.log"
    with open(log, "w") as output:
        process = subprocess.Popen(
            [*rendered.command, "-g", "daemon off;"],
            stdout=output,
            stderr=subprocess.STDOUT,
            preexec_fn=die_with_parent,
        )
    try:
        listening(process, https_port, lambda: logged(log, rendered.error_log))
        base = f"https://127.0.0.1:{https_port}"
        rows = [Target(STATIC, base + static_path, STATIC, "static", "static")]
        rows += [
            Target(f"{name}, nginx", base + path, STATIC, page, "nginx")
            for page, name, path in pages
        ]
        context = ssl.create_default_context(cafile=str(rendered.cert))
        yield Nginx(rows, https_port, context)
    finally:
        stop(process)


def listening(process, port, logged, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"nginx exited:\n{logged()}")
        with contextlib.suppress(OSError):
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        time.sleep(0.05)
    raise RuntimeError(f"nginx did not listen in {timeout}s:\n{logged()}")


def stop(process):
    """A fast shutdown of the master and its workers (SIGTERM); if that
    hangs, a kill of each of them."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
            with contextlib.suppress(OSError):
                for pid in children.read_text().split():
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(int(pid), signal.SIGKILL)
            process.kill()
            process.wait()


def logged(*paths):
    text = "".join(p.read_text(errors="replace") for p in paths if p.exists())
    return text[-3000:]
