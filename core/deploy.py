"""The version of the code that is running, for ETags and cache keys.

A change to the code, the templates, the static files or the pinned
requirements can change what a page contains without any story changing;
putting this id in every ETag and cached page's key makes such a deploy
reach readers at once. It is a digest of those files' contents, so every
app server running the same release gets the same id, whatever their file
times or paths. The settings that go into every page (the site's address
and name, its time zone and language, where static files and uploads are
served from) are part of it too: changing one in the environment reaches
readers at the restart. DEPLOY_ID (say, the git revision) overrides the
code's part.
"""

import functools
import hashlib
from pathlib import Path

from django.apps import apps
from django.conf import settings

SUFFIXES = {".py", ".html", ".xml", ".txt", ".css", ".js", ".svg", ".png", ".md"}
PAGE_SETTINGS = [
    "SITE_URL",
    "SITE_NAME",
    "TIME_ZONE",
    "LANGUAGE_CODE",
    "STATIC_URL",
    "MEDIA_URL",
]


@functools.cache
def deploy_id():
    digest = hashlib.sha256()
    if settings.DEPLOY_ID:
        digest.update(settings.DEPLOY_ID.encode())
    else:
        for path in sorted(_sources()):
            digest.update(str(path.relative_to(settings.BASE_DIR)).encode())
            digest.update(path.read_bytes())
    for name in PAGE_SETTINGS:
        digest.update(f"\0{name}={getattr(settings, name)}".encode())
    return digest.hexdigest()[:12]


def _sources():
    base = Path(settings.BASE_DIR)
    folders = {Path(config.path) for config in apps.get_app_configs()}
    folders |= {Path(f) for template in settings.TEMPLATES for f in template["DIRS"]}
    folders |= {Path(folder) for folder in settings.STATICFILES_DIRS}
    folders.add(base / "newsroom")
    files = {base / "requirements.txt"}  # Django's own templates and writers
    for folder in folders:
        if folder.is_relative_to(base):  # installed packages: requirements.txt
            files |= {
                path
                for path in folder.rglob("*")
                if path.suffix in SUFFIXES and "__pycache__" not in path.parts
            }
    return files
