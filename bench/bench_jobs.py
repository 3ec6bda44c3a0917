"""Benchmarks of the jobs (make bench-jobs): the deadline sweep over 1,000,000 open dossiers on
PostgreSQL, and the delivery rate of 10,000 email notifications with two worker processes on Redis.
Needs the local PostgreSQL and Redis; uses its own database (portal_bench). Writes
bench/results/jobs-<timestamp>.json and prints the figures."""

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DB_NAME = os.environ.get("BENCH_DB", "portal_bench")
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/14")
DOSSIERS = int(os.environ.get("BENCH_DOSSIERS", "1000000"))
EMAILS = int(os.environ.get("BENCH_EMAILS", "10000"))

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
        cursor.execute(f"""
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
        """, [version.pk, filer.pk, filer.pk, n])  # noqa: S608
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
    return {"open_dossiers": DOSSIERS, "seconds": round(first, 2), "reminders_created": result.due_soon +
            result.overdue, "flagged_for_extension": result.flagged, "second_run_seconds": round(second, 2),
            "second_run_created": again.due_soon + again.overdue, "outbox_rows": Notification.objects.count(),
            "limit_seconds": 10, "passed": first <= 10}


def bench_delivery(*, batched: bool) -> dict:
    from django.db import connection
    from django.utils import timezone

    from portal.models import Notification, User
    from portal.tasks import deliver_notification, deliver_notifications_batch

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM portal_notification")
    user = User.objects.get(email="an.nguyen@example.vn")
    now = timezone.now()
    Notification.objects.bulk_create([Notification(recipient=user, channel="email", event="bench",
                                                   subject=f"Thông báo {i}", body="Nội dung thử",
                                                   idempotency_key=f"bench:{i}", created_at=now)
                                      for i in range(EMAILS)], batch_size=2000)
    ids = list(Notification.objects.filter(event="bench").values_list("pk", flat=True))
    mail_dir = tempfile.mkdtemp(prefix="bench-mail-")
    env = {**os.environ, "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
           "EMAIL_FILE_PATH": mail_dir}
    worker = subprocess.Popen([sys.executable, "-m", "celery", "-A", "portal", "worker", "--concurrency=2",
                               "--loglevel=WARNING", "-n", "bench@%h", "--without-gossip", "--without-mingle"],
                              cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        time.sleep(8)  # both processes up and connected
        started = time.perf_counter()
        if batched:  # the path sweeps and digests use: 100 per task over one mail connection
            for start in range(0, len(ids), 100):
                deliver_notifications_batch.delay(ids[start:start + 100])
        else:  # one task per notification, the path of single events
            for pk in ids:
                deliver_notification.delay(pk)
        enqueued = time.perf_counter() - started
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            if not Notification.objects.filter(event="bench").exclude(state="sent").exists():
                break
            time.sleep(0.2)
        elapsed = time.perf_counter() - started
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=60)
    sent = Notification.objects.filter(event="bench", state="sent").count()
    written = sum(Path(mail_dir, name).read_text(encoding="utf-8", errors="replace").count("Message-ID: <bench:")
                  for name in os.listdir(mail_dir))
    rate = sent / elapsed
    return {"emails": EMAILS, "sent": sent, "messages_written": written, "seconds": round(elapsed, 2),
            "enqueue_seconds": round(enqueued, 2), "per_second": round(rate, 1), "worker_processes": 2,
            "batched": batched, "limit_per_second": 500, "passed": sent == EMAILS == written and rate >= 500}


def main():
    reset_database()
    setup_django()
    started = time.perf_counter()
    generate_dossiers(DOSSIERS)
    generated = time.perf_counter() - started
    results = {"when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "machine": os.uname().nodename,
               "cores": os.cpu_count(), "generate_seconds": round(generated, 1),
               "sweep": bench_sweep(), "delivery": bench_delivery(batched=True),
               "delivery_one_task_each": bench_delivery(batched=False)}
    out = ROOT / "bench" / "results" / f"jobs-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S}.json"
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (ROOT / "bench" / "results" / "jobs-latest.json").write_text(out.read_text(encoding="utf-8"), encoding="utf-8")
    sweep, delivery = results["sweep"], results["delivery"]
    print(f"Deadline sweep over {sweep['open_dossiers']:,} open dossiers: {sweep['seconds']} s "
          f"({sweep['reminders_created']:,} reminders; limit 10 s) -> {'OK' if sweep['passed'] else 'TOO SLOW'}")
    single = results["delivery_one_task_each"]
    print(f"Email delivery, {delivery['emails']:,} notifications, 2 worker processes, batched as the sweep sends "
          f"them: {delivery['per_second']}/s (limit 500/s) -> {'OK' if delivery['passed'] else 'TOO SLOW'}")
    print(f"  (one task per notification, the path of single events: {single['per_second']}/s)")
    print(f"Results: {out.relative_to(ROOT)}")
    return 0 if sweep["passed"] and delivery["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
