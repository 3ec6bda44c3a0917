"""Finding: any desk officer pulled any citizen's contact data by CCCD at the counter, unlogged. Staff
reads of personal data (the counter look-up, a dossier page, a dossier's file) are logged for
superusers; a citizen reading their own is not."""

import pytest
from django.urls import reverse

from portal.constants import Role
from portal.models import PersonalDataAccess
from tests.conftest import unavailable
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_counter_lookup_by_cccd_is_logged(client, staff, version, citizen):
    client.force_login(staff.desk)
    url = reverse("dossiers:counter") + f"?procedure={version.procedure.code}&cccd={citizen.national_id}"
    response = client.get(url, REMOTE_ADDR="192.0.2.10")
    assert response.status_code == 200 and citizen.phone in response.content.decode()
    entry = PersonalDataAccess.objects.get()
    assert (entry.actor, entry.subject, entry.reason, entry.client_ip) == (
        staff.desk,
        citizen,
        "counter_lookup",
        "192.0.2.10",
    )
    client.get(reverse("dossiers:counter") + f"?procedure={version.procedure.code}&cccd=017000000000")
    assert PersonalDataAccess.objects.count() == 1  # no account, nothing read


def test_staff_dossier_page_and_files_are_logged_but_the_owner_is_not(client, filed, staff, citizen):
    client.force_login(staff.specialist)
    client.get(reverse("dossiers:desk_dossier", args=[filed.code]))
    scan = filed.attachments.first()
    client.get(reverse("dossiers:file", args=[scan.public_id]))
    client.get(reverse("dossiers:file_preview", args=[scan.public_id]))
    rows = list(PersonalDataAccess.objects.order_by("id").values_list("actor", "subject", "reason", "dossier_code"))
    assert rows == [
        (staff.specialist.pk, citizen.pk, "dossier_page", filed.code),
        (staff.specialist.pk, citizen.pk, "file", filed.code),
        (staff.specialist.pk, citizen.pk, "file", filed.code),
    ]
    client.force_login(citizen)
    client.get(reverse("dossiers:detail", args=[filed.code]))
    client.get(reverse("dossiers:file", args=[scan.public_id]))
    assert PersonalDataAccess.objects.count() == 3


def test_only_superusers_read_the_log(client, filed, staff):
    client.force_login(staff.desk)
    client.get(reverse("dossiers:desk_dossier", args=[filed.code]))
    url = reverse("admin:portal_personaldataaccess_changelist")
    client.force_login(MembershipFactory(role=Role.CATALOG_ADMIN).user)
    assert client.get(url, follow=True).status_code == 403
    client.force_login(UserFactory(is_superuser=True))
    response = client.get(url)
    assert response.status_code == 200 and filed.code in response.content.decode()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_page_views_record_does_not_wait_for_the_disk_but_a_write_it_joins_does(staff, citizen):
    """A record on its own (a page view) commits with synchronous_commit off for its transaction
    alone, in one statement; inside a caller's transaction (a write) it changes nothing of that
    transaction. Counted by the WAL flushes PostgreSQL makes (pg_stat_wal)."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from portal.services import personal_data_access_record

    if connection.vendor != "postgresql":
        unavailable("needs PostgreSQL (set DATABASE_URL)")

    def one(sql):
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchone()[0]

    def flushes():
        one("SELECT pg_stat_force_next_flush()")  # this backend's counts, now rather than in a while
        return one("SELECT wal_sync FROM pg_stat_wal")

    def record(reason):
        personal_data_access_record(actor=staff.desk, reason=reason, subject_id=citizen.pk, dossier_code="X")

    before = flushes()
    with CaptureQueriesContext(connection) as seen:
        for _ in range(30):
            record("dossier_page")
    page_views = flushes() - before
    assert len(seen.captured_queries) == 30  # one round trip each
    assert one("SHOW synchronous_commit") == "on"  # for those transactions only
    before = flushes()
    for _ in range(30):
        with transaction.atomic():
            record("file")
            assert one("SHOW synchronous_commit") == "on"
    writes = flushes() - before
    assert page_views < 10 <= 30 <= writes, (page_views, writes)
    reasons = list(PersonalDataAccess.objects.order_by("id").values_list("reason", flat=True))
    assert reasons == ["dossier_page"] * 30 + ["file"] * 30
