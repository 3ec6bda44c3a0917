"""Benchmarks of the jobs (make bench-jobs): the deadline sweep over 1,000,000 open dossiers on
PostgreSQL, and the delivery rate of 10,000 email notifications with two worker processes on Redis,
both batched (as sweeps send them) and as single events (one notify() and commit each).
Needs the local PostgreSQL and Redis; uses its own database (portal_bench). Writes
bench/results/jobs-<timestamp>.json and prints the figures."""

import datetime as dt
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DB_NAME = os.environ.get("BENCH_DB", "portal_bench")
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/14")
DOSSIERS = int(os.environ.get("BENCH_DOSSIERS", "1000000"))
EMAILS = int(os.environ.get("BENCH_EMAILS", "10000"))
PRODUCERS = int(os.environ.get("BENCH_PRODUCERS", "8"))

os.environ.update({"DATABASE_URL": f"{PG}/{DB_NAME}", "REDIS_URL": REDIS, "DJANGO_SETTINGS_MODULE": "portal.settings"})
sys.path.insert(0, str(ROOT))


def reset_database():
    import psycopg2

    admin = psycopg2.connect(f"{PG}/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {DB_NAME}")
    admin.close()


def setup_django():
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_demo", "--quiet-logins", stdout=open(os.devnull, "w"))  # noqa: SIM115


