"""Webhooks to partner systems through the outbox, against a real HTTP receiver on localhost: each
subscription gets each event once, signed (HMAC-SHA256 over the timestamp and the body); a 500 is
retried with the same delivery id; after the last attempt the delivery is failed, and the admin's
resend replays it."""

import datetime as dt
import hashlib
import hmac
import json
import socket

import pytest
from django.utils import timezone

from dossiers.services import filing
from portal.constants import Role
from portal.models import Notification, WebhookSubscription
from portal.notifications import deliver_many, notification_resend
from portal.services import partner_issue
from tests.api.receiver import Receiver
from tests.dossiers.conftest import run_to
from tests.factories import AgencyFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def subscribe(agency, url, events):
    officer = MembershipFactory(agency=agency, role=Role.LEADER).user
    access, _id, _secret = partner_issue(
        name="Cổng DVC quốc gia", scopes=["status:sync"], agencies=[agency], rate="600/min", responsible=officer
    )
    return WebhookSubscription.objects.create(partner=access, url=url, events=events)


def verified(subscription, headers, body) -> bool:
    signed = headers["X-Portal-Timestamp"].encode() + b"." + body
    expected = "sha256=" + hmac.new(subscription.secret.encode(), signed, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, headers["X-Portal-Signature"])


_REAL_DNS = socket.getaddrinfo


def public_dns(host, port, *args, **kwargs):
    """example.vn's names resolve to a public address (no DNS here); the rest as the system says."""
    if host.endswith("example.vn"):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("1.1.1.1", port))]
    return _REAL_DNS(host, port, *args, **kwargs)


def deliveries():
    return list(Notification.objects.filter(channel="webhook").order_by("id"))


def test_each_subscribed_event_is_posted_once_and_signed(ready_draft, citizen, agency, staff):
    with Receiver() as receiver:
        subscription = subscribe(agency, receiver.url, ["submitted", "received", "status_changed"])
        elsewhere = subscribe(AgencyFactory(code="H99.06"), receiver.url, ["submitted"])
        dossier = filing.dossier_submit(dossier=ready_draft, actor=citizen, declaration=True)
        run_to(dossier, "received", staff)
        queued = deliveries()
        assert sorted(n.event for n in queued) == ["received", "status_changed", "status_changed", "submitted"]
        assert all(n.webhook == subscription for n in queued) and elsewhere.deliveries.count() == 0
        sent, failed = deliver_many([n.pk for n in queued])
        assert (sent, failed) == (4, [])
        assert deliver_many([n.pk for n in queued]) == (0, [])  # sent is sent

    assert len(receiver.received) == 4
    for headers, body in receiver.received:
        assert verified(subscription, headers, body)
        assert headers["Content-Type"].startswith("application/json")
        payload = json.loads(body)
        assert payload["code"] == dossier.code and payload["event"] == headers["X-Portal-Event"]
    received = next(json.loads(b) for h, b in receiver.received if h["X-Portal-Event"] == "received")
    assert (received["status"], received["status_number"], received["procedure"]) == ("received", 2, "1.001193")
    assert received["agency"] == agency.code and received["received_at"]
    forged = dict(receiver.received[0][0], **{"X-Portal-Timestamp": "1"})
    assert not verified(subscription, forged, receiver.received[0][1])  # the timestamp is signed too


def test_a_500_is_retried_with_the_same_delivery_id(ready_draft, citizen, agency):
    with Receiver(statuses=[500]) as receiver:
        subscribe(agency, receiver.url, ["submitted"])
        filing.dossier_submit(dossier=ready_draft, actor=citizen, declaration=True)
        [delivery] = deliveries()
        assert deliver_many([delivery.pk]) == (0, [delivery.pk])
        delivery.refresh_from_db()
        assert delivery.state == "pending" and "HTTP 500" in delivery.last_error and delivery.lease_until
        assert deliver_many([delivery.pk]) == (0, [])  # not before its backoff
        Notification.objects.filter(pk=delivery.pk).update(lease_until=timezone.now() - dt.timedelta(seconds=1))
        assert deliver_many([delivery.pk]) == (1, [])
    ids = [h["X-Portal-Delivery"] for h, _ in receiver.received]
    assert len(ids) == 2 and ids[0] == ids[1]
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == ("sent", 2)


