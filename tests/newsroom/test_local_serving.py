"""`make serve` runs two gunicorn workers with no Redis: a change made by
one process (a worker, a manage.py command) must reach every other at once,
so the cache they share is files on the machine, not each one's memory."""

import subprocess
import sys

import pytest

from tests.servers import ROOT, free_port, serving

DEMO_STORY = "/2016/12/24/russia-urges-peace-after-battle-for-aleppo/"


@pytest.fixture
def local_site(tmp_path):
    """The environment `make serve` gives the site, in `tmp_path`."""
    env = {
        "PATH": "/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "ENV_FILE": "",
        "SECRET_KEY": "local-serving-test-key",
        "ALLOWED_HOSTS": "127.0.0.1",
        "HTTPS": "false",
        "SITE_URL": "http://127.0.0.1:8000",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CACHE_DIR": str(tmp_path / "cache"),
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "SERVE_MEDIA": "true",
        "PYTHONPATH": str(ROOT),
    }
    for command in (["migrate"], ["collectstatic", "--noinput"], ["load_demo"]):
        manage(env, *command)
    return env


def manage(env, *args):
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_a_change_from_another_process_reaches_both_workers(local_site, tmp_path):
    port = free_port()
    env = local_site | {"WEB_CONCURRENCY": "2", "GUNICORN_BIND": f"127.0.0.1:{port}"}
    with serving(env, port, tmp_path / "gunicorn.log") as server:
        # Both workers render and keep their copies.
        for _ in range(20):
            for path in ["/", DEMO_STORY]:
                status, _, body = server.get(path)
                assert status == 200 and b"AAP" in body
        manage(
            env,
            "shell",
            "-c",
            "from articles.models import Source; from desk import services; "
            "services.update_source(source=Source.objects.get(slug='aap'), "
            "user=None, name='Australian Associated Press')",
        )
        for _ in range(20):
            for path in ["/", DEMO_STORY]:
                _, _, body = server.get(path)
                assert b"Australian Associated Press" in body, path
