"""Loaded with `-p` before Django's settings are imported: the settings
the test suite runs under, unless the environment already says otherwise."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("HTTPS", "false")
os.environ.setdefault("SITE_URL", "https://news.example.com")
os.environ.setdefault("TIME_ZONE", "Australia/Sydney")
# As under `make serve`: no proxy in front, so the app serves uploads.
os.environ.setdefault("SERVE_MEDIA", "true")
# Never let a developer's .env or local media leak into the suite.
os.environ["ENV_FILE"] = ""
os.environ.pop("DEBUG", None)
# Without REDIS_URL the cache is files: the suite's own, not make serve's.
os.environ.setdefault("CACHE_DIR", tempfile.mkdtemp(prefix="newsroom-cache-"))
# WhiteNoise expects collected static files; the suite serves them from source.
os.environ.setdefault("STATIC_ROOT", tempfile.mkdtemp(prefix="newsroom-static-"))
