"""Issue 11, item 2: a dossier whose result is a document is not approved or returned without the final
result file; the specialist's draft stays with the staff; the citizen downloads the final result from
its own "Kết quả" section."""

from pathlib import Path

import pytest
from django.urls import reverse

from dossiers.constants import Stage
from dossiers.exceptions import ActionNotAllowed
from dossiers.models import Attachment, Dossier
from dossiers.services import counter, desk
from portal.exceptions import ApplicationError
from tests.dossiers.conftest import make_same_day, pdf, run_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def awaiting(filed, staff):
    dossier = run_to(filed, "appraising", staff)
    desk.dossier_appraise(dossier=dossier, actor=staff.specialist, note="Đủ", result_file=pdf("du-thao.pdf"))
    return desk.dossier_submit_for_approval(dossier=dossier, actor=staff.specialist)


def online_delivery(dossier):
    Dossier.objects.filter(pk=dossier.pk).update(delivery="online")
    dossier.refresh_from_db()
    return dossier


def set_result_document(version, value):
    version.status = "draft"
    version.save(update_fields=["status"])
    version.result_document = value
    version.save()
    version.status = "published"
    version.save(update_fields=["status"])


def test_an_electronic_result_is_not_approved_on_the_specialists_draft(awaiting, staff):
    dossier = online_delivery(awaiting)
    with pytest.raises(ApplicationError, match="văn bản kết quả chính thức") as refusal:
        desk.dossier_approve(dossier=dossier, actor=staff.leader)
    assert refusal.value.field == "result_file"
    dossier.refresh_from_db()
    assert dossier.stage == Stage.AWAITING_APPROVAL
    moved = desk.dossier_approve(dossier=dossier, actor=staff.leader, result_file=pdf("giay-khai-sinh.pdf"))
    assert moved.stage == Stage.RESULT_READY
    final = Attachment.objects.get(dossier=dossier, is_result=True)
    assert final.original_name == "giay-khai-sinh.pdf" and final.uploaded_by == staff.leader


def test_a_paper_result_is_returned_only_with_its_scan(awaiting, staff):
    dossier = desk.dossier_approve(dossier=awaiting, actor=staff.leader)  # signed on paper
    with pytest.raises(ApplicationError, match="bản chụp văn bản kết quả"):
        desk.dossier_return_result(dossier=dossier, actor=staff.desk, how="Trao tận tay")
    dossier.refresh_from_db()
    assert dossier.stage == Stage.RESULT_READY
    desk.dossier_return_result(dossier=dossier, actor=staff.desk, how="Trao tận tay", result_file=pdf("ban-chup.pdf"))
    dossier.refresh_from_db()
    assert dossier.stage == Stage.RETURNED
    assert dossier.attachments.get(is_result=True).original_name == "ban-chup.pdf"


def test_a_result_that_is_not_a_document_needs_no_file(awaiting, staff, version):
    set_result_document(version, False)
    dossier = online_delivery(awaiting)
    dossier = desk.dossier_approve(dossier=dossier, actor=staff.leader)
    dossier = desk.dossier_return_result(dossier=dossier, actor=staff.desk, how="Đã cập nhật cơ sở dữ liệu")
    assert dossier.stage == Stage.RETURNED


def test_a_refusal_after_appraisal_is_returned_without_a_file(awaiting, staff):
    dossier = desk.dossier_refuse_after_appraisal(dossier=online_delivery(awaiting), actor=staff.leader, reason="Sai")
    assert desk.dossier_return_result(dossier=dossier, actor=staff.desk, how="Bưu chính").stage == Stage.RETURNED


def stored_files(settings):
    return sorted(p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file())


def test_someone_who_may_not_approve_stores_no_result_file(awaiting, staff, settings):
    before = stored_files(settings)
    with pytest.raises(ActionNotAllowed):
        desk.dossier_approve(dossier=awaiting, actor=staff.specialist, result_file=pdf("gia-mao.pdf"))
    with pytest.raises(ActionNotAllowed):
        desk.dossier_return_result(dossier=awaiting, actor=staff.desk, how="Tận tay", result_file=pdf("gia-mao.pdf"))
    assert not Attachment.objects.filter(original_name="gia-mao.pdf").exists()
    assert stored_files(settings) == before  # refused before the file is written


def test_the_citizen_gets_the_final_result_and_never_the_draft(client, awaiting, staff, citizen):
    desk.dossier_approve(dossier=online_delivery(awaiting), actor=staff.leader, result_file=pdf("giay-khai-sinh.pdf"))
    draft = Attachment.objects.get(dossier=awaiting, is_result_draft=True)
    final = Attachment.objects.get(dossier=awaiting, is_result=True)
    client.force_login(citizen)
    page = client.get(reverse("dossiers:detail", args=[awaiting.code]))
    html = page.content.decode()
    assert 'id="result"' in html and "giay-khai-sinh.pdf" in html and "du-thao.pdf" not in html
    assert reverse("dossiers:file", args=[final.public_id]) in html
    assert client.get(reverse("dossiers:file", args=[final.public_id])).status_code == 200
    assert client.get(reverse("dossiers:file", args=[draft.public_id])).status_code == 404
    assert client.get(reverse("dossiers:file_preview", args=[draft.public_id])).status_code == 404
    client.force_login(staff.leader)
    assert client.get(reverse("dossiers:file", args=[draft.public_id])).status_code == 200


def test_the_leader_uploads_the_result_through_the_page(client, awaiting, staff):
    dossier = online_delivery(awaiting)
    client.force_login(staff.leader)
    url = reverse("dossiers:desk_act", args=[dossier.code, "approve"])
    refused = client.post(url, {"approve-expected_stage": dossier.stage}, follow=True)
    assert "văn bản kết quả chính thức" in refused.content.decode()
    client.post(url, {"approve-expected_stage": dossier.stage, "approve-result_file": pdf("giay-khai-sinh.pdf")})
    dossier.refresh_from_db()
    assert dossier.stage == Stage.RESULT_READY and dossier.attachments.filter(is_result=True).exists()


def test_on_the_spot_takes_the_signed_result(filed, staff, version):
    make_same_day(version)
    dossier = run_to(filed, "received", staff)
    officer = staff.desk
    with pytest.raises(ApplicationError, match="bản chụp văn bản kết quả"):
        counter.dossier_settle_on_the_spot(dossier=dossier, actor=officer, note="Hợp lệ", how="Tận tay")
    counter.dossier_settle_on_the_spot(
        dossier=dossier, actor=officer, note="Hợp lệ", how="Tận tay", result_file=pdf("ket-qua.pdf")
    )
    dossier.refresh_from_db()
    assert dossier.stage == Stage.RETURNED and dossier.attachments.filter(is_result=True).count() == 1
