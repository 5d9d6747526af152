"""The site under the production environment the README gives: Django's
deployment checks pass with nothing to warn about, and the login
throttle's settings come from the environment, refusing nonsense.

Each test starts a Python of its own, as a deploy would: settings are read
once, at start-up."""

import json
import re
import secrets
import shlex
import subprocess
import sys

import pytest

from tests.conftest import ROOT


def readme_production_env():
    """The variables `export`ed in the README's production example, with a
    real secret key where it says `...`."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Deploying to production", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL).group(1)
    command = re.search(r"^export .*?(?<!\\)$", block, re.MULTILINE | re.DOTALL)
    words = shlex.split(command.group(0).replace("\\\n", " "))[1:]
    env = dict(word.split("=", 1) for word in words)
    assert env["DEBUG"] == "false" and env["SITE_URL"].startswith("https://")
    assert env["SECRET_KEY"] == "..."
    env["SECRET_KEY"] = secrets.token_urlsafe(50)
    return env


def run(args, **env):
    """`python args` in the checkout with only `env` (and no .env file)."""
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "ENV_FILE": "", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_the_readmes_production_settings(tmp_path):
    env = readme_production_env()
    env.update(STATIC_ROOT=str(tmp_path / "static"), MEDIA_ROOT=str(tmp_path / "m"))
    checked = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **env)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "System check identified no issues (" in checked.stdout, checked.stdout


SHOW = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps([s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME.total_seconds(), "
    "s.TRUSTED_PROXY_COUNT, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD]))"
)


def settings_under(**env):
    shown = run(["-c", SHOW], DJANGO_SETTINGS_MODULE="newsroom.settings", **env)
    assert shown.returncode == 0, shown.stderr
    return json.loads(shown.stdout)


def refused(**env):
    shown = run(["-c", SHOW], DJANGO_SETTINGS_MODULE="newsroom.settings", **env)
    assert shown.returncode != 0
    return shown.stderr.strip().splitlines()[-1]


def test_safe_defaults_and_the_environment_changes_them():
    production = readme_production_env()
    assert production.pop("TRUSTED_PROXY_COUNT") == "1"  # behind nginx
    assert settings_under(**production) == [5, 900, 0, False, False]
    assert settings_under(
        **production,
        LOGIN_FAILURE_LIMIT="8",
        LOGIN_COOLOFF_MINUTES="60",
        TRUSTED_PROXY_COUNT="1",
        HSTS_INCLUDE_SUBDOMAINS="true",
        HSTS_PRELOAD="true",
    ) == [8, 3600, 1, True, True]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"LOGIN_FAILURE_LIMIT": "0"}, "LOGIN_FAILURE_LIMIT must be a whole number"),
        ({"LOGIN_COOLOFF_MINUTES": "ten"}, "LOGIN_COOLOFF_MINUTES must be a whole"),
        ({"TRUSTED_PROXY_COUNT": "-1"}, "TRUSTED_PROXY_COUNT must be a whole number"),
        ({"HSTS_PRELOAD": "true"}, "HSTS_PRELOAD needs HSTS_INCLUDE_SUBDOMAINS"),
    ],
)
def test_nonsense_is_refused_at_start_up(env, message):
    assert message in refused(**{**readme_production_env(), **env})
