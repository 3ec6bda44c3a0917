"""Every staff action by every role, and by staff of another agency: allowed, or refused
(403/404) with nothing changed."""

import pytest
from django.urls import reverse

from dossiers.constants import Stage
from portal.constants import Role
from tests.dossiers.conftest import pdf, run_to
from tests.factories import AgencyFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

# stage the dossier is brought to -> action -> the roles that may take it
MATRIX = {
    "checking": {"accept": {"desk"}, "refuse": {"desk"}, "request_supplement": {"desk"}},
    "received": {"assign": {"leader"}},
    "appraising": {
        "appraise": {"specialist"},
        "submit_for_approval": {"specialist"},
        "request_supplement": {"specialist"},
        "draft_extension": {"specialist"},
        "issue_extension": {"leader"},
    },
    "awaiting_approval": {"approve": {"leader"}, "return_for_rework": {"leader"}, "refuse_after_appraisal": {"leader"}},
    "result_ready": {"return_result": {"desk"}},
}
DATA = {
    "refuse": {"reason": "Thiếu"},
    "return_for_rework": {"reason": "Sửa"},
    "refuse_after_appraisal": {"reason": "Không đủ điều kiện"},
    "appraise": {"note": "Đủ"},
    "return_result": {"how": "Tận tay"},
    "issue_extension": {"new_date": "2027-01-20", "reason": "Chậm"},
    "draft_extension": {"new_date": "2027-01-20", "reason": "Chậm"},
}
CASES = [
    (stage, action, who)
    for stage, actions in MATRIX.items()
    for action in actions
    for who in ("desk", "leader", "specialist", "other_agency", "citizen")
]


@pytest.mark.parametrize(("stage", "action", "who"), CASES)
def test_staff_action_matrix(client, filed, staff, citizen, version, stage, action, who):
    dossier = run_to(filed, stage, staff)
    if action == "submit_for_approval":  # a submission needs the appraisal written first
        from dossiers.services import desk

        dossier = desk.dossier_appraise(dossier=dossier, actor=staff.specialist, note="Đủ điều kiện")
    users = {
        "desk": staff.desk,
        "leader": staff.leader,
        "specialist": staff.specialist,
        "citizen": citizen,
        "other_agency": MembershipFactory(agency=AgencyFactory(code="OTHER"), role=Role.LEADER).user,
    }
    client.force_login(users[who])
    page = client.get(reverse("dossiers:desk_dossier", args=[dossier.code]))
    before = (dossier.stage, dossier.events.count())
    payload = {
        f"{action}-expected_stage": dossier.stage,
        "expected_stage": dossier.stage,
        **{f"{action}-{k}": v for k, v in DATA.get(action, {}).items()},
    }
    if action == "assign":
        payload[f"{action}-assignee"] = staff.specialist.pk
    if action == "return_result":  # the scan of the paper result is kept
        payload[f"{action}-result_file"] = pdf("ban-chup-ket-qua.pdf")
    if action == "request_supplement":
        payload.update({"item": ["field:cccd_me"], "reason_field:cccd_me": "Sai số"})
    response = client.post(reverse("dossiers:desk_act", args=[dossier.code, action]), payload)
    dossier.refresh_from_db()
    allowed = who in MATRIX[stage][action]
    if who == "citizen":
        assert page.status_code == 403 and response.status_code == 403
    elif who == "other_agency":
        assert page.status_code == 404 and response.status_code == 404
    else:
        assert page.status_code == 200
        assert (action in page.context["actions"]) == allowed  # the page offers exactly what the table allows
    if allowed:
        assert response.status_code == 302 and dossier.events.count() == before[1] + 1, response.content[:500]
    else:
        assert (dossier.stage, dossier.events.count()) == before


def test_staff_of_another_agency_cannot_open_the_files(client, filed):
    stranger = MembershipFactory(agency=AgencyFactory(code="OTHER"), role=Role.DESK_OFFICER).user
    client.force_login(stranger)
    attachment = filed.attachments.first()
    assert client.get(reverse("dossiers:file", args=[attachment.public_id])).status_code == 404
    assert client.get(reverse("dossiers:file_preview", args=[attachment.public_id])).status_code == 404
    assert client.get(reverse("dossiers:desk_form", args=[filed.code, "05"])).status_code == 404


def test_citizens_and_visitors_cannot_open_the_desk(client):
    assert client.get(reverse("dossiers:desk_queue")).status_code == 302
    client.force_login(UserFactory())
    assert client.get(reverse("dossiers:desk_queue")).status_code == 403


def test_desk_officer_sees_only_their_desk(client, filed, staff, agency):
    from tests.factories import DeskFactory

    other_desk = DeskFactory(agency=agency, code="MC-OTHER")
    officer = MembershipFactory(agency=agency, role=Role.DESK_OFFICER, desk=other_desk).user
    client.force_login(officer)
    assert client.get(reverse("dossiers:desk_dossier", args=[filed.code])).status_code == 404
    assert filed.code not in client.get(reverse("dossiers:desk_queue") + "?tab=all").content.decode()
    assert filed.stage == Stage.CHECKING
