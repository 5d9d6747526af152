"""Lighthouse (from npm, at the version package-lock.json pins) on a page of
a throwaway site served the way `make serve` serves it: gunicorn, WhiteNoise,
SQLite, with the demo content and a front page's worth of stories with
pictures in every section.

    .venv/bin/python scripts/lighthouse.py      # prints the front page's scores

`make bench` runs it for the performance score (a timing, so never a test);
tests/newsroom/test_lighthouse.py asserts the other three categories, which
do not depend on the machine's speed.
"""

import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "node_modules/lighthouse/cli/index.js"
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
# What the issue asks of the front page on a phone.
TARGETS = {"performance": 0.95, "accessibility": 1, "best-practices": 1, "seo": 1}

# Stories through the services, as editors would write them: four in each
# section, with a picture each, over the last two days.
SEED = """
import datetime
from django.core.files.base import ContentFile
from django.utils import timezone
from articles.models import Section, Source
from desk import services
from desk.demo.hero import placeholder_jpeg

source = Source.objects.get(slug="aap")
now = timezone.now().replace(microsecond=0)
n = 0
for section in Section.objects.filter(in_navigation=True):
    for i in range(4):
        n += 1
        services.create_article(
            user=None,
            headline=f"{section.name} story {i + 1} makes the news today",
            slug=f"{section.slug}-story-{i + 1}",
            standfirst="A one-paragraph summary of what happened and why it matters.",
            body="The first paragraph.\\n\\nThe second paragraph, with more detail.",
            source=source,
            section=section,
            status="published",
            published_at=now - datetime.timedelta(hours=n * 2),
            image=ContentFile(placeholder_jpeg(section.name), name="photo.jpg"),
            image_alt=f"A placeholder picture for the {section.name} section",
        )
"""


def site_env(folder, port):
    return {
        "PATH": "/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "ENV_FILE": "",
        "SECRET_KEY": "lighthouse-only-key",
        "ALLOWED_HOSTS": "127.0.0.1",
        "HTTPS": "false",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "CACHE_DIR": str(folder / "cache"),
        "STATIC_ROOT": str(folder / "static"),
        "MEDIA_ROOT": str(folder / "media"),
        "SERVE_MEDIA": "true",
        "PYTHONPATH": str(ROOT),
        "WEB_CONCURRENCY": "2",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
    }


def manage(env, *args):
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if done.returncode:
        raise RuntimeError(f"manage.py {args[0]} failed:\n{done.stderr[-2000:]}")


def build_site(env):
    for command in (["migrate"], ["collectstatic", "--noinput"], ["load_demo"]):
        manage(env, *command)
    manage(env, "shell", "-c", SEED)


@contextlib.contextmanager
def gunicorn(env, log):
    """The repository's gunicorn.conf.py serving `env`'s site until the
    block ends; yields its address."""
    url = "http://" + env["GUNICORN_BIND"]
    with open(log, "w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py")],
            env=env,
            cwd=ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(url + "/", timeout=5).read()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn did not start: see {log}") from None
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def audit(url, *, categories=CATEGORIES, timeout=240):
    """Lighthouse's mobile audit of `url`: {category: score} and the audits
    that lost points, as (category, audit id, score, what it says)."""
    if not LIGHTHOUSE.exists():
        raise RuntimeError(f"{LIGHTHOUSE} is missing: `make test` installs it.")
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.json"
        done = subprocess.run(
            [
                "node",
                str(LIGHTHOUSE),
                url,
                "--quiet",
                "--output=json",
                f"--output-path={report}",
                f"--only-categories={','.join(categories)}",
                f"--chrome-flags={' '.join(CHROME_FLAGS)}",
            ],
            env={**os.environ, "CHROME_PATH": CHROMIUM},
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode or not report.exists():
            raise RuntimeError(f"Lighthouse failed:\n{done.stderr[-3000:]}")
        result = json.loads(report.read_text())
    scores = {name: c["score"] for name, c in result["categories"].items()}
    lost = []
    for name, category in result["categories"].items():
        for ref in category["auditRefs"]:
            found = result["audits"][ref["id"]]
            if ref["weight"] and found["score"] is not None and found["score"] < 1:
                said = found.get("displayValue") or found["title"]
                lost.append((name, ref["id"], found["score"], said))
    return scores, lost


def main():
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="newsroom-lighthouse-") as folder:
        folder = Path(folder)
        env = site_env(folder, port)
        print("Lighthouse: building a site with the demo and 24 stories...")
        build_site(env)
        with gunicorn(env, folder / "gunicorn.log") as url:
            scores, lost = audit(url + "/")
    print("Lighthouse, front page, mobile (target in brackets):")
    for name, score in scores.items():
        verdict = "PASS" if score >= TARGETS[name] else "MISS"
        print(
            f"  {name:15} {round(score * 100):4} ({TARGETS[name] * 100:.0f}) {verdict}"
        )
    for name, audit_id, score, said in lost:
        print(f"    {name}: {audit_id} {score}: {said}")


if __name__ == "__main__":
    main()
