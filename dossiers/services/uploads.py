"""Attachments: every upload is checked on the server (size per file and per dossier, type sniffed
from the bytes, never trusting the name), stored under a random name, and refused without touching
the draft's other files."""

import hashlib

import filetype
from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers.constants import Status
from dossiers.exceptions import ActionNotAllowed, UploadRejected
from dossiers.models import Attachment, Dossier
from dossiers.services.transitions import lock

SNIFF_BYTES = 8192
ALIASES = {"jpeg": "jpg"}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _accepted(component) -> set[str]:
    return {ALIASES.get(t, t) for t in component.accepted_types}


def _editable_for_component(dossier: Dossier, actor, component) -> Dossier:
    """Drafts take any component; a dossier waiting for a supplement takes only the requested ones."""
    current = lock(dossier)
    if actor.pk not in (current.filer_id, current.applicant_id):
        raise ActionNotAllowed(_("Bạn không có quyền sửa hồ sơ này."), code="forbidden")
    if component.version_id != current.version_id:
        raise ActionNotAllowed(_("Giấy tờ không thuộc thủ tục của hồ sơ này."), code="tampered")
    if current.status == Status.DRAFT and current.filer_id == actor.pk:
        return current
    if current.status == Status.SUPPLEMENT_REQUESTED:
        from dossiers.selectors import open_supplement

        request = open_supplement(current)
        if request and component.id in request.component_ids():
            return current
    raise ActionNotAllowed(_("Không thể thay đổi giấy tờ của hồ sơ ở trạng thái này."), code="not_editable")


def sniff(head: bytes) -> str | None:
    kind = filetype.guess(head)
    return ALIASES.get(kind.extension, kind.extension) if kind else None


def _check_total(dossier: Dossier, extra: int) -> None:
    used = dossier.attachments.filter(is_current=True).aggregate(total=Sum("size"))["total"] or 0
    limit = settings.DOSSIER_MAX_TOTAL_MB * 1024 * 1024
    if used + extra > limit:
        raise UploadRejected(
            _(
                "Tổng dung lượng giấy tờ của hồ sơ vượt quá %(mb)s MB. Hãy giảm dung lượng tệp "
                "(ví dụ quét ở độ phân giải thấp hơn)."
            )
            % {"mb": settings.DOSSIER_MAX_TOTAL_MB},
            code="total_too_large",
        )


def _check_count(dossier: Dossier, component) -> None:
    limit = settings.DOSSIER_MAX_FILES_PER_COMPONENT
    if dossier.attachments.filter(component=component, is_current=True).count() >= limit:
        raise UploadRejected(
            _("Thành phần “%(name)s” nhận tối đa %(n)s tệp. Hãy xóa bớt tệp hoặc gộp các trang vào một tệp PDF.")
            % {"name": component.name, "n": limit},
            code="too_many_files",
        )


def _check_clean(upload) -> None:
    """The configured malware scanner (portal.scanning) sees every file before it is stored."""
    from portal.scanning import ScannerUnavailable, scanner

    try:
        found = scanner().scan(upload)
    except ScannerUnavailable:
        raise UploadRejected(
            _("Chưa kiểm tra được tệp “%(name)s” để phát hiện mã độc. Vui lòng thử lại sau ít phút.")
            % {"name": upload.name},
            code="scanner_unavailable",
        ) from None
    if found:
        raise UploadRejected(
            _("Tệp “%(name)s” chứa mã độc (%(what)s) nên không được nhận. Hãy kiểm tra máy tính và quét lại giấy tờ.")
            % {"name": upload.name, "what": found},
            code="infected",
        )


