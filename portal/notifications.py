"""The outbox. Other apps call `notify`: the rows join the caller's transaction and their delivery is
enqueued after commit, so a rolled-back event sends nothing. `deliver` sends one notification under a
short lease so two workers never send it at once, and never sends a sent one again."""

import datetime as dt

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone

from portal.models import Notification, NotificationChannel, NotificationState
from portal.sms import get_backend


def channels_for(user) -> list[str]:
    """The channels the user chose in their profile and can be reached on."""
    channels = []
    if user.notify_by_email and user.email:
        channels.append(NotificationChannel.EMAIL)
    if user.notify_by_sms and user.phone:
        channels.append(NotificationChannel.SMS)
    if user.notify_in_app:
        channels.append(NotificationChannel.IN_APP)
    return channels


def notify(*, recipient, event: str, key: str, subject: str, body: str, link: str = "",
           channels=None) -> list[Notification]:
    """One notification per channel, unique per (key, channel): calling twice creates nothing new."""
    created = []
    for channel in channels if channels is not None else channels_for(recipient):
        in_app = channel == NotificationChannel.IN_APP
        try:
            with transaction.atomic():
                notification = Notification.objects.create(
                    recipient=recipient, channel=channel, event=event, subject=subject[:255], body=body, link=link,
                    idempotency_key=f"{key}:{channel}",
                    state=NotificationState.SENT if in_app else NotificationState.PENDING,
                    sent_at=timezone.now() if in_app else None,
                )
        except IntegrityError:
            continue
        created.append(notification)
        if not in_app:
            enqueue_on_commit(notification.pk)
    return created


def enqueue_on_commit(notification_id: int) -> None:
    from portal.tasks import deliver_notification

    transaction.on_commit(lambda: deliver_notification.delay(notification_id))


class Leased(Exception):
    """Another worker holds the lease; retry after `seconds`."""

    def __init__(self, seconds: float):
        super().__init__(f"leased for {seconds:.0f}s")
        self.seconds = seconds


def _lease(notification_id: int):
    now = timezone.now()
    with transaction.atomic():
        notification = (Notification.objects.select_for_update().select_related("recipient")
                        .filter(pk=notification_id).first())
        if notification is None or notification.state != NotificationState.PENDING:
            return None
        if notification.lease_until and notification.lease_until > now:
            raise Leased((notification.lease_until - now).total_seconds())
        notification.attempts += 1
        notification.lease_until = now + dt.timedelta(seconds=settings.NOTIFICATION_LEASE_SECONDS)
        notification.save(update_fields=["attempts", "lease_until"])
        return notification


def deliver(notification_id: int) -> Notification | None:
    notification = _lease(notification_id)
    if notification is None:
        return None
    try:
        _send(notification)
    except Exception as exc:
        Notification.objects.filter(pk=notification.pk).update(
            last_error=f"{exc.__class__.__name__}: {exc}"[:2000], lease_until=None)
        raise
    Notification.objects.filter(pk=notification.pk).update(
        state=NotificationState.SENT, sent_at=timezone.now(), last_error="", lease_until=None)
    notification.state = NotificationState.SENT
    return notification


def _email(notification: Notification, connection=None) -> EmailMessage:
    return EmailMessage(notification.subject, _with_link(notification), settings.DEFAULT_FROM_EMAIL,
                        [notification.recipient.email], connection=connection, headers={
                            # The same Message-ID on a redelivery lets mail systems drop the duplicate.
                            "Message-ID": f"<{notification.idempotency_key}@{settings.PORTAL_MAIL_DOMAIN}>"})


def _send(notification: Notification, connection=None) -> None:
    if notification.channel == NotificationChannel.EMAIL:
        _email(notification, connection).send(fail_silently=False)
    elif notification.channel == NotificationChannel.SMS:
        get_backend().send(notification.recipient.phone, f"{notification.subject}. {notification.body}"[:480],
                           notification)


def deliver_many(notification_ids) -> tuple[int, list[int]]:
    """Deliver a batch over one mail connection: claim the pending, unleased rows in one UPDATE,
    send, mark the sent ones in one UPDATE. Returns (sent, ids that failed and stay pending)."""
    from django.core.mail import get_connection
    from django.db import connection as db

    ids = [int(pk) for pk in notification_ids]
    if not ids:
        return 0, []
    now = timezone.now()
    lease = now + dt.timedelta(seconds=settings.NOTIFICATION_LEASE_SECONDS)
    placeholders = ", ".join(["%s"] * len(ids))
    with transaction.atomic(), db.cursor() as cursor:
        cursor.execute(
            f"UPDATE portal_notification SET attempts = attempts + 1, lease_until = %s "  # noqa: S608
            f"WHERE id IN ({placeholders}) AND state = 'pending' AND (lease_until IS NULL OR lease_until <= %s) "
            "RETURNING id", [lease, *ids, now])
        claimed = [row[0] for row in cursor.fetchall()]
    notifications = Notification.objects.filter(pk__in=claimed).select_related("recipient")
    sent, failed = [], []
    with get_connection(fail_silently=False) as mail:
        for notification in notifications:
            try:
                _send(notification, mail)
                sent.append(notification.pk)
            except Exception as exc:
                failed.append(notification.pk)
                Notification.objects.filter(pk=notification.pk).update(
                    last_error=f"{exc.__class__.__name__}: {exc}"[:2000], lease_until=None)
    Notification.objects.filter(pk__in=sent).update(state=NotificationState.SENT, sent_at=timezone.now(),
                                                    last_error="", lease_until=None)
    return len(sent), failed


def _with_link(notification) -> str:
    if not notification.link:
        return notification.body
    return f"{notification.body}\n\n{settings.PORTAL_BASE_URL.rstrip('/')}{notification.link}"


def mark_failed(notification_id: int, exc: Exception) -> None:
    Notification.objects.filter(pk=notification_id, state=NotificationState.PENDING).update(
        state=NotificationState.FAILED, last_error=f"{exc.__class__.__name__}: {exc}"[:2000], lease_until=None)


@transaction.atomic
def notification_resend(*, notification: Notification) -> Notification:
    """An admin's resend of a failed (or stuck) notification: pending again, delivered after commit."""
    if notification.channel == NotificationChannel.IN_APP or notification.state == NotificationState.SENT:
        return notification
    Notification.objects.filter(pk=notification.pk).update(state=NotificationState.PENDING, attempts=0,
                                                           lease_until=None)
    enqueue_on_commit(notification.pk)
    notification.refresh_from_db()
    return notification


def requeue_stale(*, now=None, older_than_seconds: int = 300) -> int:
    """Pending notifications whose task was lost (never picked up, or its worker died): enqueue
    them again. Delivery is idempotent, so a duplicate task sends nothing twice."""
    from portal.tasks import deliver_notification

    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=older_than_seconds)
    ids = list(Notification.objects.filter(state=NotificationState.PENDING, created_at__lt=cutoff)
               .exclude(lease_until__gt=now).values_list("pk", flat=True)[:5000])
    for pk in ids:
        deliver_notification.delay(pk)
    return len(ids)


def purge_read_in_app(*, now=None) -> int:
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.NOTIFICATION_RETENTION_DAYS)
    deleted, _ = Notification.objects.filter(channel=NotificationChannel.IN_APP, state=NotificationState.SENT,
                                             created_at__lt=cutoff).delete()
    return deleted
