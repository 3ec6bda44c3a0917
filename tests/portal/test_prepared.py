"""The querysets every page runs, compiled once per process (portal/prepared.py): the same instances,
values and converters as the queryset itself, the values bound where the stand-ins were, and the
rules that read them (a removed membership, a deactivated account, a deleted device) still hold."""

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.auth_backends import IdentifierBackend
from portal.constants import Role
from portal.middleware import SecondFactorMiddleware
from portal.models import StaffMembership
from portal.notifications import notify
from portal.prepared import Prepared
from portal.selectors import staff_memberships_of, unread_count
from tests.factories import AgencyFactory, DeskFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def fresh(user):
    user._portal_memberships = None
    return staff_memberships_of(user=user)


def test_memberships_come_with_their_agency_and_desk_in_one_query():
    agency = AgencyFactory(code="H15.99.01", morning_start=dt.time(7, 30))
    desk = DeskFactory(agency=agency)
    user = MembershipFactory(role=Role.DESK_OFFICER, agency=agency, desk=desk).user
    MembershipFactory(role=Role.LEADER, user=user, agency=AgencyFactory(code="H15.00.01"))
    MembershipFactory(role=Role.LEADER)  # someone else's
    with CaptureQueriesContext(connection) as queries:
        got = fresh(user)
        described = [(m.agency.code, m.desk.code if m.desk else None, m.role) for m in got]
        opening, created = got[1].agency.morning_start, got[1].created_at
    assert len(queries.captured_queries) == 1
    expected = list(
        StaffMembership.objects.filter(user=user).select_related("agency", "desk").order_by("agency__code", "id")
    )
    assert got == expected
    assert described == [("H15.00.01", None, Role.LEADER), ("H15.99.01", desk.code, Role.DESK_OFFICER)]
    # Django's converters ran (SQLite hands a datetime back without its time zone).
    assert opening == dt.time(7, 30)
    assert timezone.is_aware(created)


def test_a_removed_membership_is_gone_at_the_next_read():
    membership = MembershipFactory(role=Role.SPECIALIST)
    user = membership.user
    assert fresh(user)
    membership.delete()
    assert fresh(user) == []


def test_the_session_user_is_read_again_and_a_deactivated_one_is_refused():
    user = UserFactory(full_name="Lê Văn Ba")
    backend = IdentifierBackend()
    assert backend.get_user(str(user.pk)).full_name == "Lê Văn Ba"
    assert backend.get_user(str(UserFactory().pk)) != user
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert backend.get_user(str(user.pk)) is None
    assert backend.get_user("not a number") is None
    assert backend.get_user("999999") is None


def test_the_session_device_is_its_own_and_gone_once_deleted():
    user = UserFactory()
    device = TOTPDevice.objects.create(user=user, name="Điện thoại", confirmed=True)
    other = TOTPDevice.objects.create(user=UserFactory(), name="Khác", confirmed=True)
    middleware = SecondFactorMiddleware(lambda request: None)
    assert middleware._device_from_persistent_id(device.persistent_id) == device
    assert middleware._device_from_persistent_id(other.persistent_id) == other
    assert middleware._device_from_persistent_id("otp_totp.totpdevice/x") is None
    device.delete()
    assert middleware._device_from_persistent_id(f"otp_totp.totpdevice/{device.pk}") is None


def test_the_unread_count_is_the_recipients_unread_in_app_notices(client):
    user, other = UserFactory(), UserFactory()
    for n in range(3):
        notify(
            recipient=user, event="test", subject=f"Tin {n}", body="...", key=f"t:{user.pk}:{n}", channels=["in_app"]
        )
    notify(recipient=other, event="test", subject="Khác", body="...", key=f"t:{other.pk}", channels=["in_app"])
    assert unread_count(user=user) == 3
    client.force_login(user)
    inbox = client.get(reverse("portal:inbox"))
    assert inbox.status_code == 200
    assert unread_count(user=user) == user.notifications.filter(channel="in_app", read_at__isnull=True).count()


def test_a_value_must_stand_where_a_stand_in_was():
    unused = Prepared(lambda pk: StaffMembership.objects.filter(role="leader"))
    with pytest.raises(ValueError):
        unused(1)


def test_the_bell_count_comes_with_the_session_user_and_follows_what_is_read(client):
    """The unread count is read in the user's own statement (no count query of its own), is the
    user's unread in-app notices only, and drops once the inbox has shown them."""
    user, other = UserFactory(), UserFactory()
    for n in range(2):
        notify(
            recipient=user, event="test", subject=f"Tin {n}", body="...", key=f"b:{user.pk}:{n}", channels=["in_app"]
        )
    notify(recipient=other, event="test", subject="Khác", body="...", key=f"b:{other.pk}", channels=["in_app"])
    notify(recipient=user, event="test", subject="Thư", body="...", key=f"b:{user.pk}:mail", channels=["email"])
    assert IdentifierBackend().get_user(str(user.pk)).portal_unread == 2
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("portal:profile"))
    assert page.context["unread_notifications"] == 2
    assert not [q for q in queries.captured_queries if q["sql"].startswith("SELECT COUNT(*)")]
    inbox = client.get(reverse("portal:inbox"))
    assert inbox.context["unread_notifications"] == 2 and len(inbox.context["unread"]) == 2  # shown as new once
    assert client.get(reverse("portal:profile")).context["unread_notifications"] == 0


def _statements(name: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE name = %s", [name])
        return cursor.fetchone()[0]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_lookup_is_prepared_once_per_connection_and_then_executed(settings):
    """PREPARE on the connection's first use outside a transaction, then EXECUTE with each value (no
    planning); the same rows as the queryset; a new connection prepares again; inside a transaction
    before that, or with PORTAL_DB_PREPARE off, the plain statement."""
    from django.db import transaction

    from tests.conftest import unavailable

    if connection.vendor != "postgresql":
        unavailable("needs PostgreSQL (set DATABASE_URL)")
    users = [UserFactory(full_name=f"Người {n} 100%") for n in range(3)]
    lookup = Prepared(lambda pk: type(users[0]).objects.filter(pk=pk).annotate(n=Count("memberships")))
    connection.close()

    with transaction.atomic(), CaptureQueriesContext(connection) as inside:
        assert [u.full_name for u in lookup(users[0].pk)] == ["Người 0 100%"]
    assert _statements(lookup.name) == 0 and not any("EXECUTE" in q["sql"] for q in inside.captured_queries)

    with CaptureQueriesContext(connection) as outside:
        found = [lookup(u.pk)[0] for u in users]
    assert [(u.pk, u.full_name, u.n) for u in found] == [(u.pk, u.full_name, 0) for u in users]
    sql = [q["sql"] for q in outside.captured_queries]
    assert sum(s.startswith("PREPARE") for s in sql) == 1 and sum(s.startswith("EXECUTE") for s in sql) == 3
    assert _statements(lookup.name) == 1
    with transaction.atomic(), CaptureQueriesContext(connection) as again:  # once prepared, in one too
        assert lookup(users[1].pk)[0].full_name == "Người 1 100%"
    assert again.captured_queries[0]["sql"].startswith("EXECUTE")

    connection.close()  # a new server connection has no prepared statement
    assert lookup(users[2].pk)[0].pk == users[2].pk and _statements(lookup.name) == 1

    settings.PORTAL_DB_PREPARE = False
    other = Prepared(lambda pk: type(users[0]).objects.filter(pk=pk))
    assert other(users[0].pk)[0].pk == users[0].pk and _statements(other.name) == 0
