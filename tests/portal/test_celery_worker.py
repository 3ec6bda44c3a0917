"""A task sent through the real broker (Redis) to a real worker, with its effect seen in the database."""

import time

import pytest

from portal.celery import app
from portal.models import WorkerHeartbeat
from portal.tasks import record_heartbeat

pytestmark = pytest.mark.services


def wait_for(predicate, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_task_goes_through_the_broker_and_the_worker_writes_the_database(live_worker):
    assert app.conf.broker_url.startswith("redis://")
    record_heartbeat.delay("worker@integration-test")
    assert wait_for(lambda: WorkerHeartbeat.objects.filter(name="worker@integration-test").exists())


def test_app_reliability_defaults():
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1
    assert app.conf.broker_transport_options["visibility_timeout"] >= 3600
    assert record_heartbeat.acks_late and record_heartbeat.reject_on_worker_lost
    assert record_heartbeat.retry_backoff
