"""Issued documents are kept as issued: a form rendered once when the step that issues it happens, a
result when it is final; stored with their hash, agency, time and issuer, and signed with the
agency's key where it has one (portal/signing.py). A new issue of the same document is a new
version with its reason; the old versions stay retrievable."""

import hashlib
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers import printouts
from dossiers.exceptions import UploadRejected
from dossiers.models import Attachment, IssuedDocument
from dossiers.workflow import DESK_OFFICER, LEADER
from portal import signing

logger = logging.getLogger(__name__)
Signature = IssuedDocument.Signature


def verify_url(document: IssuedDocument) -> str:
    """The public page the document's QR code opens."""
    path = reverse("dossiers:verify_document", kwargs={"public_id": document.public_id})
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def form_issue(*, dossier, number: str, actor, index: int = 1, reason: str = "") -> IssuedDocument:
    """Render form `number` of `dossier` now and keep it (Form 02: `index` is which request),
    sealed with the agency's key: the seal is the agency's, the issuer is on record."""
    content = printouts.render_form(dossier, number, request_index=index)
    document = _new(dossier=dossier, number=number, index=index, actor=actor, reason=reason)
    return _sign_or_stamp(document, content, signer_name=dossier.agency.name)


REISSUERS = {DESK_OFFICER, LEADER}


@transaction.atomic
def form_reissue(*, dossier, number: str, actor, reason: str) -> IssuedDocument:
    """Issue a form again (a wrong name corrected, a lost paper): a new version drawn from the dossier
    as it is now, with the reason; the earlier versions stay as they were. The agency's desk
    officers and leaders may; only a form already issued to the applicant is reissued."""
    from dossiers.exceptions import ActionNotAllowed
    from dossiers.selectors import roles_for
    from portal.exceptions import ApplicationError

    if not REISSUERS & roles_for(dossier=dossier, user=actor):
        raise ActionNotAllowed(_("Chỉ cán bộ một cửa và lãnh đạo cơ quan mới phát hành lại biểu mẫu."))
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("Nêu lý do phát hành lại (ví dụ: sửa sai tên người nộp)."), field="reason")
    latest = (
        IssuedDocument.objects.filter(dossier=dossier, number=number)
        .exclude(number=IssuedDocument.RESULT)
        .order_by("-index", "-version")
        .first()
    )
    if latest is None:
        raise ApplicationError(_("Biểu mẫu này chưa được phát hành cho hồ sơ."), field="number")
    return form_issue(dossier=dossier, number=number, actor=actor, index=latest.index, reason=reason[:500])


def result_issue(*, attachment: Attachment, actor, signer_name: str, reason: str = "") -> IssuedDocument:
    """Keep the final result `attachment` as an issued document. A PDF that already carries signatures
    was signed elsewhere: they must hold (refused otherwise), and it is kept as it is. Another PDF
    is signed now, in `signer_name`'s name (the approving leader), with the agency's key, or kept
    unsigned with its QR code when no one signs (`signer_name` empty: the desk's scan of a paper
    result); an image or a Word file is kept unsigned. The attachment follows the signed file, so the citizen's
    download, document store and reuse get the signed one."""
    dossier = attachment.dossier
    with attachment.file.open("rb") as handle:
        content = handle.read()
    document = _new(dossier=dossier, number=IssuedDocument.RESULT, index=1, actor=actor, reason=reason)
    document.attachment = attachment
    if attachment.extension != "pdf":
        return _store(document, content, attachment.extension, Signature.UNSIGNED)
    verdict = signing.validate_pdf(content)
    if verdict.signed:
        if not verdict.valid:
            raise UploadRejected(
                _("Chữ ký số trên tệp kết quả không hợp lệ: %(problem)s") % {"problem": verdict.problem},
                code="bad_signature",
            )
        document.signer, document.signed_at = verdict.signer, verdict.signed_at
        return _store(document, content, "pdf", Signature.SIGNED)
    if not signer_name:
        return _stamped(document, content, Signature.UNSIGNED)
    return _sign_or_stamp(document, content, signer_name=signer_name)


def _new(*, dossier, number, index, actor, reason) -> IssuedDocument:
    latest = IssuedDocument.objects.filter(dossier=dossier, number=number, index=index).aggregate(v=Max("version"))
    return IssuedDocument(
        dossier=dossier,
        agency_id=dossier.agency_id,
        number=number,
        index=index,
        version=(latest["v"] or 0) + 1,
        reason=reason,
        issued_at=timezone.now(),
        issued_by=actor,
    )


