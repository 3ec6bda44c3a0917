"""Reliability with a real worker on Redis: nothing lost, nothing sent twice."""

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.db import connection, connections, transaction

from portal.models import Notification, NotificationChannel
from portal.notifications import notify
from tests.conftest import unavailable
from tests.factories import UserFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]


def wait_for(predicate, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_a_task_enqueued_in_a_transaction_that_rolls_back_never_runs(live_worker, settings, monkeypatch):
    # Issue 11, item 16: without on_commit the task ran, found no row and sent nothing, so the test
    # passed anyway; now it also asks whether delivery was scheduled at all.
    from portal import notifications

    scheduled = []
    real = notifications.schedule_delivery
    monkeypatch.setattr(notifications, "schedule_delivery", lambda **kw: scheduled.append(kw) or real(**kw))
    user = UserFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(
            recipient=user,
            event="test",
            key="rollback",
            subject="Không gửi",
            body="x",
            channels=[NotificationChannel.EMAIL],
        )
        raise RuntimeError("the event failed")
    time.sleep(3)  # give a (wrongly) enqueued task time to run
    assert scheduled == []
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_a_committed_notification_is_delivered_by_the_worker(live_worker):
    user = UserFactory()
    with transaction.atomic():
        [email] = notify(
            recipient=user, event="test", key="commit", subject="Gửi", body="x", channels=[NotificationChannel.EMAIL]
        )
    assert wait_for(lambda: Notification.objects.get(pk=email.pk).state == "sent")
    assert len(mail.outbox) == 1 and mail.outbox[0].extra_headers["Message-ID"].startswith("<commit:email@")


def test_an_smtp_failure_retries_with_backoff_then_ends_failed(live_worker, settings):
    settings.EMAIL_BACKEND = "tests.support.FailingEmailBackend"
    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 1
    user = UserFactory()
    started = time.monotonic()
    with transaction.atomic():
        [email] = notify(
            recipient=user, event="test", key="smtp-down", subject="Lỗi", body="x", channels=[NotificationChannel.EMAIL]
        )
    assert wait_for(lambda: Notification.objects.get(pk=email.pk).state == "failed", timeout=60)
    email.refresh_from_db()
    assert email.attempts == 3 and "SMTPServerDisconnected" in email.last_error
    assert time.monotonic() - started >= 3  # waited 1 s, then 2 s, between the attempts


def test_two_sweeps_at_the_same_time_create_the_same_reminders_as_one(filed, staff, monkeypatch):
    if connection.vendor != "postgresql":
        unavailable("needs PostgreSQL (set DATABASE_URL)")
    import datetime as dt

    from django.utils import timezone

    from dossiers.models import Dossier
    from dossiers.sweeps import run_deadline_sweep
    from portal import tasks
    from tests.dossiers.conftest import run_to

    monkeypatch.setattr(tasks.deliver_pending_since, "delay", lambda stamp: None)
    dossier = run_to(filed, "appraising", staff)
    now = timezone.now()
    Dossier.objects.filter(pk=dossier.pk).update(due_at=now - dt.timedelta(hours=1))
    Notification.objects.all().delete()  # only the sweep's reminders from here on
    barrier = threading.Barrier(2)

    def sweep():
        try:
            barrier.wait(timeout=20)
            run_deadline_sweep(now=now)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    concurrent = sorted(Notification.objects.values_list("idempotency_key", flat=True))
    Notification.objects.all().delete()
    run_deadline_sweep(now=now)
    single = sorted(Notification.objects.values_list("idempotency_key", flat=True))
    assert concurrent == single and len(single) == 4


def messages_in(mail_dir):
    return [line for f in mail_dir.iterdir() for line in f.read_text().splitlines() if line.startswith("Message-ID:")]


def _worker(env, name):
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "-n",
            f"{name}@%h",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def test_a_worker_killed_mid_delivery_delivers_exactly_once_after_restart(redis_url, tmp_path):
    if connection.vendor != "postgresql":
        unavailable("needs PostgreSQL (set DATABASE_URL) for a worker in another process")
    settings_dict = connection.settings_dict
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    env = {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{settings_dict['USER']}@{settings_dict['HOST']}:"
            f"{settings_dict['PORT']}/{settings_dict['NAME']}"
        ),
        "REDIS_URL": redis_url,
        "EMAIL_BACKEND": "tests.support.SlowFileEmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "SLOW_EMAIL_SECONDS": "5",
        "CELERY_VISIBILITY_TIMEOUT": "4",
        "CELERY_UNACKED_RESTORE_INTERVAL": "1",
        "CELERY_UNACKED_RESTORE_THROTTLE": "1",
        "NOTIFICATION_LEASE_SECONDS": "2",
        "DJANGO_SETTINGS_MODULE": "portal.settings",
    }
    import redis

    redis.Redis.from_url(redis_url).delete("celery")  # tasks other tests left in the default queue
    user = UserFactory()
    first = _worker(env, "first")
    try:
        time.sleep(4)  # the worker connects
        with transaction.atomic():
            [email] = notify(
                recipient=user,
                event="test",
                key="sigkill",
                subject="Một lần",
                body="x",
                channels=[NotificationChannel.EMAIL],
            )
        # Wait until the worker took the lease (it is now "sending" for 5 s), then kill it hard.
        assert wait_for(lambda: Notification.objects.get(pk=email.pk).attempts == 1, timeout=30), (
            first.stdout.read1().decode(errors="replace") if first.stdout else ""
        )
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
        assert messages_in(mail_dir) == []  # killed before the message went out
        second = _worker(env, "second")
        try:
            assert wait_for(lambda: Notification.objects.get(pk=email.pk).state == "sent", timeout=60), (
                second.stdout.read1().decode(errors="replace") if second.stdout else ""
            )
        finally:
            os.killpg(second.pid, signal.SIGTERM)
            second.wait(timeout=20)
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
    # Count messages, not files: each worker's mail connection opens a file of its own before it sends.
    assert messages_in(mail_dir) == [f"Message-ID: <sigkill:email@{django_settings.PORTAL_MAIL_DOMAIN}>"]
    email.refresh_from_db()
    assert email.attempts == 2
