"""Newsroom settings.

Every difference between a laptop and production is an environment variable
with a safe default; see the table in README.md and `.env.example`.
"""

import datetime
import hashlib
import os
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from dotenv import load_dotenv

BASE_DIR = Path(__file__).resolve().parent.parent

# Values from an env file fill in what the real environment leaves unset:
# `make serve` writes its generated secret key and local settings to `.env`,
# so that every `manage.py` command works afterwards as the README gives it.
# ENV_FILE names another file; set it empty to read none (the test suite does).
ENV_FILE = os.environ.get("ENV_FILE", str(BASE_DIR / ".env"))
if ENV_FILE:
    load_dotenv(ENV_FILE, override=False)


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    value = value.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_list(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. `make serve` writes a "
            "generated one to .env for local use."
        )
    SECRET_KEY = "insecure-key-for-local-debugging-only"

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
if not DEBUG and "*" in ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS may not contain '*' when DEBUG is off.")

# HTTPS: on by default in production (DEBUG off). `make serve` turns it off
# for plain http://127.0.0.1.
HTTPS = env_bool("HTTPS", not DEBUG)

SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")
if not SITE_URL:
    if HTTPS:
        raise ImproperlyConfigured(
            "SITE_URL (e.g. https://news.example.com) must be set when HTTPS is on: "
            "share links, feeds and metadata carry absolute URLs."
        )
    SITE_URL = "http://127.0.0.1:8000"
SITE_NAME = os.environ.get("SITE_NAME") or "Newsroom"
# The masthead shows this picture (a URL, or a path on the site such as
# /static/img/masthead.svg) instead of SITE_NAME in type; SITE_NAME is its
# alt text.
SITE_LOGO_URL = os.environ.get("SITE_LOGO_URL", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "simple_history",
    "axes",
    "core",
    "articles",
    "search",
    "desk",
    "distribution",
]

MIDDLEWARE = [
    "core.middleware.HeadWithoutBodyMiddleware",
    "core.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.RefuseNulCharactersMiddleware",
    # Reader pages already rendered are answered here, below the security
    # headers and above everything a cached page does not need.
    "articles.middleware.CachedReaderPageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a locked-out login into its page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.site",
                "articles.context_processors.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "newsroom.wsgi.application"
ASGI_APPLICATION = "newsroom.asgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE") or 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that stops answering costs a request three seconds and the
    # 503 page, not a worker hung until gunicorn's timeout.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", int(os.environ.get("DB_CONNECT_TIMEOUT") or 3)
    )

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "core.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX") or "newsroom",
            # A Redis that stops answering costs a reader half a second, not
            # a hung worker: the site then renders from the database.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    # Without Redis, files on this machine: shared by every process here
    # (make serve's workers, a manage.py command), which a per-process memory
    # cache would not be. Several machines need REDIS_URL.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("CACHE_DIR")
            or Path(tempfile.gettempdir())
            / f"newsroom-cache-{hashlib.sha256(bytes(BASE_DIR)).hexdigest()[:8]}",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }


def env_seconds(name, default):
    value = os.environ.get(name) or str(default)
    if not value.isdigit():
        raise ImproperlyConfigured(f"{name} must be a whole number of seconds.")
    return int(value)


# After Redis fails, it is not asked again for this long (core/cache.py):
# requests render from the database at once instead of each waiting for it.
CACHE_RETRY_SECONDS = env_seconds("CACHE_RETRY_SECONDS", 5)

# Rendered reader pages are kept this long in the shared cache (any change
# to the stories makes a new copy anyway; 0 keeps none).
PAGE_CACHE_SECONDS = env_seconds("PAGE_CACHE_SECONDS", 60 * 60)
# What reader pages tell a CDN or nginx in front (see docs/cdn.md): keep a
# page this long, serve it stale this long while fetching a new one, and
# this long while the site is down.
CDN_MAX_AGE = env_seconds("CDN_MAX_AGE", 60)
CDN_STALE_WHILE_REVALIDATE = env_seconds("CDN_STALE_WHILE_REVALIDATE", 60)
CDN_STALE_IF_ERROR = env_seconds("CDN_STALE_IF_ERROR", 60 * 60 * 24)
# Purge the CDN by tag after every change: "", "fastly", "cloudflare" or
# "varnish" (core/cdn.py), with its service (or zone) id and API token, or
# for Varnish the URL that takes PURGE requests.
CDN_PURGE = os.environ.get("CDN_PURGE", "").strip().lower()
CDN_SERVICE_ID = os.environ.get("CDN_SERVICE_ID", "")
CDN_API_TOKEN = os.environ.get("CDN_API_TOKEN", "")
CDN_API_URL = os.environ.get("CDN_API_URL", "")
if CDN_PURGE not in {"", "fastly", "cloudflare", "varnish"}:
    raise ImproperlyConfigured(
        f"CDN_PURGE must be fastly, cloudflare, varnish or empty, not {CDN_PURGE!r}."
    )
