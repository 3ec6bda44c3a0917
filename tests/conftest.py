"""Shared fixtures. Service-backed tests (Redis + a real Celery worker) and browser tests skip on a
developer machine that lacks the service, and FAIL instead when PORTAL_REQUIRE_ALL_TESTS=1 (as
.ci/run sets it), so CI can never pass with them silently skipped."""

import os
import shutil
import uuid

import pytest

REQUIRE_ALL = os.environ.get("PORTAL_REQUIRE_ALL_TESTS") == "1"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def unavailable(reason: str):
    """Skip on a developer machine; fail in CI."""
    if REQUIRE_ALL:
        pytest.fail(f"required test could not run: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if REQUIRE_ALL and report.skipped:
        report.outcome = "failed"
        report.longrepr = f"skipped, but PORTAL_REQUIRE_ALL_TESTS=1 requires every test to run: {report.longrepr}"


@pytest.fixture(autouse=True, scope="session")
def _test_broker():
    """Without Redis, tasks enqueued by tests go to an in-memory broker, never to the development
    queue under var/ that `make run`'s worker reads."""
    from portal.celery import app

    if not os.environ.get("REDIS_URL"):
        app.conf.broker_url = "memory://"
    yield


@pytest.fixture
def enqueued(monkeypatch):
    """Records, as (id,) per notification, the rows announced for delivery after commit, instead of
    waking a delivery task on the broker."""
    calls = []
    from portal import notifications

    monkeypatch.setattr(notifications, "notifications_committed", lambda ids: calls.extend((pk,) for pk in ids))
    return calls


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def _vietnamese():
    """Each test starts in the default language (a request in English leaves it active otherwise)."""
    from django.utils import translation

    translation.activate("vi")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters and reference lists do not leak from one test into the next. On Redis only
    the counters go: the broker shares the database, so a flush would drop queued tasks."""
    from django.core.cache import cache

    from dossiers.templatetags.dossier_tags import forget_forms
    from portal.cache import forget
    from portal.templatetags.portal_tags import forget_constants

    forget()
    forget_constants()
    forget_forms()
    if hasattr(cache, "_cache") and hasattr(cache._cache, "get_client"):
        client = cache._cache.get_client(write=True)
        for pattern in (
            "*track:*",
            "*rl:*",
            "*reset-mail:*",
            "*register-mail:*",
            "*views.decorators.cache*",
            "*throttle_*",
        ):
            for key in client.scan_iter(match=pattern):
                client.delete(key)
    else:
        cache.clear()


@pytest.fixture(autouse=True)
def _generous_rate_limits(settings):
    """Tests log in and look up far more often than a person; tests of the limits set their own."""
    for name in (
        "PORTAL_RATE_LOGIN",
        "PORTAL_RATE_REGISTER",
        "PORTAL_RATE_PASSWORD_RESET",
        "PORTAL_RATE_TRACK",
        "PORTAL_RATE_TWO_FACTOR",
    ):
        setattr(settings, name, "10000/m")


@pytest.fixture(autouse=True)
def _force_login_gives_second_factor(monkeypatch):
    """`client.force_login(user)` stands for a whole login: for staff and superusers that includes
    the second factor, with an authenticator device made for them (tests.support.second_factor_pass).
    Tests of the second step itself log in with the password form, or use `password_only_login`."""
    from django.test import Client

    from tests.support import second_factor_pass

    password_only = Client.force_login

    def force_login(self, user, backend=None):
        password_only(self, user, backend)
        second_factor_pass(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)
    monkeypatch.setattr(Client, "password_only_login", password_only, raising=False)


@pytest.fixture(autouse=True)
def _locmem_email(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def redis_url():
    url = os.environ.get("REDIS_URL", "")
    if not url:
        unavailable("REDIS_URL is not set")
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except Exception as exc:  # noqa: BLE001
        unavailable(f"Redis at {url} does not answer: {exc}")
    return url


@pytest.fixture
def live_worker(redis_url, transactional_db):
    """A real Celery worker (thread, solo pool) consuming a queue of its own on Redis."""
    from celery.contrib.testing.worker import start_worker

    from portal.celery import app

    queue = f"test-{uuid.uuid4().hex[:8]}"
    old_queue = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, queues=[queue], shutdown_timeout=10) as w:
            yield w
    finally:
        app.conf.task_default_queue = old_queue


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM) or not shutil.which(CHROMIUM):
        unavailable(f"Chromium not found at {CHROMIUM}")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
                "--disable-quic",
            ],
        )
        yield instance
        instance.close()


@pytest.fixture
def screenshot_dir():
    path = os.path.join(os.path.dirname(os.path.dirname(__file__)), "test-artifacts", "screenshots")
    os.makedirs(path, exist_ok=True)
    return path
