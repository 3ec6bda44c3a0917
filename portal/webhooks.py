"""Webhooks to partner systems, through the outbox (portal.notifications): `emit` writes one
Notification (channel webhook) per subscription that wants the event, in the caller's transaction, so
a rolled-back event sends nothing and each subscription gets each event once (the idempotency key).
The outbox's worker posts it (`post`), signed, with the outbox's retries, backoff and final failure;
the admin lists the deliveries and resends (replays) one.

A delivery is a POST of JSON with these headers:
- `X-Portal-Event`: the event's name;
- `X-Portal-Delivery`: the delivery's id, the same on a retry, so a receiver drops a copy it saw;
- `X-Portal-Timestamp`: the send time in Unix seconds;
- `X-Portal-Signature`: `sha256=` and the hex HMAC-SHA256, keyed by the subscription's secret, of
  `<timestamp>.<body>`. A receiver recomputes it and refuses an old timestamp (a replayed capture)."""

import hashlib
import hmac
import ipaddress
import json
import socket
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from portal.models import Notification, NotificationChannel, NotificationState, WebhookSubscription
from portal.outbound import DeliveryFailed, post_json


def emit(*, agency_id: int, events, key: str, payload) -> list[Notification]:
    """Queue, for every live subscription of a live partner given `agency_id`, each of `events` it
    wants, with `payload()` (called only when someone listens). `key` names the occurrence: emitting
    it again queues nothing more."""
    from portal.notifications import schedule_delivery_on_commit

    subscriptions = list(
        WebhookSubscription.objects.filter(
            partner__agencies__id=agency_id, is_active=True, partner__revoked_at__isnull=True
        ).select_related("partner")
    )
    wanted = [(s, e) for s in subscriptions for e in events if e in s.events]  # SQLite has no JSON containment
    if not wanted:
        return []
    data = payload()
    created = []
    for subscription, event in wanted:
        body = json.dumps({"event": event, **data}, ensure_ascii=False, sort_keys=True, default=str)
        notification, new = Notification.objects.get_or_create(
            idempotency_key=f"{key}:{event}:webhook:{subscription.pk}"[:200],
            defaults={
                "recipient_id": subscription.partner.responsible_id,
                "channel": NotificationChannel.WEBHOOK,
                "event": event,
                "subject": f"{event} {data.get('code', '')}".strip()[:255],
                "body": body,
                "webhook": subscription,
                "state": NotificationState.PENDING,
            },
        )
        if new:
            created.append(notification)
    if created:
        schedule_delivery_on_commit([n.pk for n in created])
    return created


def signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def address_refused(url: str) -> str:
    """Why a webhook may not go to `url` ("" when it may): an address a partner's server can have is a
    public one. A host resolving to a loopback, private, link-local (the cloud metadata service) or
    reserved address would let whoever sets the URL reach the portal's own network, unless the
    deployment names it in WEBHOOK_PRIVATE_HOSTS. Checked when the URL is saved and again before each
    delivery (the name may resolve elsewhere by then)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or not host:
        return _("Địa chỉ phải bắt đầu bằng https://")
    if host in settings.WEBHOOK_PRIVATE_HOSTS:
        return ""
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, ValueError):
        return _("Không tìm thấy máy chủ %(host)s.") % {"host": host}
    for *_rest, address in found:
        ip = ipaddress.ip_address(address[0].split("%")[0])
        if not ip.is_global:
            return _("Máy chủ %(host)s thuộc mạng nội bộ (%(ip)s); chỉ gửi tới địa chỉ công khai.") % {
                "host": host,
                "ip": ip,
            }
    return ""


def post(notification: Notification) -> None:
    """Send one delivery; DeliveryFailed unless the receiver answers 2xx (the outbox retries)."""
    subscription = notification.webhook
    refused = address_refused(subscription.url)
    if refused:
        raise DeliveryFailed(refused)
    body = notification.body.encode()
    timestamp = str(int(time.time()))
    post_json(
        subscription.url,
        body,
        {
            "User-Agent": "portal-webhooks/1",
            "X-Portal-Event": notification.event,
            "X-Portal-Delivery": notification.idempotency_key,
            "X-Portal-Timestamp": timestamp,
            "X-Portal-Signature": signature(subscription.secret, timestamp, body),
        },
    )
