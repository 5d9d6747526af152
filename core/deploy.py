"""The version of the code that is running, for ETags and cache keys.

A change to the code, the templates, the static files or the pinned
requirements can change what a page contains without any story changing;
putting this id in every ETag and cached page's key makes such a deploy
reach readers at once. It is a digest of those files' contents, so every
app server running the same release gets the same id, whatever their file
times or paths. DEPLOY_ID (say, the git revision) overrides it.
"""

import functools
import hashlib
from pathlib import Path

from django.apps import apps
from django.conf import settings

SUFFIXES = {".py", ".html", ".xml", ".txt", ".css", ".js", ".svg", ".png", ".md"}


@functools.cache
def deploy_id():
    if settings.DEPLOY_ID:
        return settings.DEPLOY_ID
    digest = hashlib.sha256()
    for path in sorted(_sources()):
        digest.update(str(path.relative_to(settings.BASE_DIR)).encode())
        digest.update(path.read_bytes())
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
