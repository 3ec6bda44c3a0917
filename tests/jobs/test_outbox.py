"""The outbox: batches, resend, digest, draft warnings, purge, the admin."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from portal.models import Notification, NotificationChannel
from portal.notifications import deliver_many, notify, purge_read_in_app, requeue_stale
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def emails(n, user=None):
    user = user or UserFactory()
    return [
        notify(recipient=user, event="t", key=f"k{i}", subject=f"S{i}", body="b", channels=[NotificationChannel.EMAIL])[
            0
        ]
        for i in range(n)
    ]


def test_a_batch_goes_over_one_connection_and_never_twice(enqueued):
    rows = emails(5)
    assert deliver_many([r.pk for r in rows]) == (5, [])
    assert deliver_many([r.pk for r in rows]) == (0, [])  # already sent: nothing again
    assert len(mail.outbox) == 5
    assert set(Notification.objects.values_list("state", flat=True)) == {"sent"}


def test_a_leased_notification_is_left_to_its_worker(enqueued):
    [row] = emails(1)
    Notification.objects.filter(pk=row.pk).update(lease_until=timezone.now() + dt.timedelta(minutes=1))
    assert deliver_many([row.pk]) == (0, [])
    assert mail.outbox == []


def test_failures_in_a_batch_stay_pending_with_their_error(enqueued, settings):
    settings.EMAIL_BACKEND = "tests.support.FailingEmailBackend"
    rows = emails(2)
    sent, failed = deliver_many([r.pk for r in rows])
    assert sent == 0 and sorted(failed) == sorted(r.pk for r in rows)
    assert all("SMTPServerDisconnected" in n.last_error and n.state == "pending" for n in Notification.objects.all())


def test_requeue_wakes_one_delivery_for_stale_pending_notifications(monkeypatch):
    from portal import tasks

    woken = []
    monkeypatch.setattr(tasks.deliver_pending_notifications, "apply_async", lambda **kw: woken.append(kw))
    stale, _fresh = emails(2)
    Notification.objects.filter(pk=stale.pk).update(created_at=timezone.now() - dt.timedelta(minutes=10))
    assert requeue_stale() == 1 and len(woken) == 1  # the fresh one is still in its window
    Notification.objects.filter(pk=stale.pk).update(lease_until=timezone.now() + dt.timedelta(minutes=1))
    assert requeue_stale() == 0  # a worker holds it


def test_admin_lists_failures_and_resends(client, enqueued, django_capture_on_commit_callbacks):
    admin = UserFactory(is_staff=True, is_superuser=True)
    [row] = emails(1)
    Notification.objects.filter(pk=row.pk).update(state="failed", last_error="SMTP down", attempts=5)
    client.force_login(admin)
    page = client.get(reverse("admin:portal_notification_changelist") + "?state__exact=failed")
    assert "SMTP down" in page.content.decode()
    enqueued.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:portal_notification_changelist"), {"action": "resend", "_selected_action": [row.pk]})
    row.refresh_from_db()
    assert row.state == "pending" and row.attempts == 0 and enqueued == [(row.pk,)]


def test_purge_keeps_recent_in_app_messages():
    user = UserFactory()
    old = notify(recipient=user, event="t", key="old", subject="cũ", body="b", channels=[NotificationChannel.IN_APP])[0]
    notify(recipient=user, event="t", key="new", subject="mới", body="b", channels=[NotificationChannel.IN_APP])
    Notification.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=400))
    assert purge_read_in_app() == 1
    assert list(Notification.objects.values_list("subject", flat=True)) == ["mới"]


def test_leader_digest_lists_overdue_dossiers_once_a_day(filed, staff, enqueued):
    from dossiers.digest import send_leader_digests
    from dossiers.models import Dossier
    from tests.dossiers.conftest import run_to

    dossier = run_to(filed, "appraising", staff)
    Dossier.objects.filter(pk=dossier.pk).update(due_at=timezone.now() - dt.timedelta(days=1))
    assert send_leader_digests(now=timezone.now()) == 1
    assert send_leader_digests(now=timezone.now()) == 0
    digest = Notification.objects.get(recipient=staff.leader, event="leader_digest", channel="in_app")
    assert dossier.code in digest.body and "1 hồ sơ quá hạn" in digest.subject


def test_draft_owners_are_warned_before_expiry(version, agency, citizen, enqueued):
    from dossiers.models import Dossier
    from dossiers.services import filing
    from dossiers.services.housekeeping import drafts_warn_owners

    draft = filing.dossier_start(version=version, actor=citizen, agency=agency)
    Dossier.objects.filter(pk=draft.pk).update(updated_at=timezone.now() - dt.timedelta(days=25))
    assert drafts_warn_owners(now=timezone.now()) >= 1
    assert drafts_warn_owners(now=timezone.now()) == 0
    assert Notification.objects.filter(recipient=citizen, event="draft_expiring").exists()


def test_bell_shows_a_desk_action_to_the_citizen(client, filed, staff, citizen, enqueued):
    from dossiers.services import desk

    client.force_login(citizen)
    client.get("/notifications/")  # read the submission message
    desk.dossier_accept(dossier=filed, actor=staff.desk)
    assert 'id="unread-count">1' in client.get("/").content.decode()
    assert "đã được tiếp nhận" in client.get("/notifications/").content.decode()


def test_assignment_tells_the_specialist(filed, staff, enqueued):
    from tests.dossiers.conftest import run_to

    run_to(filed, "appraising", staff)
    assert Notification.objects.filter(recipient=staff.specialist, event="staff_assigned").exists()
