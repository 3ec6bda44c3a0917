"""The outbox. Other apps call `notify`: the rows join the caller's transaction, and after commit a
delivery is scheduled, so a rolled-back event sends nothing. Delivery is coalesced: all notifications
committed within one short window (NOTIFICATION_WINDOW_SECONDS) wake one task, which claims the pending,
due rows under a short lease (so two workers never send one at once) and sends them over one mail
connection; a sent row is never sent again. A lost wake-up only delays delivery: the periodic
`requeue_stale` wakes the task for anything left pending."""

import contextlib
import datetime as dt
import logging
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from portal.models import Notification, NotificationChannel, NotificationState
from portal.sms import get_backend

logger = logging.getLogger(__name__)
# Rows one task claims and sends over one connection: small enough that a chunk finishes well within
# the lease, large enough that the per-task cost is spread thin.
CHUNK = 100
# Sent marks are written in groups: one UPDATE per message would cost more than sending it.
MARK_EVERY = 10
# Run a little after the window's end, so that a clock read a hair early never runs it inside the window.
WAKE_MARGIN = 0.02


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


def notify(
    *, recipient, event: str, key: str, subject: str, body: str, link: str = "", channels=None
) -> list[Notification]:
    """One notification per channel, unique per (key, channel): calling twice creates nothing new."""
    created = []
    for channel in channels if channels is not None else channels_for(recipient):
        in_app = channel == NotificationChannel.IN_APP
        try:
            with transaction.atomic():
                notification = Notification.objects.create(
                    recipient=recipient,
                    channel=channel,
                    event=event,
                    subject=subject[:255],
                    body=body,
                    link=link,
                    idempotency_key=f"{key}:{channel}",
                    state=NotificationState.SENT if in_app else NotificationState.PENDING,
                    sent_at=timezone.now() if in_app else None,
                )
        except IntegrityError:
            continue
        created.append(notification)
    to_deliver = [n.pk for n in created if n.channel != NotificationChannel.IN_APP]
    if to_deliver:
        schedule_delivery_on_commit(to_deliver)
    return created


def schedule_delivery_on_commit(notification_ids) -> None:
    ids = list(notification_ids)
    # robust: the event has committed; if the broker is down, the user must not see an error, and the
    # periodic requeue delivers the rows later.
    transaction.on_commit(lambda: notifications_committed(ids), robust=True)


def notifications_committed(notification_ids: list[int]) -> None:
    """The rows are committed and pending: make sure a delivery task will claim them."""
    scheduled = schedule_delivery()
    logger.debug("%d notification(s) committed; delivery %s", len(notification_ids),
                 "scheduled" if scheduled else "already scheduled for this window")  # fmt: skip


def schedule_delivery(*, at: float | None = None) -> bool:
    """Wake the delivery task at the end of the window containing `at` (default: now), unless a task is
    already scheduled for that window. Returns whether this call scheduled it.

    Why no notification is ever left behind: the window key is added in the same cache that every
    later caller of this window asks, and the task runs no earlier than the window's end. So a caller
    that finds the key taken committed its rows before that task's claim, which will see them; this
    holds with a per-process local-memory cache too (each process schedules its own task). The task
    also deletes the key when it starts, so on a shared cache rows committed from then on schedule a
    task of their own, whatever the clocks of the hosts say."""
    from portal.tasks import deliver_pending_notifications

    window = settings.NOTIFICATION_WINDOW_SECONDS
    now = time.time()
    slot = int((at or now) // window)
    key = f"notifications:wake:{slot}"
    window_end = (slot + 1) * window
    # Whole seconds: the Redis cache backend truncates sub-second timeouts to 0 (deleted at once).
    if not cache.add(key, 1, timeout=math.ceil(window_end - now) + 1):
        return False
    try:
        deliver_pending_notifications.apply_async(kwargs={"wake_key": key}, countdown=window_end - now + WAKE_MARGIN)
    except Exception:
        cache.delete(key)  # let the next caller of this window try the broker again
        raise
    return True


def _claim(queryset, limit: int) -> list[int]:
    """Lease the pending, due rows of `queryset` (no lease, or an expired one) and count an attempt.
    SKIP LOCKED lets two workers claim at once without waiting and without overlap (on SQLite the
    transaction itself holds the write lock)."""
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            queryset.select_for_update(skip_locked=True)
            .filter(state=NotificationState.PENDING)
            .exclude(lease_until__gt=now)
            .values_list("pk", flat=True)[:limit]
        )
        if ids:
            lease = now + dt.timedelta(seconds=settings.NOTIFICATION_LEASE_SECONDS)
            Notification.objects.filter(pk__in=ids).update(attempts=F("attempts") + 1, lease_until=lease)
    return ids


def claim_due(limit: int = CHUNK) -> list[int]:
    return _claim(Notification.objects.all(), limit)


def claim(notification_ids) -> list[int]:
    ids = [int(pk) for pk in notification_ids]
    return _claim(Notification.objects.filter(pk__in=ids), len(ids)) if ids else []


