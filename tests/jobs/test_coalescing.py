"""Single events are delivered coalesced: the notifications committed within one window wake one task,
which claims what is pending and due and sends it over one connection. Nothing is lost on the way."""

import math
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from celery.signals import task_prerun
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemEmailBackend
from django.db import connection, connections, transaction
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from portal import notifications, tasks
from portal.models import Notification, NotificationChannel
from portal.notifications import CHUNK, notify, schedule_delivery
from tests.conftest import unavailable
from tests.factories import UserFactory
from tests.jobs.test_reliability import wait_for

ROOT = Path(__file__).resolve().parents[2]


def email(user, key):
    with transaction.atomic():
        return notify(recipient=user, event="test", key=key, subject=f"Thư {key}", body="x",
                      channels=[NotificationChannel.EMAIL])[0]  # fmt: skip


@pytest.fixture
def woken(monkeypatch):
    """The delivery tasks scheduled, instead of sending them to the broker."""
    calls = []
    monkeypatch.setattr(tasks.deliver_pending_notifications, "apply_async", lambda **kw: calls.append(kw))
    return calls


@pytest.fixture
def clock(monkeypatch):
    """The time schedule_delivery reads, set by the test."""
    now = SimpleNamespace(value=1_000_000.01)
    monkeypatch.setattr(notifications, "time", SimpleNamespace(time=lambda: now.value))
    return now


@pytest.mark.django_db
def test_notifications_committed_in_one_window_wake_one_task(woken, clock, settings,
                                                             django_capture_on_commit_callbacks):  # fmt: skip
    settings.NOTIFICATION_WINDOW_SECONDS = 0.25
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(50):
            email(user, f"burst-{i}")
    assert len(woken) == 1
    assert woken[0]["countdown"] >= 0.25 - 0.01  # at the end of the window that started 0.01 s ago
    clock.value += 0.25
    with django_capture_on_commit_callbacks(execute=True):
        email(user, "next-window")
    assert len(woken) == 2


@pytest.mark.django_db
def test_in_app_messages_and_rolled_back_events_wake_nothing(woken, django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=user, event="test", key="bell", subject="s", body="b", channels=[NotificationChannel.IN_APP])
        with pytest.raises(RuntimeError), transaction.atomic():
            email(user, "rolled-back")
            raise RuntimeError("the event failed")
    assert woken == [] and not Notification.objects.filter(channel="email").exists()


class ProcessCache:
    """The local-memory cache of one process, on the test's clock."""

    def __init__(self, now):
        self.now, self.expiry = now, {}

    def add(self, key, value, timeout):
        if self.expiry.get(key, -1) > self.now.value:
            return False
        self.expiry[key] = self.now.value + timeout
        return True

    def delete(self, key):
        self.expiry.pop(key, None)


@hypothesis_settings(max_examples=500, deadline=None)
@given(first=st.floats(0, 1000), later=st.floats(0, 3), window=st.sampled_from([0.05, 0.25, 0.5, 1.0, 2.5]))
def test_with_a_cache_per_process_a_caller_that_finds_the_key_taken_is_covered(first, later, window):
    """The embedded default has a local-memory cache in each process, so the task cannot clear the
    producer's key. A caller that finds the key taken must then have committed before the task that
    took it runs, or its rows would wait for the periodic requeue."""
    from django.conf import settings

    scheduled, now = [], SimpleNamespace(value=first)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(notifications, "cache", ProcessCache(now))
        patch.setattr(notifications, "time", SimpleNamespace(time=lambda: now.value))
        patch.setattr(tasks.deliver_pending_notifications, "apply_async",
                      lambda **kw: scheduled.append(now.value + kw["countdown"]))  # fmt: skip
        patch.setattr(settings, "NOTIFICATION_WINDOW_SECONDS", window)
        assert schedule_delivery()
        now.value = first + later
        if not schedule_delivery():
            assert scheduled[-1] > now.value


# --- on a real worker (Redis) ---------------------------------------------------------------------


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_burst_takes_few_tasks_and_each_message_goes_once(live_worker, settings):
    user = UserFactory()
    runs = []
    count_run = lambda sender, **kw: runs.append(sender.name)  # noqa: E731
    task_prerun.connect(count_run, weak=False)
    try:
        started = time.monotonic()
        rows = [email(user, f"burst-{i}") for i in range(300)]
        with pytest.raises(RuntimeError), transaction.atomic():
            email(user, "rolled-back")
            raise RuntimeError("the event failed")
        windows = math.ceil((time.monotonic() - started) / settings.NOTIFICATION_WINDOW_SECONDS) + 1
        assert wait_for(lambda: not Notification.objects.filter(state="pending").exists(), timeout=60)
    finally:
        task_prerun.disconnect(count_run)
    ids = sorted(m.extra_headers["Message-ID"] for m in mail.outbox)
    assert ids == sorted(f"<burst-{i}:email@{settings.PORTAL_MAIL_DOMAIN}>" for i in range(300))
    assert set(Notification.objects.filter(pk__in=[r.pk for r in rows]).values_list("attempts", flat=True)) == {1}
    # One task per window that saw a commit, plus one per further full chunk: not one per message.
    deliveries = runs.count("portal.tasks.deliver_pending_notifications")
    assert 1 <= deliveries <= windows + math.ceil(300 / CHUNK), (deliveries, windows)