def _store(document: IssuedDocument, content: bytes, extension: str, state: str) -> IssuedDocument:
    document.sha256 = hashlib.sha256(content).hexdigest()
    document.signature = state
    document.file.save(f"{document.number}.{extension}", ContentFile(content), save=False)
    document.save()
    if document.attachment_id:
        _follow(document)
    return document


def _stamped(document: IssuedDocument, content: bytes, state: str) -> IssuedDocument:
    """Kept unsigned (no key, a scan, a failed signature), with the QR code to its verification page."""
    return _store(document, signing.stamp_pdf(content, verify_url=verify_url(document)), "pdf", state)


def _why(document: IssuedDocument) -> str:
    return _("Phê duyệt kết quả") if document.is_result else _("Cấp biểu mẫu")


def _sign_or_stamp(document, content: bytes, *, signer_name: str) -> IssuedDocument:
    """A PDF of ours: signed now, or left for the signing task, or (no key) given its QR code only."""
    code = document.dossier.agency.code
    if not signing.has_key(code):
        return _stamped(document, content, Signature.UNSIGNED)
    document.signer = signer_name
    try:
        if settings.SIGNING_IN_TASK:
            signing.open_pdf(content)  # refused now, not in the task
            _store(document, content, "pdf", Signature.PENDING)
            transaction.on_commit(lambda: _enqueue(document.pk), robust=True)
            return document
        signed = signing.sign_pdf(
            content, code=code, signer_name=signer_name, reason=_why(document), verify_url=verify_url(document)
        )
    except signing.UnreadablePdf as exc:
        raise UploadRejected(_("Không ký số được: %(why)s") % {"why": exc}, code="unreadable_pdf") from exc
    except signing.SigningUnavailable:
        logger.exception("agency %s: could not sign document %s", code, document.public_id)
        return _stamped(document, content, Signature.FAILED)
    document.signed_at = timezone.now()
    return _store(document, signed, "pdf", Signature.SIGNED)


def _enqueue(pk: int) -> None:
    from dossiers.tasks import sign_document

    sign_document.delay(pk)


def documents_pending(*, older_than) -> list[int]:
    """Documents still being signed since before `older_than` (their task was lost): sign them."""
    ids = list(
        IssuedDocument.objects.filter(signature=Signature.PENDING, issued_at__lt=older_than).values_list(
            "pk", flat=True
        )
    )
    for pk in ids:
        _enqueue(pk)
    return ids


def document_sign(*, pk: int) -> IssuedDocument | None:
    """Sign a document left "being signed" (the Celery task): once, under the row's lock."""
    with transaction.atomic():
        document = IssuedDocument.objects.select_for_update().select_related("dossier__agency").get(pk=pk)
        if document.signature != Signature.PENDING:
            return None
        with document.file.open("rb") as handle:
            content = handle.read()
        old = document.file.name
        try:
            signed = signing.sign_pdf(
                content,
                code=document.dossier.agency.code,
                signer_name=document.signer,
                reason=_why(document),
                verify_url=verify_url(document),
            )
        except (signing.SigningUnavailable, signing.UnreadablePdf):
            logger.exception("could not sign document %s", document.public_id)
            IssuedDocument.objects.filter(pk=pk).update(signature=Signature.FAILED)
            return None
        document.signed_at = timezone.now()
        _store(document, signed, old.rsplit(".", 1)[-1], Signature.SIGNED)
        transaction.on_commit(lambda: document.file.storage.delete(old))
    return document


def _follow(document: IssuedDocument) -> None:
    """The result's attachment serves the issued file (signed, or with its QR code); the upload it
    replaces is deleted once nothing else names it."""
    attachment = Attachment.objects.get(pk=document.attachment_id)
    old = attachment.file.name
    if old == document.file.name:
        return
    Attachment.objects.filter(pk=attachment.pk).update(
        file=document.file.name, sha256=document.sha256, size=document.file.size
    )

    def unused():
        storage = document.file.storage
        if not Attachment.objects.filter(file=old).exists() and not IssuedDocument.objects.filter(file=old).exists():
            storage.delete(old)

    transaction.on_commit(unused)
