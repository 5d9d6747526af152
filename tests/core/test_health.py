"""`/healthz`: what a load balancer or monitor asks."""

import pytest
from django.db import OperationalError

pytestmark = pytest.mark.django_db


def test_healthy_site_answers_200_as_json(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok"},
    }


def test_a_probe_by_address_over_plain_http_is_answered(client, settings):
    # A load balancer probes 10.0.0.5:8000 without TLS; the site itself
    # redirects plain HTTP and refuses unknown hosts.
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/healthz", HTTP_HOST="10.0.0.5:8000")
    assert response.status_code == 200
    assert client.get("/", HTTP_HOST="10.0.0.5:8000").status_code == 400


class Refusing:
    def __getattr__(self, name):
        def refuse(*args, **kwargs):
            raise ConnectionError("Connection refused")

        return refuse


def test_a_dead_cache_is_named(client, monkeypatch, caplog):
    monkeypatch.setattr("core.middleware.cache", Refusing())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "ok", "cache": "error"},
    }
    assert "Connection refused" in caplog.text  # for the operator, not the probe


def test_a_dead_database_is_named(client, monkeypatch, caplog):
    def refuse(*args, **kwargs):
        raise OperationalError('connection to server at "10.0.0.3" failed')

    monkeypatch.setattr("core.middleware.connection.cursor", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "error", "cache": "ok"}
    assert b"10.0.0.3" not in response.content
    assert "10.0.0.3" in caplog.text
