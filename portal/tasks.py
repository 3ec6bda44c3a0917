import socket

from celery import shared_task

from portal.services import heartbeat_record


@shared_task(name="portal.tasks.record_heartbeat")
def record_heartbeat(name: str | None = None) -> str:
    """Idempotent: one row per worker name, stamped with the time it last ran a task."""
    beat = heartbeat_record(name=name or f"worker@{socket.gethostname()}")
    return beat.name
