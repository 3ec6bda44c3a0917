"""Findings: no malware scanning (EICAR inside a PDF accepted), 25 files per component accepted, a
1 MB answer saved in a draft."""

import socket
import struct
import threading

import pytest
from django.urls import reverse

from dossiers.exceptions import UploadRejected
from dossiers.services import filing, uploads
from portal.scanning import ClamdScanner, ScannerUnavailable
from tests.dossiers.conftest import PDF, pdf
from tests.security.fake_scanner import EICAR

pytestmark = pytest.mark.django_db

INFECTED_PDF = PDF.replace(b"%%EOF", b"% " + EICAR + b"\n%%EOF")


@pytest.fixture
def draft(version, agency, citizen):
    return filing.dossier_start(version=version, actor=citizen, agency=agency)


def test_eicar_inside_a_pdf_is_refused_and_the_draft_keeps_its_files(client, draft, citizen, settings):
    settings.PORTAL_MALWARE_SCANNER = "tests.security.fake_scanner.EicarScanner"
    component = draft.version.components.first()
    uploads.attachment_add(dossier=draft, actor=citizen, component=component, upload=pdf("sach.pdf"))
    with pytest.raises(UploadRejected) as refused:
        uploads.attachment_add(dossier=draft, actor=citizen, component=component, upload=pdf("doc.pdf", INFECTED_PDF))
    assert refused.value.code == "infected" and "mã độc" in refused.value.message
    assert [a.original_name for a in draft.attachments.all()] == ["sach.pdf"]


def test_too_many_files_for_one_component(draft, citizen, settings):
    settings.DOSSIER_MAX_FILES_PER_COMPONENT = 5
    component = draft.version.components.first()
    for i in range(5):
        uploads.attachment_add(dossier=draft, actor=citizen, component=component, upload=pdf(f"trang-{i}.pdf"))
    with pytest.raises(UploadRejected) as refused:
        uploads.attachment_add(dossier=draft, actor=citizen, component=component, upload=pdf("trang-5.pdf"))
    assert refused.value.code == "too_many_files" and "tối đa 5 tệp" in refused.value.message
    first = draft.attachments.first()
    uploads.attachment_add(dossier=draft, actor=citizen, component=component, upload=pdf("moi.pdf"), replace=first)
    assert draft.attachments.filter(is_current=True, component=component).count() == 5  # replacing still works


def test_a_megabyte_answer_is_not_stored(client, draft, citizen):
    client.force_login(citizen)
    saved = {**draft.answers}
    huge = "A" * 1_000_000
    url = reverse("dossiers:draft_form", args=[draft.public_id, 0])
    response = client.post(url, {"f_ho_ten_tre": huge, "f_ngay_sinh": "2026-11-20"})
    assert response.status_code == 200
    assert "dài quá 500 ký tự" in response.content.decode()
    draft.refresh_from_db()
    assert draft.answers == saved


class FakeClamd:
    """A ClamAV daemon stand-in on a local port, speaking the INSTREAM protocol."""

    def __init__(self):
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen()
        self.address = f"127.0.0.1:{self.server.getsockname()[1]}"
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            with conn:
                data = b""
                while not data.startswith(b"zINSTREAM\0"):
                    data += conn.recv(10)
                data, body = data[10:], b""
                while True:
                    while len(data) < 4:
                        data += conn.recv(65536)
                    (size,) = struct.unpack("!L", data[:4])
                    if size == 0:
                        break
                    while len(data) < 4 + size:
                        data += conn.recv(65536)
                    body, data = body + data[4 : 4 + size], data[4 + size :]
                conn.sendall(b"stream: Eicar-Signature FOUND\0" if EICAR in body else b"stream: OK\0")

    def close(self):
        self.server.close()


def test_clamd_scanner_streams_the_file_and_reads_the_verdict():
    daemon = FakeClamd()
    try:
        scanner = ClamdScanner(address=daemon.address, timeout=5)
        import io

        assert scanner.scan(io.BytesIO(PDF * 5000)) is None
        assert scanner.scan(io.BytesIO(INFECTED_PDF)) == "Eicar-Signature"
    finally:
        daemon.close()


def test_an_unreachable_scanner_refuses_the_upload(draft, citizen, settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    settings.PORTAL_MALWARE_SCANNER = "portal.scanning.ClamdScanner"
    settings.PORTAL_CLAMD_ADDRESS = f"127.0.0.1:{closed_port}"
    with pytest.raises(ScannerUnavailable):
        import io

        ClamdScanner(timeout=2).scan(io.BytesIO(PDF))
    with pytest.raises(UploadRejected) as refused:
        uploads.attachment_add(dossier=draft, actor=citizen, component=draft.version.components.first(), upload=pdf())
    assert refused.value.code == "scanner_unavailable"
    assert not draft.attachments.exists()
