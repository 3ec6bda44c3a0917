import socket

from celery import shared_task

from portal.services import heartbeat_record


@shared_task(name="portal.tasks.record_heartbeat")
def record_heartbeat(name: str | None = None) -> str:
    """Idempotent: one row per worker name, stamped with the time it last ran a task."""
    beat = heartbeat_record(name=name or f"worker@{socket.gethostname()}")
    return beat.name


@shared_task(name="portal.tasks.deliver_notification", bind=True, max_retries=5)
def deliver_notification(self, notification_id: int) -> None:
    """Retries with exponential backoff; after the last attempt the notification is marked failed,
    never lost."""
    from portal.notifications import deliver, mark_failed

    try:
        deliver(notification_id)
    except Exception as exc:
        if self.request.retries >= self.max_retries:
            mark_failed(notification_id, exc)
            return
        raise self.retry(exc=exc, countdown=min(900, 10 * 2 ** self.request.retries)) from exc
