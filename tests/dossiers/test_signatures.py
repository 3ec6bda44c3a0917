"""Issue 14: issued documents signed with the agency's certificate (PAdES, pyHanko), checked here with
an authority built in the test."""

import datetime as dt
import hashlib
import io

import pypdf
import pytest
from django.urls import reverse

from dossiers.exceptions import UploadRejected
from dossiers.models import Attachment, IssuedDocument
from dossiers.services import desk
from dossiers.services.documents import document_sign, form_issue
from portal import signing
from portal.signing_keys import make_agency_key, make_authority
from tests.dossiers.conftest import PASSWORD, a_pdf, run_to, upload

pytestmark = pytest.mark.django_db


def signed_elsewhere(tmp_path, authority, **validity) -> bytes:
    """A PDF signed by another system with a certificate of `authority`."""
    (tmp_path / "OTHER.p12").write_bytes(make_agency_key(authority, "Sở Tư pháp", password=PASSWORD, **validity))
    return signing.sign_pdf(a_pdf(), code="OTHER", signer_name="Sở Tư pháp", reason="Ký", verify_url="https://x/")


@pytest.fixture
def awaiting(filed, staff):
    return run_to(filed, "awaiting_approval", staff)


def test_the_leaders_approval_signs_the_result_and_it_validates(ca, awaiting, staff):
    desk.dossier_approve(dossier=awaiting, actor=staff.leader, result_file=upload(a_pdf()))
    document = IssuedDocument.objects.get(dossier=awaiting, number="result")
    assert document.signature == "signed" and "Lãnh Đạo" in document.signer and document.version == 1
    content = document.file.read()
    verdict = signing.validate_pdf(content)
    assert verdict.valid and verdict.intact and verdict.trusted, verdict
    # The citizen's download (and their document store) is the signed file.
    result = Attachment.objects.get(dossier=awaiting, is_result=True)
    assert result.file.name == document.file.name and result.sha256 == document.sha256


def test_one_changed_byte_breaks_the_signature(ca, awaiting, staff):
    desk.dossier_approve(dossier=awaiting, actor=staff.leader, result_file=upload(a_pdf("Nội dung gốc")))
    content = IssuedDocument.objects.get(dossier=awaiting, number="result").file.read()
    at = content.index(b"/MediaBox") + 12  # inside the signed page's dictionary
    changed = content[:at] + bytes([content[at] ^ 1]) + content[at + 1 :]
    verdict = signing.validate_pdf(changed)
    assert verdict.signed and not verdict.valid and not verdict.intact


def test_a_form_is_sealed_with_the_agencys_key_on_issue(ca, filed, staff):
    dossier = run_to(filed, "received", staff)
    receipt = IssuedDocument.objects.get(dossier=dossier, number="01")
    assert receipt.signature == "signed" and receipt.signer == dossier.agency.name
    assert signing.validate_pdf(receipt.file.read()).valid


def test_a_result_signed_elsewhere_is_kept_as_it_is(ca, awaiting, staff, tmp_path):
    content = signed_elsewhere(tmp_path, ca)
    desk.dossier_approve(dossier=awaiting, actor=staff.leader, result_file=upload(content))
    document = IssuedDocument.objects.get(dossier=awaiting, number="result")
    assert document.file.read() == content and document.signer == "Sở Tư pháp" and document.signature == "signed"


@pytest.mark.parametrize("how", ["expired", "not_yet_valid", "unknown_authority"])
def test_a_result_whose_signature_does_not_hold_is_refused_on_upload(ca, awaiting, staff, tmp_path, how):
    now = dt.datetime.now(dt.UTC)
    if how == "expired":
        content = signed_elsewhere(
            tmp_path, ca, not_before=now - dt.timedelta(days=400), not_after=now - dt.timedelta(days=1)
        )
    elif how == "not_yet_valid":
        content = signed_elsewhere(
            tmp_path, ca, not_before=now + dt.timedelta(days=1), not_after=now + dt.timedelta(days=400)
        )
    else:
        content = signed_elsewhere(tmp_path, make_authority("CA lạ"))
    with pytest.raises(UploadRejected, match="Chữ ký số"):
        desk.dossier_approve(dossier=awaiting, actor=staff.leader, result_file=upload(content))
    awaiting.refresh_from_db()
    assert awaiting.stage == "awaiting_approval"
    assert not IssuedDocument.objects.filter(dossier=awaiting, number="result").exists()
    assert not Attachment.objects.filter(dossier=awaiting, is_result=True).exists()


def test_a_reissue_keeps_the_old_version_retrievable(ca, filed, staff):
    dossier = run_to(filed, "received", staff)
    first = IssuedDocument.objects.get(dossier=dossier, number="01")
    first_content = first.file.read()
    second = form_issue(dossier=dossier, number="01", actor=staff.desk, reason="In lại do sai tên người nộp")
    assert second.version == 2 and second.reason == "In lại do sai tên người nộp"
    first.refresh_from_db()
    assert first.file.read() == first_content and first.sha256 != second.sha256
    assert signing.validate_pdf(first_content).valid


def test_signing_in_a_task_shows_being_signed_until_it_is(
    ca, settings, awaiting, staff, django_capture_on_commit_callbacks
):
    settings.SIGNING_IN_TASK = True
    with django_capture_on_commit_callbacks(execute=False):
        desk.dossier_approve(dossier=awaiting, actor=staff.leader, result_file=upload(a_pdf()))
    document = IssuedDocument.objects.get(dossier=awaiting, number="result")
    assert document.signature == "pending" and not signing.validate_pdf(document.file.read()).signed
    assert document_sign(pk=document.pk) is not None
    document.refresh_from_db()
    assert document.signature == "signed" and signing.validate_pdf(document.file.read()).valid
    assert Attachment.objects.get(dossier=awaiting, is_result=True).sha256 == document.sha256
    assert document_sign(pk=document.pk) is None  # a second run (a redelivered task) does nothing


