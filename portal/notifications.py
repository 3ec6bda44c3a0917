"""Creating and delivering notifications (the outbox). Other apps call `notify`; delivery is a
Celery task enqueued after the surrounding transaction commits, so a rolled-back event sends nothing."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from portal.models import Notification, NotificationChannel, NotificationState


def notify(*, recipient, event: str, key: str, subject: str, body: str, link: str = "",
           channels=(NotificationChannel.EMAIL, NotificationChannel.IN_APP)) -> list[Notification]:
    """One notification per channel, unique per (key, channel): calling twice creates nothing new."""
    created = []
    for channel in channels:
        if channel == NotificationChannel.EMAIL and not recipient.email:
            continue
        idempotency_key = f"{key}:{channel}"
        in_app = channel == NotificationChannel.IN_APP
        try:
            with transaction.atomic():
                notification = Notification.objects.create(
                    recipient=recipient, channel=channel, event=event, subject=subject[:255], body=body, link=link,
                    idempotency_key=idempotency_key,
                    state=NotificationState.SENT if in_app else NotificationState.PENDING,
                    sent_at=timezone.now() if in_app else None,
                )
        except IntegrityError:
            continue
        created.append(notification)
        if channel != NotificationChannel.IN_APP:
            from portal.tasks import deliver_notification

            transaction.on_commit(lambda pk=notification.pk: deliver_notification.delay(pk))
    return created


def deliver(notification_id: int) -> Notification | None:
    """Send one pending notification; a sent one is never sent again."""
    with transaction.atomic():
        notification = (Notification.objects.select_for_update().select_related("recipient")
                        .filter(pk=notification_id).first())
        if notification is None or notification.state == NotificationState.SENT:
            return notification
        notification.attempts += 1
        try:
            if notification.channel == NotificationChannel.EMAIL:
                send_mail(notification.subject, _with_link(notification), settings.DEFAULT_FROM_EMAIL,
                          [notification.recipient.email])
        except Exception as exc:
            notification.last_error = f"{exc.__class__.__name__}: {exc}"[:2000]
            notification.save(update_fields=["attempts", "last_error"])
            raise
        notification.state, notification.sent_at, notification.last_error = NotificationState.SENT, timezone.now(), ""
        notification.save(update_fields=["state", "sent_at", "attempts", "last_error"])
        return notification


def _with_link(notification) -> str:
    if not notification.link:
        return notification.body
    base = getattr(settings, "PORTAL_BASE_URL", "").rstrip("/")
    return f"{notification.body}\n\n{base}{notification.link}"


def mark_failed(notification_id: int, exc: Exception) -> None:
    Notification.objects.filter(pk=notification_id).exclude(state=NotificationState.SENT).update(
        state=NotificationState.FAILED, last_error=f"{exc.__class__.__name__}: {exc}"[:2000])
