"""Writes of the catalog. Versions move draft -> published -> retired only through these."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from procedures.constants import VersionStatus
from procedures.exceptions import VersionStateError
from procedures.models import (
    DossierComponent,
    FeeItem,
    FormField,
    FormTemplate,
    Procedure,
    ProcedureVersion,
    ProcessingStep,
)
from procedures.text import normalize_search

PART_MODELS = {
    "components": DossierComponent,
    "fields": FormField,
    "processing_steps": ProcessingStep,
    "fees": FeeItem,
    "templates": FormTemplate,
}
VERSION_CONTENT_FIELDS = [
    "description",
    "applicants",
    "steps",
    "accepts_in_person",
    "accepts_post",
    "accepts_online",
    "conditions",
    "result",
    "result_document",
    "legal_basis",
    "processing_time_value",
    "processing_time_unit",
    "online_level",
    "partial_reason",
]


def _lock_procedure(procedure_id) -> Procedure:
    return Procedure.objects.select_for_update().get(pk=procedure_id)


def _next_number(procedure: Procedure) -> int:
    last = procedure.versions.order_by("-number").values_list("number", flat=True).first()
    return (last or 0) + 1


def procedure_refresh_search(*, procedure: Procedure) -> Procedure:
    """Rebuild the normalised search columns from the code, name, sector and published description."""
    published = procedure.versions.published().values_list("description", flat=True).first() or ""
    procedure.search_name = normalize_search(procedure.name)
    procedure.search_text = normalize_search(
        " ".join([procedure.code, procedure.name, procedure.sector.name, published])
    )
    Procedure.objects.filter(pk=procedure.pk).update(
        search_name=procedure.search_name, search_text=procedure.search_text
    )
    return procedure


@transaction.atomic
def procedure_save(*, procedure: Procedure, agencies=None) -> Procedure:
    """Create or update a procedure's identity (code, name, sector, level, agencies)."""
    procedure.full_clean()
    procedure.save()
    if agencies is not None:
        procedure.agencies.set(agencies)
    return procedure_refresh_search(procedure=procedure)


@transaction.atomic
def procedure_version_create_draft(*, procedure: Procedure, actor=None, **content) -> ProcedureVersion:
    procedure = _lock_procedure(procedure.pk)
    if procedure.versions.filter(status=VersionStatus.DRAFT).exists():
        raise VersionStateError(_("Thủ tục này đã có một bản nháp: hãy sửa bản nháp đó."), code="draft_exists")
    version = ProcedureVersion(
        procedure=procedure, number=_next_number(procedure), status=VersionStatus.DRAFT, created_by=actor, **content
    )
    version.full_clean()
    version.save()
    return version


@transaction.atomic
def procedure_version_clone(*, version: ProcedureVersion, actor=None, change_note: str = "") -> ProcedureVersion:
    """A new draft with the content and parts of `version`, to be edited and published."""
    content = {name: getattr(version, name) for name in VERSION_CONTENT_FIELDS}
    draft = procedure_version_create_draft(procedure=version.procedure, actor=actor, change_note=change_note, **content)
    for relation, model in PART_MODELS.items():
        copies = []
        for part in getattr(version, relation).all():
            part.pk = part.id = None
            part.version = draft
            copies.append(part)
        for part in copies:
            part.full_clean()
        bulk_create_with_history(copies, model)
    return draft


def _validate_for_publishing(version: ProcedureVersion) -> None:
    version.full_clean()
    if not version.components.exists():
        raise VersionStateError(_("Cần ít nhất một thành phần hồ sơ trước khi công bố."), field="components")
    shares = [s.share for s in version.processing_steps.all()]
    if shares and sum(shares) != 100:
        raise VersionStateError(
            _("Tổng tỷ lệ thời gian các bước xử lý phải bằng 100%% (hiện là %(total)s%%).") % {"total": sum(shares)},
            field="processing_steps",
        )


@transaction.atomic
def procedure_version_publish(*, version: ProcedureVersion, actor=None) -> ProcedureVersion:
    """Publish a draft; the previously published version is retired in the same transaction."""
    procedure = _lock_procedure(version.procedure_id)
    version = ProcedureVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != VersionStatus.DRAFT:
        raise VersionStateError(
            _("Chỉ công bố được bản nháp (phiên bản này đang ở trạng thái “%(s)s”).")
            % {"s": version.get_status_display()},
            code="not_draft",
        )
    _validate_for_publishing(version)
    now = timezone.now()
    for current in procedure.versions.select_for_update().filter(status=VersionStatus.PUBLISHED):
        current.status, current.retired_at = VersionStatus.RETIRED, now
        current.save(update_fields=["status", "retired_at"])
    version.status, version.published_at = VersionStatus.PUBLISHED, now
    version.save(update_fields=["status", "published_at"])
    procedure_refresh_search(procedure=procedure)
    return version


@transaction.atomic
def procedure_version_retire(*, version: ProcedureVersion, actor=None) -> ProcedureVersion:
    """Withdraw a published version without a successor: the procedure leaves the public catalog."""
    procedure = _lock_procedure(version.procedure_id)
    version = ProcedureVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != VersionStatus.PUBLISHED:
        raise VersionStateError(_("Chỉ ngừng áp dụng được phiên bản đang áp dụng."), code="not_published")
    version.status, version.retired_at = VersionStatus.RETIRED, timezone.now()
    version.save(update_fields=["status", "retired_at"])
    procedure_refresh_search(procedure=procedure)
    return version


@transaction.atomic
def procedure_version_update_draft(*, version: ProcedureVersion, **content) -> ProcedureVersion:
    version = ProcedureVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != VersionStatus.DRAFT:
        raise VersionStateError(_("Phiên bản đã công bố không được sửa: hãy tạo bản nháp mới."), code="not_draft")
    for name, value in content.items():
        if name not in VERSION_CONTENT_FIELDS + ["change_note"]:
            raise VersionStateError(f"unknown field {name}")
        setattr(version, name, value)
    version.full_clean()
    version.save()
    return version


@transaction.atomic
def procedure_version_replace_parts(*, version: ProcedureVersion, parts: dict) -> ProcedureVersion:
    """Replace the parts of a draft: `parts` maps a relation name to a list of unsaved part objects."""
    if version.status != VersionStatus.DRAFT:
        raise VersionStateError(_("Phiên bản đã công bố không được sửa: hãy tạo bản nháp mới."), code="not_draft")
    for relation, objects in parts.items():
        model = PART_MODELS[relation]
        model.objects.filter(version=version).delete()
        for order, part in enumerate(objects):
            part.version, part.order = version, order
            part.full_clean()
        bulk_create_with_history(objects, model)
    return version