def test_a_demo_certificate_neither_signs_nor_validates_in_production(ca, settings, tmp_path, agency):
    demo = make_authority(f"{signing.DEMO_MARK} CA", organisation=signing.DEMO_MARK)
    (tmp_path / f"{agency.code}.p12").write_bytes(make_agency_key(demo, agency.name, password=PASSWORD))
    (tmp_path / signing.DEMO_CA_FILE).write_bytes(demo.pem())
    content = signing.sign_pdf(a_pdf(), code=agency.code, signer_name="x", reason="x", verify_url="https://x/")
    assert signing.validate_pdf(content).valid  # the demo (make run) trusts its own authority
    settings.SIGNING_ALLOW_DEMO = False
    assert not signing.validate_pdf(content).valid
    with pytest.raises(signing.SigningUnavailable):
        signing.sign_pdf(a_pdf(), code=agency.code, signer_name="x", reason="x", verify_url="https://x/")


def test_without_a_key_a_form_is_unsigned_but_carries_its_qr_code(filed, staff, settings, tmp_path):
    settings.SIGNING_KEYS_DIR = tmp_path
    dossier = run_to(filed, "received", staff)
    receipt = IssuedDocument.objects.get(dossier=dossier, number="01")
    assert receipt.signature == "unsigned"
    content = receipt.file.read()
    reader = pypdf.PdfReader(io.BytesIO(content))
    links = [a.get_object()["/A"]["/URI"] for a in reader.pages[-1].get("/Annots", [])]
    assert links == [f"{settings.PORTAL_BASE_URL}/verify/{receipt.public_id}/"]  # the QR code's link
    assert "quét mã QR" in " ".join(page.extract_text() for page in reader.pages)


def test_the_signed_result_is_in_the_citizens_store_and_reused_as_signed(ca, client, awaiting, staff, citizen, version):  # noqa: E501
    """Item 4: the result issued to the citizen goes into their documents; picked for a later filing,
    the new dossier carries the signed file, as a reuse (the reuse indicator counts reused_from)."""
    from dossiers import selectors
    from dossiers.services import filing

    desk.dossier_approve(dossier=awaiting, actor=staff.leader, result_file=upload(a_pdf()))
    document = IssuedDocument.objects.get(dossier=awaiting, number="result")
    result = Attachment.objects.get(dossier=awaiting, is_result=True)
    assert result in selectors.documents_of_user(user=citizen)
    client.force_login(citizen)
    page = client.get(reverse("dossiers:detail", args=[awaiting.code])).content.decode()
    assert "Đã ký số" in page and reverse("dossiers:verify_document", args=[document.public_id]) in page

    draft = filing.dossier_start(version=version, actor=citizen, agency=awaiting.agency)
    component = version.components.order_by("order").first()
    client.post(reverse("dossiers:draft_pick", args=[draft.public_id, component.pk]), {"source": result.public_id})
    reused = draft.attachments.get()
    assert reused.reused_from == result and reused.sha256 == document.sha256
    assert signing.validate_pdf(reused.file.read()).valid


def test_staff_reissue_a_form_with_its_reason_from_the_dossier_page(client, filed, staff):
    dossier = run_to(filed, "appraising", staff)
    url = reverse("dossiers:desk_form_reissue", args=[dossier.code])
    client.force_login(staff.desk)
    page = client.get(reverse("dossiers:desk_dossier", args=[dossier.code])).content.decode()
    assert 'id="reissue"' in page and url in page
    missing = client.post(url, {"number": "01", "reason": "  "}, follow=True).content.decode()
    assert "Nêu lý do phát hành lại" in missing
    assert IssuedDocument.objects.filter(dossier=dossier, number="01").count() == 1
    done = client.post(url, {"number": "01", "reason": "Sửa sai tên người nộp"}, follow=True).content.decode()
    assert "Đã phát hành lại" in done
    second = IssuedDocument.objects.get(dossier=dossier, number="01", version=2)
    assert second.reason == "Sửa sai tên người nộp" and second.issued_by == staff.desk
    served = client.get(reverse("dossiers:desk_form", args=[dossier.code, "01"])).content
    assert hashlib.sha256(served).hexdigest() == second.sha256
    never = client.post(url, {"number": "03", "reason": "Thử"}, follow=True).content.decode()
    assert "chưa được phát hành" in never
    client.force_login(staff.specialist)
    client.post(url, {"number": "01", "reason": "Chuyên viên thử"})
    assert IssuedDocument.objects.filter(dossier=dossier, number="01").count() == 2


@pytest.mark.parametrize("in_task", [False, True])
def test_a_damaged_pdf_the_leader_would_sign_is_refused_with_nothing_kept(ca, settings, awaiting, staff, in_task):
    settings.SIGNING_IN_TASK = in_task
    with pytest.raises(UploadRejected, match="Không ký số được"):
        desk.dossier_approve(dossier=awaiting, actor=staff.leader, result_file=upload(b"%PDF-1.4\nnot a pdf\n%%EOF"))
    assert not IssuedDocument.objects.filter(dossier=awaiting, number="result").exists()
    assert not Attachment.objects.filter(dossier=awaiting, is_result=True).exists()
