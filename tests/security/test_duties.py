"""Findings: officials could grant their own applications (a desk officer filed a same-day dossier for
herself, received it and settled it on the spot alone; a leader who also holds the specialist role
appraised and approved), access outlived a removed membership, counter dossiers appeared in the
officer's own citizen list, and staff could download an unsubmitted draft's file by its id. Each test
is the attack: a request or a service call in, a refusal out."""

import pytest
from django.urls import reverse

from dossiers.constants import Stage
from dossiers.exceptions import ActionNotAllowed
from dossiers.models import Dossier
from dossiers.services import desk, filing, uploads
from dossiers.services.counter import dossier_receive_at_counter
from portal.constants import Role
from portal.models import StaffMembership
from tests.dossiers.conftest import ANSWERS, make_same_day, pdf, run_to
from tests.factories import DeskFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def counter_post(version, national_id, *, full_name="Lò Văn Páo"):
    components = list(version.components.all())
    return {
        "full_name": full_name,
        "national_id": national_id,
        "phone": "0912888999",
        "address": "Xóm Đồi",
        "delivery": "desk",
        **{f"f_{k}": v for k, v in ANSWERS.items()},
        f"file_{components[0].id}": pdf("to-khai.pdf"),
        f"file_{components[1].id}": pdf("chung-sinh.pdf"),
    }


def test_desk_officer_cannot_receive_her_own_dossier_at_the_counter(client, staff, version):
    make_same_day(version)
    officer = staff.desk
    officer.national_id = "017190000777"
    officer.save()
    client.force_login(officer)
    url = reverse("dossiers:counter") + f"?procedure={version.procedure.code}"
    response = client.post(url, counter_post(version, officer.national_id, full_name=officer.full_name))
    assert response.status_code == 200
    assert "không được xử lý hồ sơ với vai trò cán bộ" in response.content.decode()
    assert 'value="017190000777"' in response.content.decode()  # what she typed is kept
    assert not Dossier.objects.exists()


def test_the_service_refuses_it_too(staff, version, agency):
    officer = staff.desk
    officer.national_id = "017190000778"
    officer.save()
    snapshot = {"full_name": "X", "national_id": officer.national_id, "phone": "0912888999", "address": "Xóm"}
    with pytest.raises(Exception) as refused:
        dossier_receive_at_counter(
            version=version, actor=officer, agency=agency, snapshot=snapshot, answers={}, files={}, delivery="desk"
        )
    assert "vai trò cán bộ" in str(refused.value)


def _file_online(version, agency, person):
    person.address = "Xã Thử Nghiệm"
    person.save()
    dossier = filing.dossier_start(version=version, actor=person, agency=agency)
    filing.dossier_save_answers(dossier=dossier, actor=person, raw=dict(ANSWERS))
    components = list(version.components.all())
    uploads.attachment_add(dossier=dossier, actor=person, component=components[0], upload=pdf())
    uploads.attachment_add(dossier=dossier, actor=person, component=components[1], upload=pdf())
    filing.dossier_set_delivery(dossier=dossier, actor=person, delivery="desk")
    return filing.dossier_submit(dossier=dossier, actor=person, declaration=True)


def test_staff_cannot_act_on_a_dossier_they_filed_online(client, staff, version, agency):
    make_same_day(version)
    mine = _file_online(version, agency, staff.desk)
    with pytest.raises(ActionNotAllowed) as refused:
        desk.dossier_accept(dossier=mine, actor=staff.desk)
    assert refused.value.code == "own_dossier"
    client.force_login(staff.desk)
    page = client.get(reverse("dossiers:desk_dossier", args=[mine.code]))
    assert page.status_code == 200 and page.context["actions"] == []
    assert "không được xử lý hồ sơ với vai trò cán bộ" in page.content.decode()
    response = client.post(reverse("dossiers:desk_act", args=[mine.code, "accept"]), {"expected_stage": "checking"})
    mine.refresh_from_db()
    assert mine.stage == Stage.CHECKING
    assert response.status_code in (302, 400, 403)
    desk.dossier_accept(dossier=mine, actor=MembershipFactory(agency=agency, role=Role.DESK_OFFICER).user)
    mine.refresh_from_db()
    assert mine.stage == Stage.RECEIVED  # a colleague takes it