@transaction.atomic
def attachment_add(
    *, dossier: Dossier, actor, component, upload, replace: Attachment | None = None, digitised: bool = False
) -> Attachment:
    """A file for a component; `digitised` when the desk officer scanned the citizen's paper at intake."""
    dossier = _editable_for_component(dossier, actor, component)
    limit = component.max_size_mb * 1024 * 1024
    if upload.size == 0:
        raise UploadRejected(_("Tệp “%(name)s” rỗng.") % {"name": upload.name}, code="empty")
    if upload.size > limit:
        raise UploadRejected(
            _("Tệp “%(name)s” lớn hơn %(mb)s MB cho phép.") % {"name": upload.name, "mb": component.max_size_mb},
            code="too_large",
        )
    upload.seek(0)
    kind = sniff(upload.read(SNIFF_BYTES))
    upload.seek(0)
    if kind is None or kind not in _accepted(component):
        raise UploadRejected(
            _("Tệp “%(name)s” không phải là %(types)s (nội dung tệp được kiểm tra, không dựa vào tên tệp).")
            % {"name": upload.name, "types": ", ".join(sorted(_accepted(component))).upper()},
            code="bad_type",
        )
    freed = replace.size if replace and replace.dossier_id == dossier.pk and replace.is_current else 0
    _check_total(dossier, upload.size - freed)
    if not freed:
        _check_count(dossier, component)
    _check_clean(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    if replace is not None:
        attachment_remove(attachment=replace, actor=actor)
    attachment = Attachment(
        dossier=dossier,
        component=component,
        original_name=upload.name[:255],
        size=upload.size,
        sha256=digest.hexdigest(),
        content_type=CONTENT_TYPES[kind],
        extension=kind,
        uploaded_by=actor,
        is_digitised=digitised,
        created_at=timezone.now(),
    )
    attachment.file.save(upload.name, upload, save=False)
    attachment.save()
    _touch(dossier)
    return attachment


@transaction.atomic
def attachment_reuse(*, dossier: Dossier, actor, component, source: Attachment) -> Attachment:
    """Use a file from the citizen's document store (an earlier upload or a result) for a component."""
    from dossiers.selectors import documents_of_user

    dossier = _editable_for_component(dossier, actor, component)
    if source.pk not in {d.pk for d in documents_of_user(user=actor)}:
        raise ActionNotAllowed(_("Không tìm thấy giấy tờ này trong kho giấy tờ của bạn."), code="not_yours")
    if source.extension not in _accepted(component):
        raise UploadRejected(
            _("Giấy tờ đã chọn là %(kind)s, thành phần này chỉ nhận %(types)s.")
            % {"kind": source.extension.upper(), "types": ", ".join(sorted(_accepted(component))).upper()},
            code="bad_type",
        )
    if source.size > component.max_size_mb * 1024 * 1024:
        raise UploadRejected(
            _("Giấy tờ đã chọn lớn hơn %(mb)s MB cho phép.") % {"mb": component.max_size_mb}, code="too_large"
        )
    _check_total(dossier, source.size)
    _check_count(dossier, component)
    attachment = Attachment.objects.create(
        dossier=dossier,
        component=component,
        file=source.file.name,
        original_name=source.original_name,
        size=source.size,
        sha256=source.sha256,
        content_type=source.content_type,
        extension=source.extension,
        uploaded_by=actor,
        reused_from=source,
        created_at=timezone.now(),
    )
    _touch(dossier)
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: Attachment, actor) -> None:
    """A draft's file is deleted; a filed dossier's file is only superseded (it stays in the history)."""
    attachment = Attachment.objects.select_related("component").get(pk=attachment.pk)
    dossier = _editable_for_component(attachment.dossier, actor, attachment.component)
    if dossier.status == Status.DRAFT:
        name = attachment.file.name
        attachment.delete()
        if not Attachment.objects.filter(file=name).exists():
            transaction.on_commit(lambda: attachment.file.storage.delete(name))
    else:
        attachment.is_current, attachment.superseded_at = False, timezone.now()
        attachment.save(update_fields=["is_current", "superseded_at"])
    _touch(dossier)


def _touch(dossier: Dossier) -> None:
    """A draft's files changed: it is fresh again (expiry) and resumes at the documents step."""
    if dossier.status == Status.DRAFT:
        Dossier.objects.filter(pk=dossier.pk).update(updated_at=timezone.now(), last_step="documents")


RESULT_TYPES = {"pdf", "docx", "doc", "jpg", "png"}
RESULT_MAX_MB = 20


@transaction.atomic
def attachment_add_result(*, dossier: Dossier, actor, upload, final: bool) -> Attachment:
    """A result document: the specialist's draft (staff only) or the final result the citizen
    receives (`final`). It replaces the current one of its kind. Callers check the actor's role."""
    if upload.size == 0 or upload.size > RESULT_MAX_MB * 1024 * 1024:
        raise UploadRejected(
            _("Tệp kết quả phải khác rỗng và không quá %(mb)s MB.") % {"mb": RESULT_MAX_MB}, code="too_large"
        )
    upload.seek(0)
    kind = sniff(upload.read(SNIFF_BYTES))
    upload.seek(0)
    if kind not in RESULT_TYPES:
        raise UploadRejected(_("Tệp kết quả phải là PDF, DOC, DOCX, JPG hoặc PNG."), code="bad_type")
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    Attachment.objects.filter(dossier=dossier, is_result=final, is_result_draft=not final, is_current=True).update(
        is_current=False, superseded_at=timezone.now()
    )
    attachment = Attachment(
        dossier=dossier,
        component=None,
        original_name=upload.name[:255],
        size=upload.size,
        sha256=digest.hexdigest(),
        content_type=CONTENT_TYPES[kind],
        extension=kind,
        uploaded_by=actor,
        is_result=final,
        is_result_draft=not final,
        created_at=timezone.now(),
    )
    attachment.file.save(upload.name, upload, save=False)
    attachment.save()
    return attachment
