"""The status sync to the national portal: every status change once, in its shape, through the
outbox; kept for the admin by the default backend, or pushed to a (local, fake) receiver with
retries when it fails."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from portal.models import NationalSyncRecord, Notification
from portal.notifications import deliver_many
from tests.api.receiver import Receiver
from tests.dossiers.conftest import run_to

pytestmark = pytest.mark.django_db


def queued():
    return list(Notification.objects.filter(channel="national").order_by("id"))


def test_every_status_change_is_recorded_once_in_the_national_shape(filed, staff, agency):
    run_to(filed, "received", staff)
    rows = queued()
    assert len(rows) == 2  # filed (1), received (2)
    assert deliver_many([r.pk for r in rows]) == (2, [])
    assert deliver_many([r.pk for r in rows]) == (0, [])  # pushed once
    records = [r.payload for r in NationalSyncRecord.objects.order_by("id")]
    assert [(r["MaHoSo"], r["TrangThaiHoSo"]) for r in records] == [(filed.code, 1), (filed.code, 2)]
    received = records[1]
    assert (received["MaTTHC"], received["MaCoQuan"], received["KenhThucHien"]) == ("1.001193", agency.code, 2)
    filed.refresh_from_db()
    local = timezone.localtime(filed.received_at)
    assert received["NgayTiepNhan"] == local.strftime("%Y%m%d%H%M%S") and len(received["NgayHenTra"]) == 14
    assert received["NgayKetThucXuLy"] is None


def test_the_http_backend_pushes_with_retries(filed, staff, settings):
    settings.NATIONAL_SYNC_BACKEND = "portal.national_sync.HttpBackend"
    settings.NATIONAL_SYNC_TOKEN = "khoa-bi-mat"
    with Receiver(statuses=[500]) as receiver:
        settings.NATIONAL_SYNC_URL = receiver.url
        run_to(filed, "received", staff)
        row = queued()[-1]
        assert deliver_many([row.pk]) == (0, [row.pk])
        row.refresh_from_db()
        assert row.state == "pending" and "HTTP 500" in row.last_error
        Notification.objects.filter(pk=row.pk).update(lease_until=timezone.now() - dt.timedelta(seconds=1))
        assert deliver_many([row.pk]) == (1, [])
    assert len(receiver.received) == 2
    headers, body = receiver.received[-1]
    assert headers["Authorization"] == "Bearer khoa-bi-mat"
    assert json.loads(body)["TrangThaiHoSo"] == 2 and not NationalSyncRecord.objects.exists()


def test_no_backend_means_no_sync(filed, staff, settings):
    settings.NATIONAL_SYNC_BACKEND = ""
    Notification.objects.filter(channel="national").delete()
    run_to(filed, "received", staff)
    assert queued() == []
