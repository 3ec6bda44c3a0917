"""The Celery app. Reliability defaults: a task is acknowledged only after it ran (acks_late) and
is redelivered if its worker dies (reject_on_worker_lost); workers take one task at a time; tasks
retry with exponential backoff. Periodic jobs are declared in one place: PERIODIC_TASKS below."""

import os

from celery import Celery, Task
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")


class PortalTask(Task):
    acks_late = True
    reject_on_worker_lost = True
    autoretry_for = (ConnectionError, TimeoutError)
    retry_backoff = 5
    retry_backoff_max = 600
    retry_jitter = True
    max_retries = 5


app = Celery("portal", task_cls=PortalTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.update(
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    task_serializer="json",
    accept_content=["json"],
    result_backend=None,
    task_ignore_result=True,
    timezone="Asia/Ho_Chi_Minh",
    broker_connection_retry_on_startup=True,
    worker_hijack_root_logger=False,
)

# The one place periodic jobs are declared (docs/operations.md describes each).
PERIODIC_TASKS = {
    "worker-heartbeat": {"task": "portal.tasks.record_heartbeat", "schedule": 30.0},
    "deadline-sweep": {"task": "dossiers.tasks.deadline_sweep", "schedule": 300.0},
    "sign-pending-documents": {"task": "dossiers.tasks.sign_pending_documents", "schedule": 300.0},
    "expire-payment-orders": {"task": "dossiers.tasks.expire_payment_orders", "schedule": 300.0},
    "match-statement-lines": {"task": "dossiers.tasks.match_statement_lines", "schedule": 900.0},
    "requeue-pending-notifications": {"task": "portal.tasks.requeue_pending_notifications", "schedule": 60.0},
    "leader-digest": {"task": "dossiers.tasks.leader_digest", "schedule": crontab(hour=7, minute=0)},
    "expire-drafts": {"task": "dossiers.tasks.expire_drafts", "schedule": crontab(hour=2, minute=15)},
    "recount-queue-counters": {"task": "dossiers.tasks.recount_queue_counters", "schedule": crontab(hour=2, minute=45)},
    "reconcile-figures": {"task": "dossiers.tasks.reconcile_figures", "schedule": crontab(hour=1, minute=5)},
    "purge-old-notifications": {"task": "portal.tasks.purge_old_notifications", "schedule": crontab(hour=3, minute=0)},
}
app.conf.beat_schedule = PERIODIC_TASKS
app.autodiscover_tasks()
