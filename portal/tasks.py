import socket
import time

from celery import shared_task

from portal.services import heartbeat_record


@shared_task(name="portal.tasks.record_heartbeat")
def record_heartbeat(name: str | None = None) -> str:
    """Idempotent: one row per worker name, stamped with the time it last ran a task."""
    beat = heartbeat_record(name=name or f"worker@{socket.gethostname()}")
    return beat.name


@shared_task(name="portal.tasks.deliver_pending_notifications")
def deliver_pending_notifications(wake_key: str | None = None) -> int:
    """The coalesced delivery of single events: claim up to one chunk of the pending, due rows and
    send them over one mail connection. A full chunk means more are waiting, so another task is
    enqueued first and a second worker process shares the backlog. Failures come back after their
    backoff (the row stays leased until then; a task is scheduled for that moment)."""
    from django.core.cache import cache

    from portal.notifications import CHUNK, claim_due, schedule_delivery, send_claimed

    if wake_key:
        cache.delete(wake_key)  # rows committed from now on wake a task of their own
    ids = claim_due(CHUNK)
    if len(ids) == CHUNK:
        deliver_pending_notifications.delay()
    sent, _failed, retry_in = send_claimed(ids)
    if retry_in is not None:
        schedule_delivery(at=time.time() + retry_in)
    return len(sent)


@shared_task(name="portal.tasks.deliver_notification")
def deliver_notification(notification_id: int) -> int:
    """One notification. Nothing enqueues this any more; it stays so that tasks queued before delivery
    was coalesced still run after an upgrade."""
    return deliver_notifications_batch(notification_ids=[notification_id])


@shared_task(name="portal.tasks.requeue_pending_notifications")
def requeue_pending_notifications() -> int:
    from portal.notifications import requeue_stale

    return requeue_stale()


@shared_task(name="portal.tasks.purge_old_notifications")
def purge_old_notifications() -> int:
    from portal.notifications import purge_read_in_app

    return purge_read_in_app()


@shared_task(name="portal.tasks.deliver_notifications_batch")
def deliver_notifications_batch(notification_ids: list[int]) -> int:
    """Many notifications over one mail connection (sweeps and digests make many at once). Those
    that fail are retried after their backoff by the coalesced task (deliver_many schedules it)."""
    from portal.notifications import deliver_many

    sent, _failed = deliver_many(notification_ids)
    return sent


@shared_task(name="portal.tasks.deliver_pending_since")
def deliver_pending_since(stamp: str, chunk: int = 200) -> int:
    """Fan out the delivery of the pending notifications a sweep created at `stamp`, in batches."""
    import datetime as dt

    from portal.models import Notification, NotificationState

    created_at = dt.datetime.fromisoformat(stamp)
    ids = list(
        Notification.objects.filter(state=NotificationState.PENDING, created_at=created_at).values_list("pk", flat=True)
    )
    for start in range(0, len(ids), chunk):
        deliver_notifications_batch.delay(ids[start : start + chunk])
    return len(ids)