if CDN_PURGE in {"fastly", "cloudflare"} and not (CDN_SERVICE_ID and CDN_API_TOKEN):
    raise ImproperlyConfigured(
        f"CDN_PURGE={CDN_PURGE} needs CDN_SERVICE_ID and CDN_API_TOKEN."
    )
if CDN_PURGE == "varnish" and not CDN_API_URL:
    raise ImproperlyConfigured("CDN_PURGE=varnish needs CDN_API_URL.")
# The running code's version, in every ETag and cached page's key. Empty:
# a digest of the code, templates and static files (core/deploy.py).
DEPLOY_ID = os.environ.get("DEPLOY_ID", "")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

_VALIDATORS = "django.contrib.auth.password_validation"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"{_VALIDATORS}.{name}"}
    for name in [
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    ]
]

# The desk's login (django-axes; README, "Logging in"). Axes comes first:
# a locked-out attempt is refused there, before ModelBackend spends half a
# second of CPU hashing the password, so a loop of guesses cannot slow the
# site for readers.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]


def env_count(name, default):
    value = os.environ.get(name) or str(default)
    if not value.isdigit() or int(value) < 1:
        raise ImproperlyConfigured(f"{name} must be a whole number, at least 1.")
    return int(value)


# Failures (counted over the cool-off) before a lockout, and how long it
# lasts after the last failure.
AXES_FAILURE_LIMIT = env_count("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_count("LOGIN_COOLOFF_MINUTES", 15))
# Counted per username from any address (guesses spread over many machines)
# and per address for any username (one password tried on every account),
# not per pair: a pair lets both attacks through.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# Failures are forgotten only with time, not at the next good login: with
# one account of their own, someone could otherwise clear their address's
# count between rounds of guesses.
AXES_RESET_ON_SUCCESS = False
AXES_CLIENT_IP_CALLABLE = "core.clientip.client_address"
AXES_LOCKOUT_CALLABLE = "desk.lockout.locked_out"
# The log names who was tried and from where (axes hides both by default),
# and the path; not the browser (AXES_VERBOSE would add it, and a line at
# every start-up). Passwords are never logged.
AXES_SENSITIVE_PARAMETERS = []
AXES_VERBOSE = False
# Proxies in front of the app that append to X-Forwarded-For (nginx: 1; a
# CDN before nginx: 2). 0 trusts none: the client is REMOTE_ADDR.
TRUSTED_PROXY_COUNT = os.environ.get("TRUSTED_PROXY_COUNT") or "0"
if not TRUSTED_PROXY_COUNT.isdigit():
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be a whole number (0: none).")
TRUSTED_PROXY_COUNT = int(TRUSTED_PROXY_COUNT)
# The admin is the only place anyone logs in; a `next` it refuses (another
# site's address) lands there too, not on Django's /accounts/profile/.
LOGIN_REDIRECT_URL = "admin:index"

LANGUAGE_CODE = "en-au"
TIME_ZONE = os.environ.get("TIME_ZONE") or "Australia/Sydney"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
LOGIN_URL = "admin:login"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or BASE_DIR / "media")
# Let Django itself serve uploaded images: on for `make serve` and `make dev`
# (one machine, no proxy); in production nginx serves MEDIA_URL from disk.
SERVE_MEDIA = env_bool("SERVE_MEDIA", DEBUG)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Uploads: hero images are validated in the admin; this caps the request.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if HTTPS:
    SECURE_SSL_REDIRECT = True
    # Behind a reverse proxy that terminates TLS and sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS") or 60 * 60 * 24 * 365)
    # Off unless the operator says so: both are promises about every host
    # under the domain, which the app cannot know (README, "Security").
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", False)
    SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", False)
    if SECURE_HSTS_PRELOAD and not (
        SECURE_HSTS_INCLUDE_SUBDOMAINS and SECURE_HSTS_SECONDS >= 31536000
    ):
        raise ImproperlyConfigured(
            "HSTS_PRELOAD needs HSTS_INCLUDE_SUBDOMAINS=true and HSTS_SECONDS of "
            "at least 31536000: the preload list accepts nothing less."
        )
    # `check --deploy` warns about each while it is off; off is the decision
    # above, not an oversight, so those two warnings are silenced (and only
    # while the setting is off).
    SILENCED_SYSTEM_CHECKS = [
        check
        for check, on in [
            ("security.W005", SECURE_HSTS_INCLUDE_SUBDOMAINS),
            ("security.W021", SECURE_HSTS_PRELOAD),
        ]
        if not on
    ]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"database_outage": {"()": "core.logs.DatabaseOutage"}},
    # The level and the logger on each line: `grep "WARNING axes"` finds
    # every failed login.
    "formatters": {"plain": {"format": "%(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "null": {"class": "logging.NullHandler"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL") or "INFO"},
    "loggers": {
        # A database outage is a line every half minute, not a traceback for
        # every reader answered 503 (core/logs.py).
        "django.request": {"filters": ["database_outage"]},
        # Bad Host headers are answered with 400; no need to shout about each.
        "django.security.DisallowedHost": {"handlers": ["null"], "propagate": False},
    },
}