def test_a_leader_who_appraised_does_not_approve(filed, staff, agency):
    both = MembershipFactory(agency=agency, role=Role.LEADER).user
    StaffMembership.objects.create(user=both, agency=agency, role=Role.SPECIALIST)
    dossier = run_to(filed, "received", staff)
    dossier = desk.dossier_assign(dossier=dossier, actor=both, assignee=both)
    dossier = desk.dossier_appraise(dossier=dossier, actor=both, note="Hợp lệ")
    dossier = desk.dossier_submit_for_approval(dossier=dossier, actor=both)
    for attempt in (
        lambda: desk.dossier_approve(dossier=dossier, actor=both),
        lambda: desk.dossier_refuse_after_appraisal(dossier=dossier, actor=both, reason="Không đủ điều kiện"),
    ):
        with pytest.raises(ActionNotAllowed) as refused:
            attempt()
        assert refused.value.code == "appraised_by_you"
    dossier.refresh_from_db()
    assert dossier.stage == Stage.AWAITING_APPROVAL
    desk.dossier_approve(dossier=dossier, actor=staff.leader)
    dossier.refresh_from_db()
    assert dossier.stage == Stage.RESULT_READY


def test_a_removed_desk_officer_reads_nothing_she_received(client, staff, version):
    officer = staff.desk
    client.force_login(officer)
    client.post(
        reverse("dossiers:counter") + f"?procedure={version.procedure.code}", counter_post(version, "017080001234")
    )
    dossier = Dossier.objects.get(channel="in_person")
    scan = dossier.attachments.first()
    download = reverse("dossiers:file", args=[scan.public_id])
    assert client.get(download).status_code == 200
    StaffMembership.objects.filter(user=officer).delete()
    assert client.get(download).status_code == 404
    assert client.get(reverse("dossiers:desk_dossier", args=[dossier.code])).status_code in (403, 404)
    mine = client.get(reverse("dossiers:mine")).content.decode()
    assert reverse("dossiers:detail", args=[dossier.code]) not in mine
    assert client.get(reverse("dossiers:detail", args=[dossier.code])).status_code == 404


def test_counter_dossiers_are_not_in_the_officers_own_list(client, staff, version):
    client.force_login(staff.desk)
    client.post(
        reverse("dossiers:counter") + f"?procedure={version.procedure.code}", counter_post(version, "017080001234")
    )
    dossier = Dossier.objects.get(channel="in_person")
    assert reverse("dossiers:detail", args=[dossier.code]) not in client.get(reverse("dossiers:mine")).content.decode()
    assert client.get(reverse("dossiers:detail", args=[dossier.code])).status_code == 404


def test_staff_cannot_download_an_unsubmitted_drafts_file(client, staff, version, agency, citizen):
    draft = filing.dossier_start(version=version, actor=citizen, agency=agency)
    upload = uploads.attachment_add(
        dossier=draft, actor=citizen, component=version.components.first(), upload=pdf("nhap.pdf")
    )
    url = reverse("dossiers:file", args=[upload.public_id])
    client.force_login(citizen)
    assert client.get(url).status_code == 200
    for person in (staff.desk, staff.leader, staff.specialist):
        client.force_login(person)
        assert client.get(url).status_code == 404


def test_a_desk_officer_of_another_desk_cannot_act_through_the_service(filed, agency):
    other = MembershipFactory(agency=agency, role=Role.DESK_OFFICER, desk=DeskFactory(agency=agency)).user
    with pytest.raises(ActionNotAllowed):
        desk.dossier_accept(dossier=filed, actor=other)
