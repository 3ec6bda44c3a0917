"""The staff dossier page's files and timeline, built by tags (dossier_tags.staff_files and
staff_timeline) rather than template nodes: each file's component, badge, link, size and preview, each
event's time, action, actor and note, every value escaped."""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from dossiers.services import desk
from dossiers.templatetags.dossier_tags import staff_files
from tests.dossiers.conftest import pdf, run_to

pytestmark = pytest.mark.django_db

NOTE = "<b>Đã</b> xem & 'ổn'"


def test_files_and_timeline_on_the_staff_page(client, filed, staff):
    dossier = run_to(filed, "appraising", staff)
    desk.dossier_appraise(dossier=dossier, actor=staff.specialist, note=NOTE, result_file=pdf("du-thao <ket qua>.pdf"))
    client.force_login(staff.specialist)
    page = client.get(reverse("dossiers:desk_dossier", args=[dossier.code])).content.decode()

    for f in dossier.attachments.filter(superseded_at__isnull=True):
        download = reverse("dossiers:file", args=[f.public_id])
        preview = reverse("dossiers:file_preview", args=[f.public_id])
        assert f'<a href="{download}">' in page and f'src="{preview}"' in page
        if f.component:
            assert f"{f.component.name}: <a href" in page
    draft = dossier.attachments.get(is_result_draft=True)
    assert "Dự thảo kết quả (nội bộ)</span> <a href" in page
    assert "du-thao &lt;ket qua&gt;.pdf" in page and "<ket qua>" not in page
    assert f"PDF · {draft.size_kb} KB" in page

    timeline = page[page.index("Quá trình xử lý") :]
    assert "&lt;b&gt;Đã&lt;/b&gt; xem &amp; &#x27;ổn&#x27;" in timeline and "<b>Đã</b>" not in timeline
    assert "Chuyên Viên" in timeline and "Lãnh Đạo" in timeline  # who acted, on the staff page
    steps = ("Tiếp nhận hồ sơ", "Phân công xử lý", "Ghi kết quả thẩm định")
    assert [timeline.index(step) for step in steps] == sorted(timeline.index(step) for step in steps)  # oldest first


def test_an_image_is_shown_and_other_files_are_only_linked():
    def file(name, extension, **kw):
        values = {"is_result": False, "is_result_draft": False, "is_digitised": False, "component": None, "size_kb": 3}
        return SimpleNamespace(
            public_id="6f1c1d38-3b5e-4b8e-9a55-0d6c1f2b9a10", original_name=name, extension=extension, **values | kw
        )

    html = staff_files([file("anh.png", "png", is_result=True), file("don.docx", "docx")])
    assert '<span class="badge text-bg-success">Kết quả</span> <a href="/files/6f1c1d38' in html
    preview = "/files/6f1c1d38-3b5e-4b8e-9a55-0d6c1f2b9a10/preview/"
    assert html.count(f'<img class="img-fluid mt-2 border" src="{preview}"') == 1
    assert "iframe" not in html and "DOCX · 3 KB" in html


def test_the_assignment_form_offers_the_specialists_and_checks_the_choice_afresh(client, filed, staff):
    from portal.models import StaffMembership

    dossier = run_to(filed, "received", staff)
    client.force_login(staff.leader)
    page = client.get(reverse("dossiers:desk_dossier", args=[dossier.code])).content.decode()
    assert f'<option value="{staff.specialist.pk}">Chuyên Viên</option>' in page
    StaffMembership.objects.filter(user=staff.specialist).delete()  # left the agency a moment ago
    url = reverse("dossiers:desk_act", args=[dossier.code, "assign"])
    response = client.post(url, {"assign-expected_stage": "received", "assign-assignee": staff.specialist.pk})
    assert response.status_code == 400 and "Chuyên viên không hợp lệ." in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.stage == "received" and dossier.assignee is None


