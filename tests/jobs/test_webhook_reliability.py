"""A webhook delivery survives a worker killed while the receiver was still answering: the next
worker delivers it after the lease, with the same delivery id, so the receiver keeps it once."""

import os
import signal

import pytest
from django.db import connection, transaction

from portal.constants import Role
from portal.models import Notification, WebhookSubscription
from portal.services import partner_issue
from portal.webhooks import emit
from tests.api.receiver import Receiver
from tests.conftest import unavailable
from tests.factories import AgencyFactory, MembershipFactory
from tests.jobs.test_reliability import _worker, wait_for

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_a_worker_killed_mid_delivery_still_delivers_once(redis_url):
    if connection.vendor != "postgresql":
        unavailable("needs PostgreSQL (set DATABASE_URL) for a worker in another process")
    settings_dict = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{settings_dict['USER']}@{settings_dict['HOST']}:{settings_dict['PORT']}/{settings_dict['NAME']}"
        ),
        "REDIS_URL": redis_url,
        "CELERY_VISIBILITY_TIMEOUT": "4",
        "CELERY_UNACKED_RESTORE_INTERVAL": "1",
        "CELERY_UNACKED_RESTORE_THROTTLE": "1",
        "NOTIFICATION_LEASE_SECONDS": "2",
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "WEBHOOK_PRIVATE_HOSTS": "127.0.0.1",  # the receiver listens on this machine
    }
    import redis

    redis.Redis.from_url(redis_url).delete("celery")
    agency = AgencyFactory(code="H99.07")
    officer = MembershipFactory(agency=agency, role=Role.LEADER).user
    access, _id, _secret = partner_issue(
        name="Hệ thống thử", scopes=["status:sync"], agencies=[agency], rate="600/min", responsible=officer
    )
    with Receiver(delays=[8]) as receiver:  # the first answer comes too late for the first worker
        WebhookSubscription.objects.create(partner=access, url=receiver.url, events=["received"])
        first = _worker(env, "hook-first")
        second = None
        try:
            with transaction.atomic():
                [delivery] = emit(
                    agency_id=agency.pk, events=["received"], key="sigkill-hook", payload=lambda: {"code": "X-1"}
                )
            assert wait_for(lambda: len(receiver.received) == 1, timeout=40), (
                first.stdout.read1().decode(errors="replace") if first.stdout else ""
            )
            os.killpg(first.pid, signal.SIGKILL)  # mid-delivery: the receiver has not answered yet
            first.wait(timeout=10)
            assert Notification.objects.get(pk=delivery.pk).state == "pending"
            second = _worker(env, "hook-second")
            assert wait_for(lambda: Notification.objects.get(pk=delivery.pk).state == "sent", timeout=60), (
                second.stdout.read1().decode(errors="replace") if second.stdout else ""
            )
        finally:
            for worker in (first, second):
                if worker is not None and worker.poll() is None:
                    os.killpg(worker.pid, signal.SIGKILL)
                    worker.wait(timeout=10)
    ids = {headers["X-Portal-Delivery"] for headers, _body in receiver.received}
    assert ids == {delivery.idempotency_key}  # every request the same delivery: the receiver keeps one
    assert Notification.objects.get(pk=delivery.pk).attempts == 2