def test_after_the_last_attempt_it_is_failed_and_a_resend_replays_it(ready_draft, citizen, agency, settings):
    settings.NOTIFICATION_MAX_ATTEMPTS = 2
    with Receiver(statuses=[503, 503]) as receiver:
        subscribe(agency, receiver.url, ["submitted"])
        filing.dossier_submit(dossier=ready_draft, actor=citizen, declaration=True)
        [delivery] = deliveries()
        deliver_many([delivery.pk])
        Notification.objects.filter(pk=delivery.pk).update(lease_until=None)
        deliver_many([delivery.pk])
        delivery.refresh_from_db()
        assert delivery.state == "failed"
        notification_resend(notification=delivery)
        assert deliver_many([delivery.pk]) == (1, [])
    assert len(receiver.received) == 3 and Notification.objects.get(pk=delivery.pk).state == "sent"


def test_a_revoked_partner_or_a_paused_subscription_hears_nothing(ready_draft, citizen, agency):
    from portal.services import partner_revoke

    paused = subscribe(agency, "http://127.0.0.1:9/none", ["submitted"])
    paused.is_active = False
    paused.save()
    revoked = subscribe(agency, "http://127.0.0.1:9/none", ["submitted"])
    partner_revoke(access=revoked.partner)
    filing.dossier_submit(dossier=ready_draft, actor=citizen, declaration=True)
    assert deliveries() == []


def test_nothing_is_queued_for_a_rolled_back_event(filed, agency, staff):
    from django.db import transaction

    subscribe(agency, "http://127.0.0.1:9/none", ["received"])
    with pytest.raises(RuntimeError), transaction.atomic():
        run_to(filed, "received", staff)
        assert len(deliveries()) == 1
        raise RuntimeError("rolled back")
    assert deliveries() == []


def test_a_superuser_subscribes_a_partner_in_the_admin(client, agency, monkeypatch):
    from django.urls import reverse

    from tests.factories import UserFactory

    partner = subscribe(agency, "https://example.vn/a", ["submitted"]).partner
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    form = {"partner": partner.pk, "url": "ftp://example.vn/hook", "events": ["returned"], "is_active": "on"}
    refused = client.post(reverse("admin:portal_webhooksubscription_add"), form)
    assert refused.status_code == 200 and "https://" in refused.content.decode()
    monkeypatch.setattr(socket, "getaddrinfo", public_dns)
    # Addresses inside the portal's own network are refused: the cloud metadata service, a private
    # address, this machine by name.
    for url in ("http://169.254.169.254/latest/meta-data/", "http://10.1.2.3/hook", "http://localhost:8000/"):
        refused = client.post(reverse("admin:portal_webhooksubscription_add"), {**form, "url": url})
        assert refused.status_code == 200 and "mạng nội bộ" in refused.content.decode(), url
    assert not WebhookSubscription.objects.filter(events=["returned"]).exists()
    client.post(reverse("admin:portal_webhooksubscription_add"), {**form, "url": "https://dvc.example.vn/hook"})
    made = WebhookSubscription.objects.get(url="https://dvc.example.vn/hook")
    assert made.events == ["returned"] and len(made.secret) >= 40


def test_a_webhook_to_the_portals_own_network_is_not_posted(ready_draft, citizen, agency, settings):
    """The address is checked again before each delivery: the receiver here is on this machine, which
    the deployment has not allowed."""
    settings.WEBHOOK_PRIVATE_HOSTS = []
    with Receiver() as receiver:
        subscribe(agency, receiver.url, ["submitted"])
        filing.dossier_submit(dossier=ready_draft, actor=citizen, declaration=True)
        [delivery] = deliveries()
        assert deliver_many([delivery.pk]) == (0, [delivery.pk])
    assert receiver.received == []
    delivery.refresh_from_db()
    assert delivery.state == "pending" and "mạng nội bộ" in delivery.last_error


def test_a_redirect_is_not_followed(ready_draft, citizen, agency):
    """A 3xx is the receiver's answer (retried as any other), never a new address to post to."""
    with Receiver() as elsewhere, Receiver(statuses=[302], location=elsewhere.url) as receiver:
        subscribe(agency, receiver.url, ["submitted"])
        filing.dossier_submit(dossier=ready_draft, actor=citizen, declaration=True)
        [delivery] = deliveries()
        assert deliver_many([delivery.pk]) == (0, [delivery.pk])
    assert len(receiver.received) == 1 and elsewhere.received == []
    delivery.refresh_from_db()
    assert "HTTP 302" in delivery.last_error
