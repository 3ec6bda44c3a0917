"""Issue 11, item 16: rules that could be broken without any test failing, each now with a test that
fails when its rule is broken (each was broken on purpose to watch it fail)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from dossiers.exceptions import ActionNotAllowed
from dossiers.services import counter, desk
from portal.constants import Role
from procedures.models import ProcedureVersion
from tests.dossiers.conftest import ANSWERS, pdf, run_to
from tests.factories import AgencyFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def at(y, m, d, h, minute=0):
    return timezone.make_aware(dt.datetime(y, m, d, h, minute))


def walk_in(version, agency, staff, now):
    components = list(version.components.all())
    return counter.dossier_receive_at_counter(
        version=version,
        actor=staff.desk,
        agency=agency,
        snapshot={
            "full_name": "Lò Văn Páo",
            "national_id": "017080001234",
            "phone": "0912888999",
            "email": "",
            "address": "Xóm Đồi",
        },
        answers=dict(ANSWERS),
        files={components[0].id: [pdf("to-khai.pdf")], components[1].id: [pdf("chung-sinh.pdf")]},
        delivery="desk",
        now=now,
    )


@pytest.mark.parametrize(
    ("received", "clock"),
    [
        (at(2026, 12, 7, 14, 30), at(2026, 12, 7, 14, 30)),  # before the 15:00 cut-off: the clock starts now
        (at(2026, 12, 7, 15, 30), at(2026, 12, 8, 7, 30)),  # after it: the next working morning
    ],
)
def test_the_cut_off_applies_to_a_walk_in_through_the_counter(version, agency, staff, received, clock):
    dossier = walk_in(version, agency, staff, received)
    assert dossier.clock_started_at == clock


def test_staff_of_another_agency_are_refused_by_the_service_itself(filed, staff):
    """roles_for keeps only the roles held in the dossier's own agency."""
    elsewhere = MembershipFactory(agency=AgencyFactory(code="H98.01"), role=Role.DESK_OFFICER).user
    with pytest.raises(ActionNotAllowed):
        desk.dossier_accept(dossier=filed, actor=elsewhere)
    leader_elsewhere = MembershipFactory(agency=AgencyFactory(code="H98.02"), role=Role.LEADER).user
    dossier = run_to(filed, "received", staff)
    with pytest.raises(ActionNotAllowed):
        desk.dossier_assign(dossier=dossier, actor=leader_elsewhere, assignee=staff.specialist)


@pytest.mark.parametrize(("day", "allowed"), [(10, True), (11, False)])
def test_a_supplement_in_appraisal_within_three_working_days(filed, staff, day, allowed):
    """Received Monday 7 December: the third working day is Thursday 10 (allowed), the fourth is
    Friday 11 (refused)."""
    dossier = desk.dossier_accept(dossier=filed, actor=staff.desk, now=at(2026, 12, 7, 9))
    dossier = desk.dossier_assign(dossier=dossier, actor=staff.leader, assignee=staff.specialist)
    component = dossier.version.components.first()
    ask = lambda: desk.dossier_request_supplement(  # noqa: E731
        dossier=dossier,
        actor=staff.specialist,
        now=at(2026, 12, day, 10),
        items=[{"kind": "component", "ref": component.id, "reason": "Mờ"}],
    )
    if allowed:
        assert ask().dossier_id == dossier.pk
    else:
        with pytest.raises(ActionNotAllowed, match="quá 3 ngày làm việc"):
            ask()


def test_a_stale_form_is_refused_on_any_database(client, filed, staff):
    """The stale-form guard (expected_stage) had only a PostgreSQL test with two threads."""
    desk.dossier_accept(dossier=filed, actor=staff.desk)  # someone else was faster
    client.force_login(staff.desk)
    response = client.post(
        reverse("dossiers:desk_act", args=[filed.code, "refuse"]),
        {"refuse-expected_stage": "checking", "refuse-reason": "Thiếu"},
        follow=True,
    )
    assert "vừa được người khác cập nhật" in response.content.decode()
    filed.refresh_from_db()
    assert filed.stage == "received" and not filed.events.filter(action="refuse").exists()


def test_a_published_version_refuses_a_save_with_update_fields(version):
    from django.core.exceptions import ValidationError

    version.description = "Sửa lén sau khi công bố"
    with pytest.raises(ValidationError, match="đã công bố"):
        version.save(update_fields=["description"])
    version.refresh_from_db()
    assert version.description != "Sửa lén sau khi công bố"


@pytest.mark.postgres
def test_a_published_version_refuses_a_queryset_update(version):
    from django.db import DatabaseError, connection, transaction

    from tests.conftest import unavailable

    if connection.vendor != "postgresql":
        unavailable("needs PostgreSQL (set DATABASE_URL): the trigger is PostgreSQL's")
    with pytest.raises(DatabaseError, match="published version is read-only"), transaction.atomic():
        ProcedureVersion.objects.filter(pk=version.pk).update(description="Sửa lén")
    ProcedureVersion.objects.filter(pk=version.pk).update(status="retired")  # the lifecycle still moves
    version.refresh_from_db()
    assert version.status == "retired" and version.description != "Sửa lén"