class CommitsDuringSendBackend(LocmemEmailBackend):
    """The first time it sends, another connection commits a notification, as a web process would
    while the worker is in the middle of a batch."""

    late = threading.Event()

    def send_messages(self, messages):
        if not self.late.is_set():
            self.late.set()
            thread = threading.Thread(target=self._commit_one)
            thread.start()
            thread.join()
        return super().send_messages(messages)

    @staticmethod
    def _commit_one():
        try:
            email(Notification.objects.order_by("pk").first().recipient, "late")
        finally:
            connections.close_all()


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_notification_committed_while_a_batch_runs_is_delivered(live_worker, settings):
    settings.EMAIL_BACKEND = "tests.jobs.test_coalescing.CommitsDuringSendBackend"
    CommitsDuringSendBackend.late.clear()
    user = UserFactory()
    for i in range(5):
        email(user, f"early-{i}")
    assert wait_for(lambda: Notification.objects.filter(idempotency_key="late:email", state="sent").exists(),
                    timeout=30)  # fmt: skip
    assert wait_for(lambda: not Notification.objects.filter(state="pending").exists(), timeout=30)
    keys = sorted(m.extra_headers["Message-ID"].split("@")[0] for m in mail.outbox)
    assert keys == sorted([f"<early-{i}:email" for i in range(5)] + ["<late:email"])


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_lone_notification_goes_out_within_about_a_second(live_worker, settings):
    user = UserFactory()
    email(user, "warm-up")  # the worker's first task pays for its connections
    assert wait_for(lambda: not Notification.objects.filter(state="pending").exists(), timeout=30)
    started = time.monotonic()
    row = email(user, "lone")
    assert wait_for(lambda: Notification.objects.get(pk=row.pk).state == "sent", timeout=30)
    assert time.monotonic() - started < 4 * settings.NOTIFICATION_WINDOW_SECONDS + 0.5


# --- on the embedded default (no Redis) ------------------------------------------------------------

PRODUCER = """
import django, os, random, time
django.setup()
from django.db import transaction
from portal.models import NotificationChannel, User
from portal.notifications import notify
user = User.objects.get(pk=int(os.environ["USER_ID"]))
for i in range(int(os.environ["COUNT"])):
    with transaction.atomic():
        notify(recipient=user, event="test", key=f"embedded-{i}", subject="s", body="b",
               channels=[NotificationChannel.EMAIL])
    time.sleep(random.random() / 50)  # commits spread over many windows, some at their edges
"""


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_embedded_default_with_a_cache_per_process_loses_nothing(tmp_path):
    """Producer and two worker processes, each with its own local-memory cache, on the filesystem
    broker. No beat runs, and the periodic requeue would only look after 60 s: a lost wake-up fails."""
    if connection.vendor != "postgresql":
        unavailable("needs PostgreSQL (set DATABASE_URL) for a worker in another process")
    db = connection.settings_dict
    mail_dir = tmp_path / "mail"
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    env.update({"DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
                "DJANGO_SETTINGS_MODULE": "tests.jobs.embedded_settings", "EMBEDDED_BROKER_DIR": str(tmp_path),
                "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                "EMAIL_FILE_PATH": str(mail_dir), "USER_ID": str(UserFactory().pk), "COUNT": "200",
                # A window longer than the broker's 1 s poll: a task that ran before its window closed
                # would leave the window's later commits behind, and this test would see it.
                "NOTIFICATION_WINDOW_SECONDS": "2"})  # fmt: skip
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "--concurrency=2", "--loglevel=WARNING",
         "-n", "embedded@%h", "--without-heartbeat", "--without-mingle", "--without-gossip"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        subprocess.run([sys.executable, "-c", PRODUCER], cwd=ROOT, env=env, check=True, timeout=120)
        delivered = wait_for(lambda: Notification.objects.filter(state="sent").count() == 200, timeout=45)
    finally:
        os.killpg(worker.pid, signal.SIGKILL)  # nothing of it is needed any more: the outcome is in the database
        output = worker.communicate(timeout=30)[0].decode(errors="replace")
    assert delivered, (Notification.objects.filter(state="sent").count(), output[-3000:])
    written = [line for f in mail_dir.iterdir() for line in f.read_text().splitlines() if line.startswith("Message-ID")]
    assert sorted(written) == sorted(f"Message-ID: <embedded-{i}:email@{db_domain()}>" for i in range(200))


def db_domain():
    from django.conf import settings

    return settings.PORTAL_MAIL_DOMAIN
