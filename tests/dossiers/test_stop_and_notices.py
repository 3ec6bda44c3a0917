"""Issue 11, item 3: the agency stops a dossier it cannot go on with (status 8 "Dừng xử lý") by a
leader's written notice with the reason; the citizen is told and downloads the notice. Item 11: an online
filer downloads the forms addressed to them (receipt, supplement request, refusal, apology, stop)."""

import io

import pypdf
import pytest
from django.urls import reverse

from dossiers.constants import Stage, Status
from dossiers.exceptions import ActionNotAllowed
from dossiers.services import desk
from portal.exceptions import ApplicationError
from portal.models import Notification
from tests.dossiers.conftest import run_to
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def pdf_text(response) -> str:
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages)


def test_a_leader_stops_the_dossier_with_a_reason_and_the_citizen_is_told(filed, staff, citizen):
    dossier = run_to(filed, "appraising", staff)
    with pytest.raises(ApplicationError, match="Nêu lý do dừng xử lý"):
        desk.dossier_stop(dossier=dossier, actor=staff.leader, reason="  ")
    stopped = desk.dossier_stop(dossier=dossier, actor=staff.leader, reason="Đất đang có tranh chấp")
    assert (stopped.stage, stopped.status) == (Stage.STOPPED, Status.STOPPED) and stopped.finished_at
    event = stopped.events.get(action="stop_processing")
    assert event.actor == staff.leader and event.note == "Đất đang có tranh chấp" and event.public
    notice = Notification.objects.get(recipient=citizen, event="dossier_stopped_by_agency", channel="in_app")
    assert "Đất đang có tranh chấp" in notice.body


@pytest.mark.parametrize("who", ["desk", "specialist"])
def test_only_a_leader_stops_a_dossier(filed, staff, who):
    dossier = run_to(filed, "appraising", staff)
    with pytest.raises(ActionNotAllowed):
        desk.dossier_stop(dossier=dossier, actor=getattr(staff, who), reason="Không rõ")
    dossier.refresh_from_db()
    assert dossier.stage == Stage.APPRAISING


def test_a_finished_dossier_cannot_be_stopped(filed, staff):
    dossier = run_to(filed, "result_ready", staff)
    with pytest.raises(ActionNotAllowed):
        desk.dossier_stop(dossier=dossier, actor=staff.leader, reason="Muộn")


def test_the_stop_through_the_page_and_its_written_notice(client, filed, staff, citizen):
    dossier = run_to(filed, "received", staff)
    client.force_login(staff.leader)
    page = client.get(reverse("dossiers:desk_dossier", args=[dossier.code]))
    assert "stop_processing" in page.context["actions"]
    client.post(
        reverse("dossiers:desk_act", args=[dossier.code, "stop_processing"]),
        {"stop_processing-expected_stage": "received", "stop_processing-reason": "Đất đang có tranh chấp"},
    )
    dossier.refresh_from_db()
    assert dossier.stage == Stage.STOPPED
    staff_copy = pdf_text(client.get(reverse("dossiers:desk_form", args=[dossier.code, "stop"])))
    assert "DỪNG XỬ LÝ" in staff_copy and "Đất đang có tranh chấp" in staff_copy and "Lãnh Đạo" in staff_copy

    client.force_login(citizen)
    detail = client.get(reverse("dossiers:detail", args=[dossier.code])).content.decode()
    assert "Đất đang có tranh chấp" in detail
    assert reverse("dossiers:citizen_form", args=[dossier.code, "stop"]) in detail
    assert "Kính gửi" in pdf_text(client.get(reverse("dossiers:citizen_form", args=[dossier.code, "stop"])))


def test_the_online_filer_downloads_the_receipt_in_the_receiving_officers_name(client, filed, staff, citizen):
    dossier = run_to(filed, "received", staff)
    client.force_login(citizen)
    detail = client.get(reverse("dossiers:detail", args=[dossier.code])).content.decode()
    assert reverse("dossiers:citizen_form", args=[dossier.code, "01"]) in detail
    receipt = pdf_text(client.get(reverse("dossiers:citizen_form", args=[dossier.code, "01"])))
    assert dossier.code in receipt and "Cán bộ Một Cửa" in receipt
    # The staff's copy names the same officer, whoever prints it.
    client.force_login(staff.leader)
    assert "Cán bộ Một Cửa" in pdf_text(client.get(reverse("dossiers:desk_form", args=[dossier.code, "01"])))


