"""Finding: the health probe was public, slow (about 1 s, four concurrent calls stalled the site) and
named the worker hosts. Liveness (/healthz) is answered without any round trip (tests/portal); the
readiness probe answers only ok / not ok in public and runs its checks at most once per few seconds."""

import pytest
from django.utils import timezone

from portal.models import WorkerHeartbeat
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pings(monkeypatch, settings):
    settings.PORTAL_HEALTH_TOKEN = "monitor-token"
    calls = []

    def ping(timeout):
        calls.append(timeout)
        return [{"worker@secret-host-1": {"ok": "pong"}}]

    monkeypatch.setattr("portal.health.celery_app.control.ping", ping)
    return calls


def test_public_readiness_says_only_ok(client, pings):
    WorkerHeartbeat.objects.create(name="worker@secret-host-9", seen_at=timezone.now())
    for headers in ({}, {"HTTP_AUTHORIZATION": "Bearer wrong"}, {"HTTP_AUTHORIZATION": "monitor-token"}):
        response = client.get("/readyz", **headers)
        assert response.status_code == 200
        assert response.json() == {"ok": True}
    client.force_login(UserFactory(is_staff=True))  # not a superuser
    assert client.get("/readyz").json() == {"ok": True}


def test_the_report_needs_the_token_or_a_superuser(client, pings):
    body = client.get("/readyz", HTTP_AUTHORIZATION="Bearer monitor-token").json()
    assert body["worker"] == {"ok": True, "via": "ping", "workers": 1}
    assert "secret-host" not in str(body)
    client.force_login(UserFactory(is_superuser=True))
    assert client.get("/readyz").json()["database"]["ok"] is True


def test_an_empty_token_setting_opens_nothing(client, pings, settings):
    settings.PORTAL_HEALTH_TOKEN = ""
    assert client.get("/readyz", HTTP_AUTHORIZATION="Bearer ").json() == {"ok": True}


def test_a_flood_of_readiness_calls_runs_the_checks_once(client, pings):
    for _ in range(20):
        assert client.get("/readyz").status_code == 200
    assert len(pings) == 1
