"""The status sync to the national public-service portal. Every status change of a filed dossier is
queued in the outbox (portal.Notification, channel national, keyed by the event: once per change, in
its transaction) and pushed by the outbox's worker through the backend named in
NATIONAL_SYNC_BACKEND, with the outbox's retries, backoff and final failure (resend in the admin):

- `portal.national_sync.RecordingBackend` (the default) keeps each payload as a NationalSyncRecord
  for the admin to read;
- `portal.national_sync.HttpBackend` POSTs it as JSON to NATIONAL_SYNC_URL with
  `Authorization: Bearer <NATIONAL_SYNC_TOKEN>`; anything but a 2xx is retried.

The payload's shape (docs/api.md gives the mapping) is built by dossiers.webhooks."""

import json

from django.conf import settings
from django.utils.module_loading import import_string

from portal.models import NationalSyncRecord, Notification, NotificationChannel, NotificationState
from portal.outbound import post_json


class RecordingBackend:
    def push(self, payload: dict) -> None:
        NationalSyncRecord.objects.create(payload=payload)


class HttpBackend:
    def push(self, payload: dict) -> None:
        body = json.dumps(payload, ensure_ascii=False).encode()
        post_json(settings.NATIONAL_SYNC_URL, body, {"Authorization": f"Bearer {settings.NATIONAL_SYNC_TOKEN}"})


def backend():
    return import_string(settings.NATIONAL_SYNC_BACKEND)()


def queue(*, key: str, payload) -> Notification | None:
    """Queue one status change, `payload()` (called only when a backend is set), in the caller's
    transaction; a second call with `key` queues nothing."""
    from portal.notifications import schedule_delivery_on_commit

    if not settings.NATIONAL_SYNC_BACKEND:
        return None
    payload = payload()
    notification, new = Notification.objects.get_or_create(
        idempotency_key=f"{key}:national"[:200],
        defaults={
            "channel": NotificationChannel.NATIONAL,
            "event": "status",
            "subject": f"{payload.get('MaHoSo', '')} → {payload.get('TrangThaiHoSo', '')}"[:255],
            "body": json.dumps(payload, ensure_ascii=False),
            "state": NotificationState.PENDING,
        },
    )
    if new:
        schedule_delivery_on_commit([notification.pk])
    return notification


def push(notification: Notification) -> None:
    backend().push(json.loads(notification.body))
