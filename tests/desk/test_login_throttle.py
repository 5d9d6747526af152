"""The desk's login under attack: a handful of wrong passwords locks the
account, and the address they came from, out for a while; a locked-out
attempt is refused before any password is hashed; the editor is told when
to come back and whom to ask; every failure is in the log."""

import datetime
import io
import logging
import re

import pytest
import time_machine
from django.contrib.auth.backends import ModelBackend
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from articles.formats import newsroom_time
from core.clientip import client_address
from tests.conftest import parse_html
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
OFFICE, HOME, ELSEWHERE = "203.0.113.7", "198.51.100.23", "192.0.2.99"


def browser(address=OFFICE, **headers):
    """A browser at `address`, with Django's CSRF check as in production."""
    return Client(enforce_csrf_checks=True, REMOTE_ADDR=address, **headers)


def log_in(client, username, password, next_url="/admin/"):
    """Open the login form and post it, as a browser does."""
    form = parse_html(client.get(LOGIN, {"next": next_url}))
    token = form.select_one("input[name=csrfmiddlewaretoken]")["value"]
    return client.post(
        f"{LOGIN}?next={next_url}",
        {
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": token,
            "next": next_url,
        },
    )


def logged_in(response):
    return response.status_code == 302 and response["Location"] == "/admin/"


@pytest.fixture
def ed(db):
    return UserFactory(username="ed")


@pytest.fixture
def limit(settings):
    return settings.AXES_FAILURE_LIMIT


def test_a_handful_of_failures_is_the_default_limit(settings):
    assert 3 <= settings.AXES_FAILURE_LIMIT <= 10
    assert settings.AXES_COOLOFF_TIME == datetime.timedelta(minutes=15)


def test_the_right_password_after_thirty_wrong_ones_is_refused(ed):
    # The reproduction: 30 wrong passwords, then the right one.
    client = browser()
    for _ in range(30):
        assert log_in(client, "ed", "wrong").status_code in {200, 429}
    answer = log_in(client, "ed", PASSWORD)
    assert answer.status_code == 429
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302  # still asked to log in


def test_wrong_passwords_below_the_limit_do_not_lock_anyone_out(ed, limit):
    client = browser()
    for _ in range(limit - 1):
        answer = log_in(client, "ed", "wrong")
        assert answer.status_code == 200
        assert "Please enter the correct username and password" in answer.text
    assert logged_in(log_in(client, "ed", PASSWORD))


def test_one_username_is_locked_out_from_every_address(ed, limit):
    # Guessing from many addresses (a botnet) still counts against ed.
    for n in range(limit):
        log_in(browser(f"192.0.2.{n + 1}"), "ed", "wrong")
    assert log_in(browser(ELSEWHERE), "ed", PASSWORD).status_code == 429
    # Someone else at those addresses is not affected.
    UserFactory(username="rita")
    assert logged_in(log_in(browser("192.0.2.1"), "rita", PASSWORD))


def test_one_address_is_locked_out_for_every_username(ed, limit):
    # Trying one password on many accounts (spraying) from one address.
    client = browser(OFFICE)
    for n in range(limit):
        log_in(client, f"user{n}", "Summer2024!")
    assert log_in(browser(OFFICE), "ed", PASSWORD).status_code == 429
    # ed, from anywhere else, is not.
    assert logged_in(log_in(browser(HOME), "ed", PASSWORD))


def test_a_locked_out_attempt_is_refused_before_any_password_is_hashed(
    ed, limit, monkeypatch
):
    checked = []
    original = ModelBackend.authenticate

    def counting(self, request, username=None, password=None, **kwargs):
        checked.append(username)
        return original(self, request, username, password, **kwargs)

    monkeypatch.setattr(ModelBackend, "authenticate", counting)
    client = browser()
    for _ in range(limit):
        log_in(client, "ed", "wrong")
    assert len(checked) == limit
    for username in ["ed", "nobody", "rita"]:
        assert log_in(browser(), username, PASSWORD).status_code == 429
    assert len(checked) == limit


def test_the_lockout_page_says_when_to_come_back_and_whom_to_ask(ed, limit, settings):
    client = browser()
    for _ in range(limit - 1):
        log_in(client, "ed", "wrong")
    at = timezone.now()
    with time_machine.travel(at, tick=False):
        answer = log_in(client, "ed", "wrong")
    assert answer.status_code == 429
    assert answer["Content-Type"].startswith("text/html")
    assert answer["Retry-After"] == str(15 * 60)
    assert "no-store" in answer["Cache-Control"]
    page = parse_html(answer)
    # The site's own page, not a bare line of text.
    assert page.select_one(".masthead .site-name").get_text() == settings.SITE_NAME
    assert page.h1.get_text() == "Too many failed logins"
    text = " ".join(page.main.get_text().split())
    until = newsroom_time(at + datetime.timedelta(minutes=15))
    # In the newsroom's zone, saying which (Sydney's, in summer or not).
    assert re.search(rf"Try again in 15 minutes, at {until} AE[DS]T\.", text)
    assert "administrator" in text
    assert page.select_one(f'main a[href="{LOGIN}"]')


