import socket

from celery import shared_task
from django.conf import settings

from portal.services import heartbeat_record


@shared_task(name="portal.tasks.record_heartbeat")
def record_heartbeat(name: str | None = None) -> str:
    """Idempotent: one row per worker name, stamped with the time it last ran a task."""
    beat = heartbeat_record(name=name or f"worker@{socket.gethostname()}")
    return beat.name


@shared_task(name="portal.tasks.deliver_notification", bind=True, max_retries=None)
def deliver_notification(self, notification_id: int) -> None:
    """Retries with exponential backoff; after the last attempt the notification is marked failed,
    never lost. A notification another worker is delivering is retried after its lease."""
    from portal.notifications import Leased, deliver, mark_failed

    try:
        deliver(notification_id)
    except Leased as leased:
        raise self.retry(countdown=max(1, int(leased.seconds) + 1)) from None
    except Exception as exc:
        attempts = self.request.retries + 1
        if attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
            mark_failed(notification_id, exc)
            return
        raise self.retry(exc=exc, countdown=min(900, settings.NOTIFICATION_RETRY_BASE_SECONDS * 2 ** (attempts - 1))) \
            from exc


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
    that fail go on one by one, each with its own retries and backoff."""
    from portal.notifications import deliver_many

    sent, failed = deliver_many(notification_ids)
    for pk in failed:
        deliver_notification.apply_async(args=[pk], countdown=settings.NOTIFICATION_RETRY_BASE_SECONDS)
    return sent


@shared_task(name="portal.tasks.deliver_pending_since")
def deliver_pending_since(stamp: str, chunk: int = 200) -> int:
    """Fan out the delivery of the pending notifications a sweep created at `stamp`, in batches."""
    import datetime as dt

    from portal.models import Notification, NotificationState

    created_at = dt.datetime.fromisoformat(stamp)
    ids = list(Notification.objects.filter(state=NotificationState.PENDING, created_at=created_at)
               .values_list("pk", flat=True))
    for start in range(0, len(ids), chunk):
        deliver_notifications_batch.delay(ids[start:start + chunk])
    return len(ids)
