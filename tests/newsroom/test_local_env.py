"""After `make serve`, every manage.py command in the README works as
written: the settings it serves with are in `.env`, which settings.py reads."""

import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def run(args, env, **kwargs):
    return subprocess.run(
        [sys.executable, *args],
        env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        **kwargs,
    )


def write_env(env_file):
    return run(["scripts/local_env.py", "127.0.0.1", "8000"], {"ENV_FILE": env_file})


def test_make_serves_env_file_lets_createsuperuser_run_as_the_readme_says(tmp_path):
    env_file = str(tmp_path / ".env")
    assert write_env(env_file).returncode == 0
    values = dict(
        line.split("=", 1)
        for line in Path(env_file).read_text().splitlines()
        if "=" in line and not line.startswith("#")
    )
    assert len(values.pop("SECRET_KEY")) >= 50
    assert values == {
        "HTTPS": "false",
        "ALLOWED_HOSTS": "localhost,127.0.0.1",
        "SITE_URL": "http://127.0.0.1:8000",
        "SERVE_MEDIA": "true",
    }
    assert Path(env_file).stat().st_mode & 0o077 == 0  # the key is private

    # Nothing else in the environment: what the README's commands get.
    env = {
        "ENV_FILE": env_file,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_SUPERUSER_PASSWORD": "a-long-unguessable-password",
    }
    migrated = run(["manage.py", "migrate", "--noinput"], env)
    assert migrated.returncode == 0, migrated.stderr[-2000:]
    created = run(
        [
            "manage.py",
            "createsuperuser",
            "--noinput",
            "--username",
            "chief",
            "--email",
            "chief@news.example.com",
        ],
        env,
    )
    assert created.returncode == 0, created.stderr[-2000:]
    assert "Traceback" not in created.stderr
    assert "Superuser created successfully." in created.stdout


def test_values_already_in_the_env_file_are_kept(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("SECRET_KEY=mine\nSITE_URL=http://news.local:9000")
    assert write_env(str(env_file)).returncode == 0
    lines = env_file.read_text().splitlines()
    assert lines[:2] == ["SECRET_KEY=mine", "SITE_URL=http://news.local:9000"]
    assert [line.split("=")[0] for line in lines[2:]] == [
        "HTTPS",
        "ALLOWED_HOSTS",
        "SERVE_MEDIA",
    ]
    before = env_file.read_text()
    assert write_env(str(env_file)).returncode == 0
    assert env_file.read_text() == before


def test_the_real_environment_wins_over_the_env_file(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("SECRET_KEY=from-file\nHTTPS=false\nALLOWED_HOSTS=a\n")
    probe = (
        "from django.conf import settings as s; print(s.SECRET_KEY, s.ALLOWED_HOSTS)"
    )
    result = run(
        ["-c", probe],
        {
            "ENV_FILE": str(env_file),
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            "SECRET_KEY": "from-environment",
        },
    )
    assert result.stdout.split() == ["from-environment", "['a']"], result.stderr