def test_the_lockout_ends_after_the_cool_off(ed, limit):
    client = browser()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(limit):
            log_in(client, "ed", "wrong")
    with time_machine.travel(start + datetime.timedelta(minutes=14), tick=False):
        assert log_in(client, "ed", PASSWORD).status_code == 429
    # Each attempt during the lockout starts the wait over.
    with time_machine.travel(start + datetime.timedelta(minutes=20), tick=False):
        assert log_in(client, "ed", PASSWORD).status_code == 429
    with time_machine.travel(start + datetime.timedelta(minutes=36), tick=False):
        assert logged_in(log_in(client, "ed", PASSWORD))


@pytest.mark.parametrize(
    ("command", "argument"),
    [("axes_reset_username", "ed"), ("axes_reset_ip", OFFICE), ("axes_reset", None)],
)
def test_an_administrator_unlocks_with_a_command(ed, limit, command, argument):
    client = browser(OFFICE)
    for _ in range(limit):
        log_in(client, "ed", "wrong")
    assert log_in(client, "ed", PASSWORD).status_code == 429
    call_command(command, *([argument] if argument else []), stdout=io.StringIO())
    assert logged_in(log_in(browser(OFFICE), "ed", PASSWORD))


def test_failed_logins_are_logged_with_username_and_address(ed, limit, caplog):
    client = browser(OFFICE)
    with caplog.at_level(logging.WARNING):
        for _ in range(limit + 1):
            log_in(client, "ed", "wrong")
    warnings = [
        record.getMessage()
        for record in caplog.records
        if record.levelno == logging.WARNING and record.name.startswith("axes")
    ]
    # One line per failure, the lockout, and the attempt refused during it.
    assert len(warnings) >= limit + 2, warnings
    assert all('username: "ed"' in line for line in warnings), warnings
    assert all(f'ip_address: "{OFFICE}"' in line for line in warnings), warnings
    assert any("Locking out" in line for line in warnings), warnings
    assert not any("wrong" in line for line in caplog.messages)  # no passwords


def test_behind_no_proxy_forwarded_for_is_ignored(ed, limit):
    # A client can send any X-Forwarded-For; with no proxy configured, a
    # new one on each try must not buy it new attempts.
    for n in range(limit):
        log_in(browser(OFFICE, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}"), f"u{n}", "x")
    blocked = browser(OFFICE, HTTP_X_FORWARDED_FOR="10.0.0.200")
    assert log_in(blocked, "ed", PASSWORD).status_code == 429


def test_behind_nginx_the_address_is_the_one_nginx_saw(ed, limit, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # nginx appends the address it saw to whatever the client sent.
    for n in range(limit):
        spoofed = f"10.0.0.{n}, {OFFICE}"
        log_in(browser("127.0.0.1", HTTP_X_FORWARDED_FOR=spoofed), f"u{n}", "x")
    from_office = browser("127.0.0.1", HTTP_X_FORWARDED_FOR=OFFICE)
    assert log_in(from_office, "ed", PASSWORD).status_code == 429
    # Readers elsewhere, through the same nginx, are not locked out with them.
    from_home = browser("127.0.0.1", HTTP_X_FORWARDED_FOR=HOME)
    assert logged_in(log_in(from_home, "ed", PASSWORD))


def test_an_off_site_next_lands_on_the_admin_index(ed):
    client = browser()
    answer = log_in(client, "ed", PASSWORD, next_url="https://evil.example/steal")
    assert answer.status_code == 302
    assert answer["Location"] == "/admin/"
    assert client.get(answer["Location"]).status_code == 200


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "client"),
    [
        (0, OFFICE, "10.0.0.1", OFFICE),
        (1, "127.0.0.1", None, "127.0.0.1"),
        (1, "127.0.0.1", f"10.0.0.1, {HOME}", HOME),
        # A CDN, then nginx: the CDN's entry, not the client's own.
        (2, "127.0.0.1", f"10.0.0.1, {HOME}, 192.0.2.1", HOME),
        # Fewer entries than proxies: the request skipped the CDN.
        (2, "127.0.0.1", HOME, HOME),
        (1, "127.0.0.1", "not-an-address", "127.0.0.1"),
    ],
)
def test_the_client_address(settings, rf, proxies, remote, forwarded, client):
    settings.TRUSTED_PROXY_COUNT = proxies
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    request = rf.post(LOGIN, REMOTE_ADDR=remote, **headers)
    assert client_address(request) == client


def test_an_untrusted_proxy_is_pointed_out_in_the_log(settings, rf, caplog):
    settings.TRUSTED_PROXY_COUNT = 0
    behind_nginx = rf.post(LOGIN, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=HOME)
    with caplog.at_level(logging.WARNING):
        assert client_address(behind_nginx) == "127.0.0.1"
    assert "set TRUSTED_PROXY_COUNT" in caplog.text