def test_each_action_is_a_form_posted_with_the_csrf_token_and_a_failed_one_stays_open(client, filed, staff):
    from tests.factories import AgencyFactory

    dossier = run_to(filed, "appraising", staff)
    partner = AgencyFactory(code="H99.TN", name="Phòng <Tài nguyên>")
    desk.dossier_forward(
        dossier=dossier, actor=staff.specialist, tasks=[(partner, "Xác minh & trả lời", dossier.due_at.date())]
    )
    client.force_login(staff.specialist)
    url = reverse("dossiers:desk_dossier", args=[dossier.code])
    page = client.get(url).content.decode()
    act = reverse("dossiers:desk_act", args=[dossier.code, "record_reply"])
    block = page[page.index('id="action-record_reply"') :]
    block = block[: block.index("</details>")]
    assert f'<form method="post" action="{act}"' in block and 'name="csrfmiddlewaretoken" value="' in block
    assert f"Phòng &lt;Tài nguyên&gt;: Xác minh &amp; trả lời (hạn {dossier.due_at:%d/%m/%Y})" in block
    assert 'id="action-record_reply" open' not in page
    failed = client.post(act, {"record_reply-expected_stage": "waiting_other_agency"})
    assert failed.status_code == 400
    assert '<details class="border rounded p-3 mb-2" open id="action-record_reply">' in failed.content.decode()


def test_the_header_applicant_and_answers_on_the_staff_page(client, filed, staff):
    """Built by staff_page.staff_header and staff_applicant: code, procedure, stage, due date, the
    specialist, the links to the forms the dossier has and the reissue choices, the applicant as filed
    and the answers, every value escaped."""
    from dossiers.models import Dossier

    dossier = run_to(filed, "appraising", staff)
    snapshot = {**dossier.applicant_snapshot, "full_name": "Lê <i>Văn</i> & 'Tám'"}
    Dossier.objects.filter(pk=dossier.pk).update(applicant_snapshot=snapshot, delivery_address="Số 1 <Hàng Bài>")
    old = dossier.attachments.first()
    old.is_current, old.original_name = False, "ban <cu>.pdf"
    old.save(update_fields=["is_current", "original_name"])
    client.force_login(staff.specialist)
    page = client.get(reverse("dossiers:desk_dossier", args=[dossier.code])).content.decode()

    header = page[page.index('<ol class="breadcrumb">') : page.index("Người yêu cầu")]
    assert f'<li class="breadcrumb-item active" aria-current="page">{dossier.code}</li>' in header
    assert f"{dossier.code} · {dossier.version.procedure.name}</h1>" in header
    assert 'id="stage">Đang thẩm định</span>' in header and "Hẹn trả" in header
    assert f"Chuyên viên: {staff.specialist.full_name}</p>" in header
    form = reverse("dossiers:desk_form", args=[dossier.code, "01"])
    assert f'<a href="{form}">Mẫu 01: Giấy tiếp nhận, hẹn trả</a>' in header
    assert f'<a href="{form[:-3]}05/">Mẫu 05: Phiếu kiểm soát quá trình</a>' in header
    assert "Mẫu 03" not in header and "Mẫu 02" not in header
    options = header[header.index('id="reissue-number"') : header.index("</select>")]
    assert '<option value="01">' in options and '"05"' not in options
    assert 'name="csrfmiddlewaretoken" value="' in header[header.index('id="reissue"') :]

    applicant = page[page.index("Người yêu cầu") : page.index("Giấy tờ</h2>")]
    assert "Lê &lt;i&gt;Văn&lt;/i&gt; &amp; &#x27;Tám&#x27;" in applicant and "<i>Văn" not in applicant
    assert "Số 1 &lt;Hàng Bài&gt;" in applicant
    answers = applicant[applicant.index("Nội dung tờ khai") :]
    fields = {f.key: f for f in dossier.version.fields.all()}
    shown = [key for key in dossier.answers if key in fields]
    assert shown and all(f'<dt class="col-sm-5">{fields[key].label}</dt>' in answers for key in shown)
    earlier = page[page.index("Phiên bản trước") :]
    assert f'<li><a href="{reverse("dossiers:file", args=[old.public_id])}">ban &lt;cu&gt;.pdf</a></li>' in earlier
