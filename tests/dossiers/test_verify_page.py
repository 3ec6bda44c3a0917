"""Issue 14, item 3: the public verification page (/verify/): a PDF's signatures, and whether this
portal issued it; the page a document's QR code opens shows the document's record, nothing personal."""

import uuid

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dossiers.models import IssuedDocument
from dossiers.services import desk
from dossiers.services.documents import form_issue
from tests.dossiers.conftest import PNG, a_pdf, run_to, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate():
    cache.clear()


@pytest.fixture
def result(ca, filed, staff):
    dossier = run_to(filed, "awaiting_approval", staff)
    desk.dossier_approve(dossier=dossier, actor=staff.leader, result_file=upload(a_pdf()))
    return IssuedDocument.objects.get(dossier=dossier, number="result")


def check(client, content: bytes, url=None, name="tep.pdf"):
    return client.post(url or reverse("dossiers:verify"), {"file": SimpleUploadedFile(name, content)})


def test_the_signed_result_is_valid_and_recognised(client, result):
    page = check(client, result.file.read())
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="verdict-valid"' in html and 'id="match-found"' in html
    assert "Lãnh Đạo" in html  # who signed
    assert result.agency.name in html


def test_a_tampered_file_is_not_valid(client, result):
    content = result.file.read()
    at = content.index(b"/MediaBox") + 12
    page = check(client, content[:at] + bytes([content[at] ^ 1]) + content[at + 1 :])
    html = page.content.decode()
    assert 'id="verdict-invalid"' in html and "bị thay đổi sau khi ký" in html
    assert 'id="match-none"' in html  # its hash matches nothing issued


def test_the_qr_page_shows_the_record_and_nothing_personal(client, result, filed):
    page = client.get(reverse("dossiers:verify_document", args=[result.public_id]))
    html = page.content.decode()
    assert page.status_code == 200 and 'id="verify-named"' in html
    assert result.sha256 in html and "Đã ký số" in html
    assert filed.applicant_name not in html and filed.code not in html
    other = check(client, a_pdf("Một văn bản khác"), url=reverse("dossiers:verify_document", args=[result.public_id]))
    assert 'id="match-other"' in other.content.decode()
    same = check(client, result.file.read(), url=reverse("dossiers:verify_document", args=[result.public_id]))
    assert 'id="match-other"' not in same.content.decode()


def test_an_unknown_qr_code_is_not_found(client, db):
    assert client.get(reverse("dossiers:verify_document", args=[uuid.uuid4()])).status_code == 404


def test_a_reissued_form_says_so_on_its_qr_page(client, ca, filed, staff):
    dossier = run_to(filed, "received", staff)
    first = IssuedDocument.objects.get(dossier=dossier, number="01")
    url = reverse("dossiers:verify_document", args=[first.public_id])
    assert "đã được phát hành lại" not in client.get(url).content.decode()
    form_issue(dossier=dossier, number="01", actor=staff.desk, reason="Sai ngày hẹn")
    assert "đã được phát hành lại" in client.get(url).content.decode()


def test_only_a_pdf_is_checked(client, db):
    page = check(client, PNG, name="anh.pdf")
    assert page.status_code == 400 and "Chỉ kiểm tra được tệp PDF" in page.content.decode()
    empty = client.post(reverse("dossiers:verify"), {})
    assert empty.status_code == 400 and "Chọn tệp PDF cần kiểm tra" in empty.content.decode()


def test_an_unsigned_pdf_says_it_has_no_signature(client, db):
    html = check(client, a_pdf()).content.decode()
    assert 'id="verdict-unsigned"' in html and "không có chữ ký số" in html


def test_too_many_checks_from_one_address_are_refused(client, db, settings):
    settings.PORTAL_RATE_VERIFY = "2/m"
    assert check(client, a_pdf()).status_code == 200
    assert check(client, a_pdf()).status_code == 200
    refused = check(client, a_pdf())
    assert refused.status_code == 429 and "quá nhiều" in refused.content.decode()


def test_a_file_too_large_is_refused_with_its_limit(client, db, settings):
    settings.VERIFY_MAX_MB = 0
    page = check(client, a_pdf())
    assert page.status_code == 400 and "lớn hơn 0 MB" in page.content.decode()
