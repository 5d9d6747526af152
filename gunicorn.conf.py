"""gunicorn's settings for Newsroom, in production and for `make serve`.

gunicorn reads this file from the working directory (or `-c gunicorn.conf.py`);
every value can still be changed on the command line or through the
environment variables named below. See docs/operations.md.
"""

import multiprocessing
import os

from gunicorn.http.wsgi import Response

wsgi_app = "newsroom.wsgi"

# Behind nginx on the same machine by default; GUNICORN_BIND=0.0.0.0:8000 in a
# container, or a unix: socket path.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Sync workers: each handles one request at a time, and a cached page takes
# a couple of milliseconds, so two per core keeps the CPUs busy while one
# waits on PostgreSQL or Redis. WEB_CONCURRENCY overrides (Heroku's name,
# which gunicorn also reads).
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)

# A request that takes longer than this has its worker killed and restarted;
# readers see a 502 from nginx rather than a hung connection.
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 30)
# On SIGTERM or SIGHUP (a deploy), workers finish what they are doing first.
graceful_timeout = 30

# Recycle each worker after this many requests, staggered by the jitter so
# that they do not all restart at once: bounds any slow memory growth. A
# new worker costs about half a second of CPU (loading Django), so not too
# often: a cached page takes about a millisecond, and at 2,000 a worker was
# being replaced every second or two under load (make bench).
max_requests = 20000
max_requests_jitter = 2000

# Logs to standard output and error, for the process manager (systemd's
# journal, a container runtime) to collect.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# gunicorn's control socket is one path per user; several servers on one
# machine (make serve beside make bench) would fight over it. Nothing uses it.
control_socket_disable = True

# The heartbeat files live in memory, not on a disk that may stall.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None


def _without_server_header(default_headers):
    """gunicorn's own headers less `Server: gunicorn`, which tells a scanner
    what to try and has no setting to turn it off. An app's Server header
    would be sent beside it, not instead, so it goes here, in the config
    both production and `make serve` load (checked on a real gunicorn by
    tests/newsroom/test_app_server_headers.py)."""

    def headers(response):
        return [
            line
            for line in default_headers(response)
            if not line.lower().startswith("server:")
        ]

    return headers


Response.default_headers = _without_server_header(Response.default_headers)
