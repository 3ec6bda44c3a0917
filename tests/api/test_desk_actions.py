"""Staff act on dossiers through the API as on the desk page: the same form checks, the same services
and transition table, the stage they saw required (409 when another officer moved it first), and
nobody outside the dossier's agency reaches it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dossiers.models import Dossier, DossierEvent, SupplementRequest
from portal.constants import Role
from tests.dossiers.conftest import PDF, run_to
from tests.factories import AgencyFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def act(client, dossier, action, body, **kw):
    return client.post(
        f"/api/v1/desk/dossiers/{dossier.code}/actions/{action}/", body, content_type="application/json", **kw
    )


def test_the_desk_officer_accepts_with_the_stage_she_saw(client, filed, staff):
    client.force_login(staff.desk)
    before = client.get(f"/api/v1/dossiers/{filed.code}/").json()
    assert "accept" in before["actions"] and "refuse" in before["actions"]
    response = act(client, filed, "accept", {"expected_stage": "checking"})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["stage"] == "received" and body["status"] == "received" and body["timeline"][-1]["action"] == "accept"
    assert "accept" not in body["actions"]
    filed.refresh_from_db()
    assert filed.stage == "received" and filed.received_at is not None


def test_a_stale_stage_is_a_conflict_and_changes_nothing(client, filed, staff):
    run_to(filed, "received", staff)
    client.force_login(staff.desk)
    events = DossierEvent.objects.count()
    response = act(client, filed, "refuse", {"expected_stage": "checking", "reason": "Thiếu giấy tờ"})
    assert response.status_code == 409 and response.json()["code"] == "changed"
    assert DossierEvent.objects.count() == events and Dossier.objects.get(pk=filed.pk).stage == "received"


def test_each_action_checks_its_own_fields(client, filed, staff):
    client.force_login(staff.desk)
    missing = act(client, filed, "accept", {})
    assert missing.status_code == 400 and "expected_stage" in missing.json()
    no_reason = act(client, filed, "refuse", {"expected_stage": "checking"})
    assert no_reason.status_code == 400 and no_reason.json() == {"reason": ["Vui lòng nhập lý do."]}
    assert act(client, filed, "no_such_action", {"expected_stage": "checking"}).status_code == 404
    assert act(client, filed, "rate", {"expected_stage": "checking"}).status_code == 404  # the citizen's
    assert Dossier.objects.get(pk=filed.pk).stage == "checking"


def test_assignment_takes_only_a_specialist_of_the_agency(client, filed, staff):
    dossier = run_to(filed, "received", staff)
    client.force_login(staff.leader)
    outsider = MembershipFactory(agency=AgencyFactory(code="H99.03"), role=Role.SPECIALIST).user
    refused = act(client, dossier, "assign", {"expected_stage": "received", "assignee": outsider.pk})
    assert refused.status_code == 400 and list(refused.json()) == ["assignee"]
    done = act(client, dossier, "assign", {"expected_stage": "received", "assignee": staff.specialist.pk})
    assert done.status_code == 200 and done.json()["stage"] == "appraising"
    assert Dossier.objects.get(pk=filed.pk).assignee == staff.specialist


def test_a_supplement_request_lists_every_item_with_its_reason(client, filed, staff, version):
    client.force_login(staff.desk)
    component = version.components.first()
    bad = act(client, filed, "request_supplement", {"expected_stage": "checking", "items": [{"kind": "component"}]})
    assert bad.status_code == 400 and "items" in bad.json()
    foreign = {"kind": "component", "ref": "999999", "reason": "Sai"}
    refused = act(client, filed, "request_supplement", {"expected_stage": "checking", "items": [foreign]})
    assert refused.status_code == 400 and "items" in refused.json()
    item = {"kind": "component", "ref": str(component.pk), "reason": "Bản chụp mờ"}
    done = act(client, filed, "request_supplement", {"expected_stage": "checking", "items": [item]})
    assert done.status_code == 200 and done.json()["status"] == "supplement_requested"
    request = SupplementRequest.objects.get(dossier=filed)
    assert request.items[0]["reason"] == "Bản chụp mờ" and request.items[0]["ref"] == component.pk


def test_the_leader_approves_with_the_signed_result_as_a_file(client, filed, staff):
    dossier = run_to(filed, "awaiting_approval", staff)
    client.force_login(staff.leader)
    response = client.post(
        f"/api/v1/desk/dossiers/{dossier.code}/actions/approve/",
        {"expected_stage": "awaiting_approval", "result_file": SimpleUploadedFile("ket-qua.pdf", PDF)},
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "result_ready"
    assert "ket-qua.pdf" in {f["name"] for f in response.json()["files"] if f["is_result"]}


def test_a_role_without_the_action_is_refused(client, filed, staff):
    client.force_login(staff.specialist)
    response = act(client, filed, "accept", {"expected_stage": "checking"})
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    assert Dossier.objects.get(pk=filed.pk).stage == "checking"


def test_nobody_outside_the_agency_reaches_it(client, filed, staff, citizen):
    assert act(client, filed, "accept", {"expected_stage": "checking"}).status_code == 403  # anonymous
    for person in (citizen, UserFactory(), MembershipFactory(agency=AgencyFactory(code="H99.04")).user):
        client.force_login(person)
        response = act(client, filed, "accept", {"expected_stage": "checking"})
        assert response.status_code == 404 and response.json()["code"] == "not_found"
    client.password_only_login(staff.desk)
    assert act(client, filed, "accept", {"expected_stage": "checking"}).json()["code"] == "second_factor_required"
    assert Dossier.objects.get(pk=filed.pk).stage == "checking"