def test_forms_are_the_owners_only_and_only_those_issued(client, filed, staff, citizen):
    dossier = run_to(filed, "received", staff)
    client.force_login(citizen)
    for number in ("03", "04", "stop", "05", "99"):
        assert client.get(reverse("dossiers:citizen_form", args=[dossier.code, number])).status_code == 404
    client.force_login(UserFactory())
    assert client.get(reverse("dossiers:citizen_form", args=[dossier.code, "01"])).status_code == 404
    client.logout()
    assert client.get(reverse("dossiers:citizen_form", args=[dossier.code, "01"])).status_code == 302


@pytest.mark.parametrize("saturday", [True, False])
def test_the_desks_saturday_morning_is_shown_to_the_citizen_and_on_the_receipt(client, filed, staff, citizen, saturday):
    """Issue 11, item 8: the desk's Saturday-morning flag is read where a citizen plans the visit."""
    filed.desk.opens_saturday_morning = saturday
    filed.desk.save(update_fields=["opens_saturday_morning"])
    dossier = run_to(filed, "received", staff)  # the receipt is issued (and kept) with the desk's hours
    client.force_login(citizen)
    page = client.get(reverse("dossiers:detail", args=[dossier.code])).content.decode()
    receipt = " ".join(pdf_text(client.get(reverse("dossiers:citizen_form", args=[dossier.code, "01"]))).split())
    assert "Thứ Hai đến thứ Sáu" in page and "Thứ Hai đến thứ Sáu" in receipt
    assert ("sáng thứ Bảy" in page) == saturday and ("sáng thứ Bảy" in receipt) == saturday


def test_the_timeline_says_what_happened_and_is_the_same_on_both_pages(client, filed, staff, citizen):
    """Issue 11, item 13: "Đang xử lý" four times told the citizen nothing; the public tracking page
    showed other words than the dossier page."""
    import re

    from dossiers import selectors
    from dossiers.services import citizen as citizen_services
    from dossiers.services import uploads
    from tests.dossiers.conftest import pdf
    from tests.factories import AgencyFactory

    dossier = run_to(filed, "appraising", staff)
    partner = AgencyFactory(code="H99.TN", name="Phòng Tài nguyên")
    dossier = desk.dossier_forward(
        dossier=dossier, actor=staff.specialist, tasks=[(partner, "Xác minh", dossier.due_at.date())]
    )
    task = dossier.agency_tasks.get()
    dossier = desk.dossier_record_reply(dossier=dossier, actor=staff.specialist, task=task, reply="Đúng")
    component = dossier.version.components.first()
    desk.dossier_request_supplement(
        dossier=dossier, actor=staff.specialist, items=[{"kind": "component", "ref": component.id, "reason": "Mờ"}]
    )
    uploads.attachment_add(dossier=dossier, actor=citizen, component=component, upload=pdf("ro.pdf"))
    dossier = citizen_services.dossier_submit_supplement(dossier=dossier, actor=citizen)
    entries = selectors.timeline(dossier, public_only=True)
    steps = [e.step_label for e in entries]
    assert len(set(steps)) == len(steps), steps  # no step repeats another's words
    assert [e.status_label for e in entries].count("Đang xử lý") >= 2  # what used to be all it said
    client.force_login(citizen)
    detail = client.get(reverse("dossiers:detail", args=[dossier.code])).content.decode()
    client.logout()
    track = client.get(reverse("dossiers:track"), {"code": dossier.code, "key": dossier.lookup_key}).content.decode()
    for step in steps:
        assert step in detail and step in track
    assert "Cán bộ" not in re.sub(r"<[^>]+>", "", track)  # still no staff names in public
