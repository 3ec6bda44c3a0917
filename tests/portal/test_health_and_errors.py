import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import path
from django.utils import timezone

from portal.models import WorkerHeartbeat

ROOT = Path(__file__).resolve().parents[2]


def boom(request):
    raise RuntimeError("secret internal detail")


urlpatterns = [path("boom/", boom)]


@pytest.fixture(autouse=True)
def _health_token(settings):
    settings.PORTAL_HEALTH_TOKEN = "monitor-token"  # the readiness tests read the parts' report


def _broker_down(*args, **kwargs):
    raise AssertionError("the liveness probe must not touch the broker or the workers")


@pytest.mark.django_db
def test_healthz_is_liveness_without_broker_or_worker_and_no_query(client, monkeypatch, django_assert_max_num_queries):
    for name in (
        "portal.health.check_broker",
        "portal.health.check_worker",
        "portal.health.check_database",
        "portal.health.celery_app.connection_for_write",
        "portal.health.celery_app.control.ping",
    ):
        monkeypatch.setattr(name, _broker_down)
    with django_assert_max_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"ok": True}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_reports_each_part_and_503_without_worker(client, monkeypatch):
    monkeypatch.setattr("portal.health.celery_app.control.ping", lambda timeout: [])
    response = client.get("/readyz", HTTP_AUTHORIZATION="Bearer monitor-token")
    body = response.json()
    assert response.status_code == 503
    assert body["database"]["ok"] is True
    assert body["broker"]["ok"] is True
    assert body["worker"]["ok"] is False


@pytest.mark.django_db
def test_readyz_reports_a_broker_failure(client, monkeypatch):
    def unreachable(*args, **kwargs):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr("portal.health.celery_app.connection_for_write", unreachable)
    monkeypatch.setattr("portal.health.celery_app.control.ping", _broker_down)
    response = client.get("/readyz", HTTP_AUTHORIZATION="Bearer monitor-token")
    assert response.status_code == 503
    assert response.json()["broker"]["ok"] is False
    assert response.json()["broker"]["error"] == "ConnectionRefusedError"


@pytest.mark.django_db
def test_readyz_accepts_a_fresh_heartbeat_and_names_no_host(client, monkeypatch):
    monkeypatch.setattr("portal.health.celery_app.control.ping", lambda timeout: [])
    WorkerHeartbeat.objects.create(name="worker@secret-host-17", seen_at=timezone.now())
    response = client.get("/readyz", HTTP_AUTHORIZATION="Bearer monitor-token")
    assert response.status_code == 200
    assert response.json()["worker"] == {
        "ok": True,
        "via": "heartbeat",
        "seen_at": response.json()["worker"]["seen_at"],
    }
    assert "secret-host-17" not in response.content.decode()


@pytest.mark.django_db
def test_readyz_counts_workers_that_answer_the_ping_without_naming_them(client, monkeypatch):
    replies = [{"worker@secret-host-1": {"ok": "pong"}}, {"worker@secret-host-2": {"ok": "pong"}}]
    monkeypatch.setattr("portal.health.celery_app.control.ping", lambda timeout: replies)
    response = client.get("/readyz", HTTP_AUTHORIZATION="Bearer monitor-token")
    assert response.status_code == 200
    assert response.json()["worker"] == {"ok": True, "via": "ping", "workers": 2}
    assert "secret-host" not in response.content.decode()


@pytest.mark.django_db
def test_readyz_reports_a_database_failure(client, monkeypatch):
    def broken():
        raise ConnectionError("db down")

    monkeypatch.setattr("portal.health.connection.cursor", broken)
    monkeypatch.setattr("portal.health.celery_app.control.ping", lambda timeout: [{"w@x": {"ok": "pong"}}])
    response = client.get("/readyz", HTTP_AUTHORIZATION="Bearer monitor-token")
    assert response.status_code == 503
    assert response.json()["database"] == {"ok": False, "error": "ConnectionError"}


@pytest.mark.django_db
def test_unknown_url_gets_the_styled_404(client):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Không tìm thấy trang" in html
    assert "portal.css" in html


@pytest.mark.django_db
@pytest.mark.urls("tests.portal.test_health_and_errors")
def test_server_error_gets_the_styled_500_without_traceback(client, settings):
    settings.DEBUG = False
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Hệ thống đang gặp sự cố" in html
    assert "secret internal detail" not in html and "Traceback" not in html


@pytest.mark.django_db
def test_security_headers_are_sent(client):
    response = client.get("/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_language_switch_turns_the_page_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    assert '<html lang="en">' in response.content.decode()
    assert "Find a procedure" in response.content.decode()


def _manage(*args, env_extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_refuses_to_start_without_secret_key():
    result = _manage("check", env_extra={"DJANGO_ENV": "production", "DJANGO_ALLOWED_HOSTS": "x.example.vn"})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    secret = "k" * 30 + "abcdefghijklmnopqrstuvwxyz"
    result = _manage("check", env_extra={"DJANGO_ENV": "production", "DJANGO_SECRET_KEY": secret})
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS must be set" in result.stderr


def test_check_deploy_passes_in_production_mode():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_extra={
            "DJANGO_ENV": "production",
            "DJANGO_SECRET_KEY": "vQ3-production-like-secret-key-for-the-check-0123456789abcdefXYZ",
            "DJANGO_ALLOWED_HOSTS": "dichvucong.example.vn",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
