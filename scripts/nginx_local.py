"""deploy/nginx/newsroom.conf, made to run on this machine: for the tests
that put nginx in front of an app server (tests/nginx.py) and for the nginx
rows of `make bench` (scripts/bench_nginx.py).

The site's file runs as shipped, TLS included (a throwaway self-signed
certificate), with only what differs between machines changed: paths,
listen ports (127.0.0.1 only) and the upstream's port. Beside it goes a
main configuration like Debian's nginx.conf, with the pid file, logs, cache
and temporary files in the given folder, so that nginx runs as a foreground
process (`nginx -p <folder> -c <file> -g 'daemon off;'`) and writes nothing
under /var. This module only writes the files: starting, waiting for and
stopping the process is the caller's.
"""

import os
import pwd
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NGINX = "/usr/sbin/nginx"
CONFIG = ROOT / "deploy" / "nginx" / "newsroom.conf"


@dataclass(frozen=True)
class Rendered:
    command: list  # nginx's command line; add ["-g", "daemon off;"] to serve
    cert: Path  # the certificate nginx presents, for clients to trust
    error_log: Path


def available():
    """Whether nginx and openssl (for the certificate) are installed."""
    return os.access(NGINX, os.X_OK) and shutil.which("openssl") is not None


def render(
    folder,
    *,
    https_port,
    http_port,
    upstream_port,
    static_root,
    media_root,
    access_log=None,
    worker_processes=1,
):
    """Write the certificate, the site's configuration and a main one into
    `folder` (which must exist): nginx on 127.0.0.1 `https_port` and
    `http_port`, in front of 127.0.0.1:`upstream_port`, serving /static/
    and /media/ from the given folders. The site's access log goes to
    `access_log` (default: access.log in `folder`)."""
    folder = Path(folder)
    cert, key = certificate(folder)
    site = folder / "newsroom.conf"
    site.write_text(
        deployed(
            CONFIG.read_text(),
            {
                "listen 80;": f"listen 127.0.0.1:{http_port};",
                "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
                "server 127.0.0.1:8000;": f"server 127.0.0.1:{upstream_port};",
                "/srv/newsroom/staticfiles/": f"{static_root}/",
                "/srv/newsroom/media/": f"{media_root}/",
                "/var/cache/nginx/newsroom": f"{folder}/cache",
                "/var/log/nginx/newsroom.access.log": str(
                    access_log or folder / "access.log"
                ),
                "/etc/letsencrypt/live/news.example.com/fullchain.pem": str(cert),
                "/etc/letsencrypt/live/news.example.com/privkey.pem": str(key),
            },
        )
    )
    main = folder / "nginx.conf"
    main.write_text(main_config(folder, site, worker_processes=worker_processes))
    error_log = folder / "error.log"
    return Rendered(
        command=[NGINX, "-p", f"{folder}/", "-c", str(main), "-e", str(error_log)],
        cert=cert,
        error_log=error_log,
    )


def check(rendered):
    """`nginx -t` on the rendered files; raises, with nginx's own words, if
    it refuses them or has a warning."""
    checked = subprocess.run(
        [*rendered.command, "-t"], capture_output=True, text=True, timeout=30
    )
    if checked.returncode != 0 or "[warn]" in checked.stderr:
        raise RuntimeError(f"nginx -t:\n{checked.stderr}")


def main_config(folder, site, *, worker_processes):
    """Debian's nginx.conf, reduced to what the site needs, with every path
    in `folder`. Workers run as this user when it is root: www-data could
    not read a private temporary folder."""
    user = pwd.getpwuid(os.geteuid()).pw_name
    temp_paths = "\n".join(
        f"    {kind}_temp_path {folder}/{kind};"
        for kind in ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"]
    )
    return (
        f"{'user root;' if user == 'root' else ''}\n"
        f"worker_processes {worker_processes};\n"
        f"pid {folder}/nginx.pid;\n"
        f"error_log {folder}/error.log warn;\n"
        "events { worker_connections 768; }\n"
        "http {\n"
        "    sendfile on;\n"
        "    tcp_nopush on;\n"
        "    types_hash_max_size 2048;\n"
        "    include /etc/nginx/mime.types;\n"
        "    default_type application/octet-stream;\n"
        "    ssl_prefer_server_ciphers on;\n"
        f"    access_log {folder}/main-access.log;\n"
        f"{temp_paths}\n"
        f"    include {site};\n"
        "}\n"
    )


def deployed(text, values):
    """The configuration with this machine's `values` in place of the
    shipped ones, and no IPv6 listeners: nginx here listens on 127.0.0.1
    only."""
    for shipped, here in values.items():
        if shipped not in text:
            raise ValueError(f"{CONFIG.name} no longer has {shipped!r}")
        text = text.replace(shipped, here)
    text = re.sub(r"^ *listen \[::\]:\d+.*\n", "", text, flags=re.MULTILINE)
    listens = re.findall(r"^ *listen (\S+)", text, flags=re.MULTILINE)
    if not listens or not all(a.startswith("127.0.0.1:") for a in listens):
        raise ValueError(f"{CONFIG.name} would listen beyond 127.0.0.1: {listens}")
    return text


def certificate(folder):
    """A self-signed certificate for 127.0.0.1, valid for a day."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec"]
        + ["-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1"]
        + ["-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"]
        + ["-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
        timeout=30,
    )
    return cert, key