def generate_dossiers(n: int) -> None:
    """n open dossiers under appraisal across the demo communes, appointments spread over 90 days
    around now (about 3 % overdue, 1 % due within a working day), one of the specialists assigned."""
    from django.db import connection

    from portal.constants import Role
    from portal.models import Agency, StaffMembership, User
    from procedures.models import ProcedureVersion

    version = ProcedureVersion.objects.filter(status="published").order_by("id").first()
    agencies = list(Agency.objects.filter(level="commune").values_list("id", flat=True))
    filer = User.objects.get(email="an.nguyen@example.vn")
    specialists = []
    for i, agency_id in enumerate(agencies):
        user = User.objects.create(full_name=f"Chuyên viên {i}", email=f"bench{i}@example.vn", is_staff=True)
        StaffMembership.objects.create(user=user, agency_id=agency_id, role=Role.SPECIALIST)
        specialists.append(user.pk)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO dossiers_dossier (public_id, code, lookup_key, version_id, applicant_id, applicant_snapshot,
                filer_id, filer_relation, agency_id, channel, status, stage, previous_stage, answers, delivery,
                delivery_address, declaration_accepted, last_step, created_at, updated_at, submitted_at,
                received_at, clock_started_at, due_at, priority_at, assignee_id, outcome, appraisal_note,
                result_note, returned_via, search_text)
            SELECT md5(g::text)::uuid, 'BENCH-' || g, 'ABCDEF', %s, %s, '{{"full_name": "Nguyễn Văn A"}}'::jsonb,
                %s, 'self', (ARRAY{agencies})[1 + g %% {len(agencies)}], 'online', 'processing', 'appraising', '',
                '{{}}'::jsonb, 'desk', '', true, '', now(), now(), now() - interval '10 days',
                now() - interval '10 days', now() - interval '10 days',
                now() + ((g %% 90) - 3) * interval '1 day' + (g %% 24) * interval '1 hour',
                now() + ((g %% 90) - 3) * interval '1 day', (ARRAY{specialists})[1 + g %% {len(specialists)}],
                '', '', '', '', ''
            FROM generate_series(1, %s) AS g
        """,  # noqa: S608  (the interpolated lists are ids read from the database)
            [version.pk, filer.pk, filer.pk, n],
        )
        cursor.execute("ANALYZE dossiers_dossier")


def bench_sweep() -> dict:
    from dossiers.sweeps import run_deadline_sweep
    from portal.models import Notification

    started = time.perf_counter()
    result = run_deadline_sweep()
    first = time.perf_counter() - started
    started = time.perf_counter()
    again = run_deadline_sweep()
    second = time.perf_counter() - started
    return {
        "open_dossiers": DOSSIERS,
        "seconds": round(first, 2),
        "reminders_created": result.due_soon + result.overdue,
        "flagged_for_extension": result.flagged,
        "second_run_seconds": round(second, 2),
        "second_run_created": again.due_soon + again.overdue,
        "outbox_rows": Notification.objects.count(),
        "limit_seconds": 10,
        "passed": first <= 10,
    }


def start_workers(mail_dir: str) -> subprocess.Popen:
    """Two worker processes writing mail to files, so the bench can count each message sent. The queue
    starts empty: a task left from an earlier measurement would deliver this one's rows before the clock
    starts (the bench's Redis database is its own)."""
    import redis

    redis.Redis.from_url(REDIS).flushdb()
    env = {
        **os.environ,
        "EMAIL_FILE_PATH": mail_dir,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "--concurrency=2",
            "--loglevel=WARNING",
            "-n",
            "bench@%h",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(8)  # both processes up and connected
    return worker


def stop_workers(worker: subprocess.Popen) -> None:
    os.killpg(worker.pid, signal.SIGTERM)
    worker.wait(timeout=60)


def wait_until_sent(event: str, timeout: float = 600) -> None:
    from portal.models import Notification

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not Notification.objects.filter(event=event).exclude(state="sent").exists():
            return
        time.sleep(0.05)


def messages_written(mail_dir: str, prefix: str) -> Counter:
    """How many times each idempotency key starting with `prefix` was written as a Message-ID."""
    pattern = re.compile(rf"^Message-ID: <({re.escape(prefix)}[^@>]*)@", re.MULTILINE)
    counts = Counter()
    for name in os.listdir(mail_dir):
        counts.update(pattern.findall(Path(mail_dir, name).read_text(encoding="utf-8", errors="replace")))
    return counts


def clear_outbox() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM portal_notification")


def bench_batched_delivery() -> dict:
    """The path sweeps and digests use: rows created at once, 100 per task over one mail connection."""
    from django.utils import timezone

    from portal.models import Notification, User
    from portal.tasks import deliver_notifications_batch

    clear_outbox()
    user = User.objects.get(email="an.nguyen@example.vn")
    now = timezone.now()
    Notification.objects.bulk_create(
        [
            Notification(
                recipient=user,
                channel="email",
                event="bench",
                subject=f"Thông báo {i}",
                body="Nội dung thử",
                idempotency_key=f"bench:{i}",
                created_at=now,
            )
            for i in range(EMAILS)
        ],
        batch_size=2000,
    )
    ids = list(Notification.objects.filter(event="bench").values_list("pk", flat=True))
    mail_dir = tempfile.mkdtemp(prefix="bench-mail-")
    worker = start_workers(mail_dir)
    try:
        started = time.perf_counter()
        for start in range(0, len(ids), 100):
            deliver_notifications_batch.delay(ids[start : start + 100])
        enqueued = time.perf_counter() - started
        wait_until_sent("bench")
        elapsed = time.perf_counter() - started
    finally:
        stop_workers(worker)
    sent = Notification.objects.filter(event="bench", state="sent").count()
    written = messages_written(mail_dir, "bench:")
    once = sum(1 for i in range(EMAILS) if written[f"bench:{i}"] == 1)
    rate = sent / elapsed
    return {
        "emails": EMAILS,
        "sent": sent,
        "messages_written": written.total(),
        "delivered_exactly_once": once,
        "seconds": round(elapsed, 2),
        "enqueue_seconds": round(enqueued, 2),
        "per_second": round(rate, 1),
        "worker_processes": 2,
        "batched": True,
        "limit_per_second": 500,
        "passed": sent == EMAILS == once == written.total() and rate >= 500,
    }


def produce(event, numbers) -> None:
    from django.db import connection

    try:
        for i in numbers:
            event(f"bench-single:{i}", f"Thông báo {i}")
    finally:
        connection.close()  # the thread's own connection


def bench_single_events() -> dict:
    """The path of single events: each notification created by notify() in a transaction of its own, as a
    submission or a desk action creates it, and delivered by whatever notify() schedules after commit.
    BENCH_PRODUCERS threads commit them, as several web processes would. The clock runs from the first
    commit until every one is sent; `create_seconds` says how long committing took, so a slow producer
    is told apart from slow delivery. First, one notification on the idle system, to show that
    coalescing keeps the latency of a lone message low."""
    from django.db import transaction

    from portal.models import Notification, NotificationChannel, User
    from portal.notifications import notify

    clear_outbox()
    user = User.objects.get(email="an.nguyen@example.vn")
    mail_dir = tempfile.mkdtemp(prefix="bench-mail-")

    def event(key: str, subject: str) -> None:
        with transaction.atomic():
            notify(
                recipient=user,
                event=key.split(":")[0],
                key=key,
                subject=subject,
                body="Nội dung thử",
                channels=[NotificationChannel.EMAIL],
            )

    worker = start_workers(mail_dir)
    try:
        started = time.perf_counter()
        event("bench-idle:0", "Một thông báo lẻ")
        wait_until_sent("bench-idle", timeout=60)
        idle_latency = time.perf_counter() - started
        started = time.perf_counter()
        # Events come from many web processes at once.
        producers = [threading.Thread(target=produce, args=(event, range(n, EMAILS, PRODUCERS)))
                     for n in range(PRODUCERS)]  # fmt: skip
        for producer in producers:
            producer.start()
        for producer in producers:
            producer.join()
        created = time.perf_counter() - started
        wait_until_sent("bench-single")
        elapsed = time.perf_counter() - started
    finally:
        stop_workers(worker)
    sent = Notification.objects.filter(event="bench-single", state="sent").count()
    written = messages_written(mail_dir, "bench-single:")
    once = sum(1 for i in range(EMAILS) if written[f"bench-single:{i}:email"] == 1)
    rate = sent / elapsed
    return {
        "emails": EMAILS,
        "sent": sent,
        "messages_written": written.total(),
        "delivered_exactly_once": once,
        "seconds": round(elapsed, 2),
        "create_seconds": round(created, 2),
        "producer_threads": PRODUCERS,
        "per_second": round(rate, 1),
        "idle_latency_seconds": round(idle_latency, 2),
        "worker_processes": 2,
        "limit_per_second": 500,
        "passed": sent == EMAILS == once == written.total() and rate >= 500,
    }


def main():
    reset_database()
    setup_django()
    started = time.perf_counter()
    generate_dossiers(DOSSIERS)
    generated = time.perf_counter() - started
    results = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": os.uname().nodename,
        "cores": os.cpu_count(),
        "generate_seconds": round(generated, 1),
        "sweep": bench_sweep(),
        "delivery": bench_batched_delivery(),
        "delivery_single_events": bench_single_events(),
    }
    out = ROOT / "bench" / "results" / f"jobs-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S}.json"
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (ROOT / "bench" / "results" / "jobs-latest.json").write_text(out.read_text(encoding="utf-8"), encoding="utf-8")
    sweep, delivery = results["sweep"], results["delivery"]
    print(
        f"Deadline sweep over {sweep['open_dossiers']:,} open dossiers: {sweep['seconds']} s "
        f"({sweep['reminders_created']:,} reminders; limit 10 s) -> {'OK' if sweep['passed'] else 'TOO SLOW'}"
    )
    single = results["delivery_single_events"]
    print(
        f"Email delivery, {delivery['emails']:,} notifications, 2 worker processes, batched as the sweep sends "
        f"them: {delivery['per_second']}/s (limit 500/s) -> {'OK' if delivery['passed'] else 'TOO SLOW'}"
    )
    print(
        f"Email delivery, {single['emails']:,} single events (one notify() and commit each), 2 worker processes: "
        f"{single['per_second']}/s (limit 500/s; a lone one took {single['idle_latency_seconds']} s) -> "
        f"{'OK' if single['passed'] else 'TOO SLOW'}"
    )
    print(f"Results: {out.relative_to(ROOT)}")
    return 0 if sweep["passed"] and delivery["passed"] and single["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