def send_claimed(ids) -> tuple[list[int], list[int], float | None]:
    """Send claimed rows over one mail connection. Rows are marked sent every MARK_EVERY messages, so
    a worker killed mid-batch resends at most that many, each with the same Message-ID so the mail
    system can drop the copy. Returns (sent, failed, seconds until the first retry is due, if any)."""
    from django.core.mail import get_connection

    sent, failed, retry_in, unmarked = [], [], None, []
    # Oldest first: a dossier's status changes reach a receiver in the order they happened.
    rows = Notification.objects.filter(pk__in=list(ids)).order_by("id").select_related("recipient", "webhook")
    notifications = list(rows)
    needs_mail = any(n.channel == NotificationChannel.EMAIL for n in notifications)
    # No SMTP connection for a chunk of SMS only (nor for an empty claim).
    mail_connection = get_connection(fail_silently=False) if needs_mail else contextlib.nullcontext()
    with mail_connection as mail, _marks_without_flush():
        try:
            for notification in notifications:
                try:
                    _send(notification, mail)
                except Exception as exc:
                    failed.append(notification.pk)
                    delay = _after_failure(notification, exc)
                    if delay is not None:
                        retry_in = delay if retry_in is None else min(retry_in, delay)
                    continue
                sent.append(notification.pk)
                unmarked.append(notification.pk)
                if len(unmarked) >= MARK_EVERY:
                    _mark_sent(unmarked)
        finally:
            _mark_sent(unmarked)  # what went out is marked, even if something below the loop failed
    return sent, failed, retry_in


def _mark_sent(ids: list[int]) -> None:
    if ids:
        Notification.objects.filter(pk__in=ids).update(
            state=NotificationState.SENT, sent_at=timezone.now(), last_error="", lease_until=None
        )
        ids.clear()


@contextlib.contextmanager
def _marks_without_flush():
    """On PostgreSQL, commit the per-message "sent" marks without waiting for the disk flush: waiting
    would cap delivery at the disk's flush rate. A worker that dies loses none of them (the server
    flushes them within wal_writer_delay); only a crash of the database server itself could lose the
    last marks, and those messages would go again with the same Message-ID."""
    from django.db import connection

    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO off")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


def _after_failure(notification: Notification, exc: Exception) -> float | None:
    """Back off exponentially by holding the lease until the retry is due; after the last attempt the
    row is failed (listed in the admin for a resend). Returns the delay, or None when failed."""
    error = f"{exc.__class__.__name__}: {exc}"[:2000]
    if notification.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
        Notification.objects.filter(pk=notification.pk).update(
            state=NotificationState.FAILED, last_error=error, lease_until=None
        )
        return None
    delay = min(900, settings.NOTIFICATION_RETRY_BASE_SECONDS * 2 ** (notification.attempts - 1))
    Notification.objects.filter(pk=notification.pk).update(
        last_error=error, lease_until=timezone.now() + dt.timedelta(seconds=delay)
    )
    return delay


def deliver_many(notification_ids) -> tuple[int, list[int]]:
    """Deliver the given rows that are pending and due, over one mail connection. Returns (sent, ids
    that failed: pending until their retry, or failed after the last attempt)."""
    sent, failed, retry_in = send_claimed(claim(notification_ids))
    if retry_in is not None:
        schedule_delivery(at=time.time() + retry_in)
    return len(sent), failed


def deliver(notification_id: int) -> bool:
    """One notification now; sends nothing if it is sent already or another worker holds it."""
    return deliver_many([notification_id])[0] == 1


def _email(notification: Notification, connection=None) -> EmailMessage:
    return EmailMessage(
        notification.subject,
        _with_link(notification),
        settings.DEFAULT_FROM_EMAIL,
        [notification.recipient.email],
        connection=connection,
        headers={
            # The same Message-ID on a redelivery lets mail systems drop the duplicate.
            "Message-ID": f"<{notification.idempotency_key}@{settings.PORTAL_MAIL_DOMAIN}>"
        },
    )


def _send(notification: Notification, connection=None) -> None:
    if notification.channel == NotificationChannel.EMAIL:
        _email(notification, connection).send(fail_silently=False)
    elif notification.channel == NotificationChannel.NATIONAL:
        from portal.national_sync import push

        push(notification)
    elif notification.channel == NotificationChannel.WEBHOOK:
        from portal.webhooks import post

        post(notification)
    elif notification.channel == NotificationChannel.SMS:
        get_backend().send(
            notification.recipient.phone, f"{notification.subject}. {notification.body}"[:480], notification
        )


def _with_link(notification) -> str:
    if not notification.link:
        return notification.body
    return f"{notification.body}\n\n{settings.PORTAL_BASE_URL.rstrip('/')}{notification.link}"


@transaction.atomic
def notification_resend(*, notification: Notification) -> Notification:
    """An admin's resend of a failed (or stuck) notification: pending again, delivered after commit."""
    if notification.channel == NotificationChannel.IN_APP or notification.state == NotificationState.SENT:
        return notification
    Notification.objects.filter(pk=notification.pk).update(
        state=NotificationState.PENDING, attempts=0, lease_until=None
    )
    schedule_delivery_on_commit([notification.pk])
    notification.refresh_from_db()
    return notification


def requeue_stale(*, now=None, older_than_seconds: int = 60) -> int:
    """Pending, due notifications older than `older_than_seconds` (their wake-up was lost, or their
    worker died and the lease ran out): wake the delivery task for them. Returns how many are waiting;
    claiming is exclusive, so a task woken twice sends nothing twice."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=older_than_seconds)
    waiting = (
        Notification.objects.filter(state=NotificationState.PENDING, created_at__lt=cutoff)
        .exclude(lease_until__gt=now)
        .count()
    )
    if waiting:
        schedule_delivery()
    return waiting


def purge_read_in_app(*, now=None) -> int:
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.NOTIFICATION_RETENTION_DAYS)
    deleted, _ = Notification.objects.filter(
        channel=NotificationChannel.IN_APP, state=NotificationState.SENT, created_at__lt=cutoff
    ).delete()
    return deleted
