"""Serving: the gunicorn config file read from the environment, the cache on its own Redis database,
and a real gunicorn (the Procfile's web line) serving pages, static files and the probes with DEBUG
off, in development and production settings."""

import http.client
import os
import re
import runpy
import shlex
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pytest

from portal.settings.base import redis_url_other_database

ROOT = Path(__file__).resolve().parents[2]
CONF = ROOT / "gunicorn.conf.py"
PRODUCTION = {
    "DJANGO_ENV": "production",
    "DJANGO_SECRET_KEY": "vQ3-production-like-secret-key-for-the-serving-test-0123456789XYZ",
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
}


def gunicorn_settings(monkeypatch, **environ) -> dict:
    for name in [k for k in os.environ if k.startswith("GUNICORN_")]:
        monkeypatch.delenv(name)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONF))


def test_gunicorn_defaults(monkeypatch):
    conf = gunicorn_settings(monkeypatch)
    cores = len(os.sched_getaffinity(0))
    assert conf["bind"] == ["127.0.0.1:8000"]
    assert conf["workers"] == min(2 * cores + 1, 8)
    assert (conf["threads"], conf["worker_class"], conf["keepalive"]) == (1, "sync", 5)
    assert conf["accesslog"] is None and conf["errorlog"] == "-"
    # Recycled workers restart at points spread over half as many requests again, into a master that
    # has the application loaded: a jitter of 200 in 2000 restarted every worker of the web benchmark
    # within two seconds while each loaded Django, and a page was served 0 times.
    assert conf["max_requests"] > 0 and conf["max_requests_jitter"] >= conf["max_requests"] // 2
    assert conf["preload_app"] is True
    assert conf["control_socket_disable"] is True and "control_socket" not in conf


def test_gunicorn_reads_the_environment(monkeypatch):
    conf = gunicorn_settings(
        monkeypatch,
        GUNICORN_BIND="0.0.0.0:9000,unix:/run/portal.sock",
        GUNICORN_WORKERS="7",
        GUNICORN_THREADS="1",
        GUNICORN_KEEPALIVE="2",
        GUNICORN_TIMEOUT="90",
        GUNICORN_GRACEFUL_TIMEOUT="10",
        GUNICORN_MAX_REQUESTS="0",
        GUNICORN_ACCESS_LOG="true",
        GUNICORN_CONTROL_SOCKET="/run/portal/gunicorn.ctl",
        GUNICORN_PRELOAD="false",
    )
    assert conf["preload_app"] is False
    assert conf["bind"] == ["0.0.0.0:9000", "unix:/run/portal.sock"]
    assert (conf["workers"], conf["threads"], conf["worker_class"]) == (7, 1, "sync")
    assert (conf["keepalive"], conf["timeout"], conf["graceful_timeout"]) == (2, 90, 10)
    assert conf["max_requests"] == 0 and conf["accesslog"] == "-"
    assert conf["control_socket"] == "/run/portal/gunicorn.ctl" and "control_socket_disable" not in conf


@pytest.mark.parametrize(
    ("broker", "cache"),
    [
        ("redis://127.0.0.1:6379/15", "redis://127.0.0.1:6379/14"),  # CI's database: the last one
        ("redis://127.0.0.1:6379/0", "redis://127.0.0.1:6379/1"),
        ("redis://127.0.0.1:6379", "redis://127.0.0.1:6379/1"),
        (
            "rediss://:s3cret@redis.example.vn:6380/7?ssl_cert_reqs=required",
            "rediss://:s3cret@redis.example.vn:6380/8?ssl_cert_reqs=required",
        ),
        ("unix:///run/redis.sock?db=15", "unix:///run/redis.sock?db=14"),
    ],
)
def test_cache_database_differs_from_the_broker_and_stays_in_range(broker, cache):
    assert redis_url_other_database(broker) == cache


def _settings_in_subprocess(**environ) -> dict:
    code = (
        "from django.conf import settings; import json; print(json.dumps({'cache': "
        "settings.CACHES['default'].get('LOCATION'), 'broker': settings.CELERY_BROKER_URL}))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS"))}
    env.update({"DJANGO_SETTINGS_MODULE": "portal.settings", **environ})
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=True
    )
    import json

    return json.loads(result.stdout.strip().splitlines()[-1])


