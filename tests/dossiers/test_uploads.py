import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dossiers.exceptions import ActionNotAllowed, UploadRejected
from dossiers.models import Attachment
from dossiers.services import filing, uploads
from tests.dossiers.conftest import EXE, PDF, PNG, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(version, agency, citizen):
    return filing.dossier_start(version=version, actor=citizen, agency=agency)


def components(version):
    return list(version.components.all())


def test_pdf_and_png_are_accepted_and_stored_under_a_random_name(draft, version, citizen):
    form_component = components(version)[0]
    a = uploads.attachment_add(
        dossier=draft, actor=citizen, component=form_component, upload=pdf("../../etc/passwd.pdf")
    )
    b = uploads.attachment_add(
        dossier=draft, actor=citizen, component=form_component, upload=SimpleUploadedFile("anh chup.png", PNG)
    )
    assert (a.extension, a.content_type, b.extension) == ("pdf", "application/pdf", "png")
    assert "passwd" not in a.file.name and ".." not in a.file.name and a.file.name.endswith(".pdf")
    assert a.original_name == "passwd.pdf"  # only the base name is kept, for display
    assert len(a.sha256) == 64


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("hoso.pdf", EXE, "không phải là"),  # an .exe renamed .pdf
        ("anh.png", PNG, "không phải là"),  # a real PNG where only PDF is accepted
        ("rong.pdf", b"", "rỗng"),
        ("lon.pdf", PDF + b"0" * (1024 * 1024), "lớn hơn 1 MB"),
    ],
)
def test_bad_uploads_are_refused_and_the_draft_keeps_its_files(draft, version, citizen, name, content, message):
    birth_certificate = components(version)[1]  # PDF only, 1 MB
    kept = uploads.attachment_add(dossier=draft, actor=citizen, component=birth_certificate, upload=pdf("ok.pdf"))
    with pytest.raises(UploadRejected, match=message):
        uploads.attachment_add(
            dossier=draft, actor=citizen, component=birth_certificate, upload=SimpleUploadedFile(name, content)
        )
    assert list(Attachment.objects.filter(dossier=draft)) == [kept]
    assert kept.file.storage.exists(kept.file.name)


def test_total_size_per_dossier_is_capped(draft, version, citizen, settings):
    settings.DOSSIER_MAX_TOTAL_MB = 1
    big = PDF + b"0" * (700 * 1024)
    uploads.attachment_add(
        dossier=draft, actor=citizen, component=components(version)[0], upload=SimpleUploadedFile("a.pdf", big)
    )
    with pytest.raises(UploadRejected, match="Tổng dung lượng"):
        uploads.attachment_add(
            dossier=draft, actor=citizen, component=components(version)[1], upload=SimpleUploadedFile("b.pdf", big)
        )


def test_replace_swaps_the_file_and_remove_deletes_it(draft, version, citizen):
    component = components(version)[0]
    old = uploads.attachment_add(dossier=draft, actor=citizen, component=component, upload=pdf("cu.pdf"))
    new = uploads.attachment_add(dossier=draft, actor=citizen, component=component, upload=pdf("moi.pdf"), replace=old)
    assert list(Attachment.objects.filter(dossier=draft).values_list("original_name", flat=True)) == ["moi.pdf"]
    uploads.attachment_remove(attachment=new, actor=citizen)
    assert not Attachment.objects.filter(dossier=draft).exists()


def test_another_citizen_cannot_upload_to_my_draft(draft, version):
    from tests.factories import UserFactory

    with pytest.raises(ActionNotAllowed):
        uploads.attachment_add(dossier=draft, actor=UserFactory(), component=components(version)[0], upload=pdf())


def test_a_component_of_another_procedure_is_refused(draft, citizen):
    from tests.factories import make_version

    foreign = make_version().components.first()
    with pytest.raises(ActionNotAllowed):
        uploads.attachment_add(dossier=draft, actor=citizen, component=foreign, upload=pdf())


def test_reuse_from_my_documents_marks_the_source(draft, version, citizen, agency):
    first = uploads.attachment_add(dossier=draft, actor=citizen, component=components(version)[0], upload=pdf())
    reused = uploads.attachment_reuse(dossier=draft, actor=citizen, component=components(version)[1], source=first)
    assert reused.reused_from == first and reused.file.name == first.file.name
    # Removing the reused copy from a draft keeps the shared file for the original.
    uploads.attachment_remove(attachment=reused, actor=citizen)
    assert first.file.storage.exists(first.file.name)


def test_reuse_of_someone_elses_document_is_refused(draft, version, citizen, agency):
    from tests.factories import UserFactory

    stranger = UserFactory()
    their_draft = filing.dossier_start(version=version, actor=stranger, agency=agency)
    theirs = uploads.attachment_add(dossier=their_draft, actor=stranger, component=components(version)[0], upload=pdf())
    with pytest.raises(ActionNotAllowed):
        uploads.attachment_reuse(dossier=draft, actor=citizen, component=components(version)[0], source=theirs)
