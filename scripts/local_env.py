"""Write the settings `make serve` runs with to `.env` (git-ignored), so
that every `manage.py` command afterwards runs with them too.

Only missing names are added: a value already in `.env`, whether written
here before or by hand, is kept. Usage: local_env.py HOST PORT
"""

import os
import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The file settings.py reads (ENV_FILE names another, as it does there).
ENV_FILE = Path(os.environ.get("ENV_FILE") or ROOT / ".env")
# Older checkouts kept the generated key on its own; keep sessions valid.
OLD_KEY_FILE = ROOT / ".secret_key"


def local_settings(host, port):
    old_key = OLD_KEY_FILE.read_text().strip() if OLD_KEY_FILE.exists() else ""
    return {
        "SECRET_KEY": old_key or secrets.token_urlsafe(50),
        # Plain http on this machine: no HTTPS redirect, no secure-only cookies.
        "HTTPS": "false",
        "ALLOWED_HOSTS": ",".join(dict.fromkeys(["localhost", "127.0.0.1", host])),
        "SITE_URL": f"http://{host}:{port}",
        # No nginx in front to serve uploaded images.
        "SERVE_MEDIA": "true",
    }


def existing_names(text):
    return {
        line.split("=", 1)[0].strip()
        for line in text.splitlines()
        if "=" in line and not line.lstrip().startswith("#")
    }


def main(host, port):
    text = ENV_FILE.read_text() if ENV_FILE.exists() else ""
    missing = {
        name: value
        for name, value in local_settings(host, port).items()
        if name not in existing_names(text)
    }
    if not missing:
        return
    if not text:
        text = "# Written by `make serve` for this machine; never commit it.\n"
    elif not text.endswith("\n"):
        text += "\n"
    text += "".join(f"{name}={value}\n" for name, value in missing.items())
    ENV_FILE.touch(mode=0o600)
    ENV_FILE.write_text(text)
    print(f"Wrote {', '.join(missing)} to {ENV_FILE.name}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
