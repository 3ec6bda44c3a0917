"""The staff half through the pages: queues, every action, the forms, walk-in and on-the-spot."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from dossiers.constants import Stage
from dossiers.models import Dossier, ExtensionLetter
from dossiers.services import desk
from portal.constants import Role
from tests.dossiers.conftest import make_same_day, pdf, run_to
from tests.factories import AgencyFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def act(client, dossier, action, **data):
    return client.post(
        reverse("dossiers:desk_act", args=[dossier.code, action]),
        {
            "expected_stage": dossier.stage,
            **{f"{action}-{k}": v for k, v in data.items()},
            f"{action}-expected_stage": dossier.stage,
        },
    )


def test_full_lifecycle_through_the_staff_pages(client, filed, staff, citizen):
    client.force_login(staff.desk)
    queue = client.get(reverse("dossiers:desk_queue"))
    assert filed.code in queue.content.decode()
    assert act(client, filed, "accept").status_code == 302
    filed.refresh_from_db()
    assert filed.stage == Stage.RECEIVED and filed.due_at and filed.received_at
    form01 = client.get(reverse("dossiers:desk_form", args=[filed.code, "01"]))
    assert form01["Content-Type"] == "application/pdf" and form01.content.startswith(b"%PDF")

    client.force_login(staff.leader)
    act(client, filed, "assign", assignee=staff.specialist.pk)
    filed.refresh_from_db()
    assert filed.stage == Stage.APPRAISING and filed.assignee == staff.specialist

    client.force_login(staff.specialist)
    client.post(
        reverse("dossiers:desk_act", args=[filed.code, "appraise"]),
        {
            "appraise-expected_stage": "appraising",
            "appraise-note": "Đủ điều kiện",
            "appraise-result_file": pdf("giay-khai-sinh.pdf"),
        },
    )
    act(client, filed, "submit_for_approval")
    filed.refresh_from_db()
    assert filed.stage == Stage.AWAITING_APPROVAL and filed.attachments.filter(is_result_draft=True).exists()

    client.force_login(staff.leader)
    act(client, filed, "approve")
    client.force_login(staff.desk)
    filed.refresh_from_db()
    act(client, filed, "return_result", how="Trao tận tay", result_file=pdf("ban-chup-ket-qua.pdf"))
    filed.refresh_from_db()
    assert filed.stage == Stage.RETURNED and filed.status == "returned" and filed.returned_at
    form05 = client.get(reverse("dossiers:desk_form", args=[filed.code, "05"]))
    assert form05.content.startswith(b"%PDF")
    # The citizen sees the result file and may rate.
    client.force_login(citizen)
    page = client.get(reverse("dossiers:detail", args=[filed.code]))
    html = page.content.decode()
    assert "ban-chup-ket-qua.pdf" in html and "giay-khai-sinh.pdf" not in html  # the draft stays internal
    assert "rate" in page.context["actions"]


def test_missing_reason_keeps_the_form_and_changes_nothing(client, filed, staff):
    client.force_login(staff.desk)
    response = act(client, filed, "refuse", reason="")
    assert response.status_code == 400
    assert "Vui lòng nhập lý do." in response.content.decode()
    filed.refresh_from_db()
    assert filed.stage == Stage.CHECKING


def test_supplement_request_lists_every_item_and_form_02(client, filed, staff, version):
    client.force_login(staff.desk)
    component = version.components.all()[1]
    client.post(
        reverse("dossiers:desk_act", args=[filed.code, "request_supplement"]),
        {
            "expected_stage": "checking",
            "item": [f"component:{component.id}", "field:cccd_me"],
            f"reason_component:{component.id}": "Bản chụp mờ",
            "reason_field:cccd_me": "Sai số",
            "note": "Một lần",
        },
    )
    filed.refresh_from_db()
    assert filed.stage == Stage.INTAKE_SUPPLEMENT
    assert [i["reason"] for i in filed.supplements.get().items] == ["Bản chụp mờ", "Sai số"]
    assert client.get(reverse("dossiers:desk_form", args=[filed.code, "02"])).content.startswith(b"%PDF")


def test_supplement_without_reason_is_refused(client, filed, staff, version):
    client.force_login(staff.desk)
    component = version.components.first()
    response = client.post(
        reverse("dossiers:desk_act", args=[filed.code, "request_supplement"]),
        {"expected_stage": "checking", "item": [f"component:{component.id}"]},
        follow=True,
    )
    assert "phải có lý do" in response.content.decode()
    filed.refresh_from_db()
    assert filed.stage == Stage.CHECKING


def test_assignee_from_another_agency_is_refused(filed, staff):
    run_to(filed, "received", staff)
    stranger = MembershipFactory(agency=AgencyFactory(code="OTHER"), role=Role.SPECIALIST).user
    with pytest.raises(Exception, match="chuyên viên của cơ quan"):
        desk.dossier_assign(dossier=filed, actor=staff.leader, assignee=stranger)


def test_specialist_supplement_restarts_the_clock(filed, staff, citizen, version, monkeypatch):
    from dossiers.services import citizen as citizen_services
    from dossiers.services import uploads

    dossier = run_to(filed, "appraising", staff)
    first_due = dossier.due_at
    component = version.components.first()
    desk.dossier_request_supplement(
        dossier=dossier,
        actor=staff.specialist,
        items=[{"kind": "component", "ref": component.id, "reason": "Thiếu chữ ký"}],
    )
    later = timezone.now() + dt.timedelta(days=3)
    monkeypatch.setattr(timezone, "now", lambda: later)
    uploads.attachment_add(dossier=dossier, actor=citizen, component=component, upload=pdf("co-chu-ky.pdf"))
    dossier = citizen_services.dossier_submit_supplement(dossier=dossier, actor=citizen)
    assert dossier.stage == Stage.APPRAISING
    assert dossier.clock_started_at >= later - dt.timedelta(seconds=1) and dossier.due_at > first_due


def test_supplement_during_appraisal_after_three_working_days_is_refused(filed, staff, version):
    dossier = run_to(filed, "appraising", staff)
    with pytest.raises(Exception, match="quá 3 ngày làm việc"):
        desk.dossier_request_supplement(
            dossier=dossier,
            actor=staff.specialist,
            now=dossier.received_at + dt.timedelta(days=10),
            items=[{"kind": "field", "ref": "cccd_me", "reason": "Sai"}],
        )


def test_extension_once_and_not_too_late(filed, staff):
    dossier = run_to(filed, "appraising", staff)
    due_day = timezone.localtime(dossier.due_at).date()
    with pytest.raises(Exception, match="Đã quá thời điểm"):
        desk.dossier_issue_extension(
            dossier=dossier,
            actor=staff.leader,
            new_date=due_day + dt.timedelta(days=7),
            reason="Chờ xác minh",
            now=dossier.due_at,
        )
    with pytest.raises(Exception, match="sau ngày hẹn cũ"):
        desk.dossier_issue_extension(
            dossier=dossier, actor=staff.leader, new_date=due_day, reason="x", now=dossier.received_at
        )
    new_day = due_day + dt.timedelta(days=7)
    while new_day.weekday() >= 5:
        new_day += dt.timedelta(days=1)
    letter = desk.dossier_issue_extension(
        dossier=dossier, actor=staff.leader, new_date=new_day, reason="Chờ xác minh", now=dossier.received_at
    )
    dossier.refresh_from_db()
    assert timezone.localtime(dossier.due_at).date() == new_day and letter.previous_due_at < dossier.due_at
    with pytest.raises(Exception, match="lần thứ hai"):
        desk.dossier_issue_extension(
            dossier=dossier,
            actor=staff.leader,
            new_date=new_day + dt.timedelta(days=1),
            reason="y",
            now=dossier.received_at,
        )
    assert ExtensionLetter.objects.count() == 1


def test_withdrawal_confirmed_by_the_desk(filed, staff, citizen):
    from dossiers.services import citizen as citizen_services

    citizen_services.dossier_request_withdrawal(dossier=filed, actor=citizen, reason="Nộp nhầm")
    stopped = desk.dossier_confirm_withdrawal(dossier=filed, actor=staff.desk)
    assert stopped.stage == Stage.STOPPED and stopped.status == "stopped" and stopped.finished_at


def test_register_page_csv_and_pdf(client, filed, staff):
    client.force_login(staff.desk)
    page = client.get(reverse("dossiers:desk_register"))
    assert filed.code in page.content.decode()
    csv = client.get(reverse("dossiers:desk_register") + "?format=csv")
    assert filed.code in csv.content.decode("utf-8-sig") and "Người yêu cầu" in csv.content.decode("utf-8-sig")
    assert client.get(reverse("dossiers:desk_register") + "?format=pdf").content.startswith(b"%PDF")


def test_walk_in_received_and_settled_on_the_spot(client, staff, version, agency):
    make_same_day(version)
    client.force_login(staff.desk)
    components = list(version.components.all())
    data = {
        "full_name": "Lò Văn Páo",
        "national_id": "017080001234",
        "phone": "0912888999",
        "address": "Xóm Đồi",
        "delivery": "desk",
        "f_ho_ten_tre": "Lò Thị Mai",
        "f_ngay_sinh": "2026-11-20",
        "f_gioi_tinh": "nu",
        "f_cccd_me": "017199000555",
        f"file_{components[0].id}": pdf("to-khai.pdf"),
        f"file_{components[1].id}": pdf("chung-sinh.pdf"),
    }
    response = client.post(reverse("dossiers:counter") + f"?procedure={version.procedure.code}", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    dossier = Dossier.objects.get(channel="in_person")
    assert dossier.stage == Stage.RECEIVED and dossier.filer == staff.desk and dossier.applicant is None
    page = client.get(reverse("dossiers:desk_dossier", args=[dossier.code]))
    assert page.context["on_the_spot"]
    # Issue 14, item 5: the papers scanned at intake are digitised copies made by the officer.
    scans = dossier.attachments.all()
    assert len(scans) == 2 and all(a.is_digitised and a.uploaded_by == staff.desk for a in scans)
    assert page.content.decode().count("Bản số hóa tại quầy") == 2
    settle = reverse("dossiers:desk_on_the_spot", args=[dossier.code])
    client.post(settle, {"note": "Hợp lệ", "how": "Tại quầy", "result_file": pdf("ket-qua.pdf")})
    dossier.refresh_from_db()
    assert dossier.stage == Stage.RETURNED
    assert list(dossier.events.values_list("action", flat=True)) == [
        "create",
        "receive_at_counter",
        "assign",
        "appraise",
        "submit_for_approval",
        "approve",
        "return_result",
    ]


def test_walk_in_without_the_required_scans_is_refused_and_nothing_is_created(client, staff, version):
    client.force_login(staff.desk)
    data = {
        "full_name": "Lò Văn Páo",
        "national_id": "017080001234",
        "phone": "0912888999",
        "address": "Xóm Đồi",
        "delivery": "desk",
        "f_ho_ten_tre": "Lò Thị Mai",
        "f_ngay_sinh": "2026-11-20",
        "f_gioi_tinh": "nu",
        "f_cccd_me": "017199000555",
    }
    response = client.post(reverse("dossiers:counter") + f"?procedure={version.procedure.code}", data)
    assert response.status_code == 200 and "Chưa quét giấy tờ bắt buộc" in response.content.decode()
    assert 'value="Lò Văn Páo"' in response.content.decode()
    assert not Dossier.objects.exists()


def test_remaining_time_reads_in_days_and_hours_and_goes_when_finished(client, filed, staff):
    from dossiers.templatetags.dossier_tags import duration

    assert duration(dt.timedelta(days=2, hours=15, minutes=5)) == "2 ngày 15 giờ"
    assert duration(dt.timedelta(minutes=30)) == "0 giờ"
    dossier = run_to(filed, "received", staff)
    client.force_login(staff.desk)
    assert client.get(reverse("dossiers:desk_dossier", args=[dossier.code])).context["remaining"] is not None
    dossier = run_to(dossier, "returned", staff)
    assert client.get(reverse("dossiers:desk_dossier", args=[dossier.code])).context["remaining"] is None