def test_settings_put_the_cache_on_its_own_database_unless_told():
    assert _settings_in_subprocess(REDIS_URL="redis://127.0.0.1:6379/15") == {
        "cache": "redis://127.0.0.1:6379/14",
        "broker": "redis://127.0.0.1:6379/15",
    }
    explicit = _settings_in_subprocess(
        REDIS_URL="redis://127.0.0.1:6379/3", REDIS_CACHE_URL="redis://cache:6379/0", **PRODUCTION
    )
    assert explicit == {"cache": "redis://cache:6379/0", "broker": "redis://127.0.0.1:6379/3"}


# --- a real gunicorn ----------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def install(tmp_path_factory):
    """A migrated SQLite install with static files collected by production settings (hashed names and
    the manifest, plus the plain names development settings serve)."""
    var = tmp_path_factory.mktemp("serving") / "var"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS", "GUNICORN_"))}
    env.update(
        {
            "PORTAL_VAR_DIR": str(var),
            "DATABASE_URL": f"sqlite:///{var / 'portal.sqlite3'}",
            "DJANGO_SETTINGS_MODULE": "portal.settings",
        }
    )
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        subprocess.run(
            [sys.executable, "manage.py", *command, "-v0"],
            cwd=ROOT,
            env={**env, **PRODUCTION},
            check=True,
            timeout=300,
            capture_output=True,
        )
    return env


@pytest.fixture(scope="module", params=["development", "production"])
def server(request, install):
    """The Procfile's web command, on a free port, one worker with two threads."""
    port = _free_port()
    web = next(line for line in (ROOT / "Procfile").read_text().splitlines() if line.startswith("web:"))
    argv = shlex.split(web.partition(":")[2])
    assert "gunicorn.conf.py" in argv, "make run must serve with the production config file"
    env = {
        **install,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
        "GUNICORN_THREADS": "2",
        "PORTAL_HEALTH_TOKEN": "serving-test-token",
    }
    if request.param == "production":
        env.update(PRODUCTION)
    process = subprocess.Popen(
        argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"gunicorn did not start: {process.stderr.read().decode()[-2000:]}")
            time.sleep(0.2)
    yield request.param, port
    process.terminate()
    process.wait(timeout=30)


def get(port, path, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers=headers or {})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response, body


def https(mode):
    """What the TLS proxy adds in production (SECURE_PROXY_SSL_HEADER)."""
    return {"X-Forwarded-Proto": "https"} if mode == "production" else {}


def test_pages_and_static_files_load_with_debug_off(server):
    mode, port = server
    response, body = get(port, "/", https(mode))
    assert response.status == 200, body[:500]
    html = body.decode()
    assert "Cổng Dịch vụ công" in html
    stylesheets = re.findall(r'href="(/static/[^"]+\.css)"', html)
    assert any("portal" in s for s in stylesheets)
    if mode == "production":
        assert all(re.search(r"\.[0-9a-f]{12}\.css$", s) for s in stylesheets), stylesheets  # manifest names
    for stylesheet in stylesheets:
        response, body = get(port, stylesheet, {"Accept-Encoding": "gzip", **https(mode)})
        assert response.status == 200 and response.getheader("Content-Type").startswith("text/css")
        assert response.getheader("Content-Encoding") == "gzip"
    response, _ = get(port, "/procedures/", https(mode))
    assert response.status == 200


def test_probes_answer_fast_over_plain_http(server):
    """Probes come straight to gunicorn without the proxy's header: no redirect to HTTPS, and the
    liveness probe answers in well under 50 ms."""
    _, port = server
    timings = []
    for _ in range(20):
        started = time.perf_counter()
        response, body = get(port, "/healthz")
        timings.append(time.perf_counter() - started)
        assert response.status == 200 and body == b'{"ok": true}'
        assert "gunicorn" not in (response.getheader("Server") or "").lower()  # no banner naming the server
    assert statistics.median(timings) < 0.05, timings
    response, body = get(port, "/readyz")
    assert response.status == 503 and body == b'{"ok": false}'  # no worker runs here; the public says no more
    response, body = get(port, "/readyz", {"Authorization": "Bearer serving-test-token"})
    assert response.status == 503  # answered from the first call's checks, now with each part
    assert b'"database": {"ok": true' in body
