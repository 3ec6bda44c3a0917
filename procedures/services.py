"""Writes of the catalog. Versions move draft -> published -> retired only through these."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from procedures.constants import VersionStatus
from procedures.exceptions import VersionStateError
from procedures.models import (
    DossierComponent,
    FeeExemption,
    FeeItem,
    FormField,
    FormTemplate,
    Procedure,
    ProcedureVersion,
    ProcessingStep,
)
from procedures.models.parts import quantity_field_problem
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
    "payment_stage",
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
    """A new draft with the content and parts of `version` (and each fee's exemptions), to be edited and
    published. The parts are read afresh: `version` may be a shared, kept instance (version_with_parts)."""
    content = {name: getattr(version, name) for name in VERSION_CONTENT_FIELDS}
    draft = procedure_version_create_draft(procedure=version.procedure, actor=actor, change_note=change_note, **content)
    for model in PART_MODELS.values():
        copies = list(model.objects.filter(version=version))
        sources = [part.pk for part in copies]
        for part in copies:
            part.pk = part.id = None
            part.version = draft
        for part in copies:
            part.full_clean()
        bulk_create_with_history(copies, model)
        if model is FeeItem:
            exemptions = FeeExemption.objects.filter(fee__version=version)
            _copy_exemptions(exemptions, dict(zip(sources, copies, strict=True)))
    return draft


def _copy_exemptions(exemptions, new_fees: dict[int, FeeItem]) -> None:
    """Copies of `exemptions` on the new fees, given {old fee id: new fee}."""
    copies = []
    for exemption in exemptions:
        exemption.pk = exemption.id = None
        exemption.fee = new_fees[exemption.fee_id]
        exemption.full_clean()
        copies.append(exemption)
    bulk_create_with_history(copies, FeeExemption)


def _validate_for_publishing(version: ProcedureVersion) -> None:
    version.full_clean()
    if not version.components.exists():
        raise VersionStateError(_("Cần ít nhất một thành phần hồ sơ trước khi công bố."), field="components")
    kinds = dict(version.fields.values_list("key", "field_type"))
    for fee in version.fees.exclude(quantity_field=""):
        problem = quantity_field_problem(fee.quantity_field, kinds)
        if problem:
            raise VersionStateError(f"{fee.name}: {problem}", field="fees")
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
def procedure_version_replace_parts(*, version: ProcedureVersion, parts: dict, exemptions=None) -> ProcedureVersion:
    """Replace the parts of a draft: `parts` maps a relation name to a list of unsaved part objects.
    `exemptions`, given with parts["fees"], lists each fee's unsaved FeeExemption objects in the same
    order (a fee's old exemptions go with it)."""
    if version.status != VersionStatus.DRAFT:
        raise VersionStateError(_("Phiên bản đã công bố không được sửa: hãy tạo bản nháp mới."), code="not_draft")
    if exemptions is not None and len(exemptions) != len(parts.get("fees", ())):
        raise VersionStateError("exemptions must list one entry per fee in parts['fees']")
    for relation in PART_MODELS:  # fields before fees: a fee's quantity_field names one of them
        if relation not in parts:
            continue
        model, objects = PART_MODELS[relation], parts[relation]
        model.objects.filter(version=version).delete()
        for order, part in enumerate(objects):
            part.version, part.order = version, order
            part.full_clean()
        bulk_create_with_history(objects, model)
    if exemptions is not None:
        _save_exemptions(parts["fees"], exemptions)
    return version


def _save_exemptions(fees: list[FeeItem], exemptions: list[list[FeeExemption]]) -> None:
    rows = []
    for fee, own in zip(fees, exemptions, strict=True):
        for exemption in own:
            exemption.fee = fee
            exemption.full_clean()
            rows.append(exemption)
    bulk_create_with_history(rows, FeeExemption)
