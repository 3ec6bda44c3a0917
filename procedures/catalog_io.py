"""Import and export of the catalog in the JSON format of docs/catalog-format.md.

Import validates the whole file first and changes nothing when any entry is wrong, listing every
problem with its procedure code and field. It is idempotent: an entry whose content equals the
current version of its status changes nothing."""

import base64
import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.files.base import ContentFile
from django.db import transaction

from procedures.constants import (
    CHOICE_TYPES,
    FILE_TYPES,
    FieldType,
    Level,
    Method,
    OnlineLevel,
    PaymentStage,
    StepRole,
    TimeUnit,
)
from procedures.constants import VersionStatus as S
from procedures.models import (
    DossierComponent,
    FeeExemption,
    FeeItem,
    FormField,
    FormTemplate,
    Procedure,
    ProcedureVersion,
    ProcessingStep,
    Sector,
)
from procedures.services import (
    procedure_refresh_search,
    procedure_version_create_draft,
    procedure_version_publish,
    procedure_version_replace_parts,
    procedure_version_update_draft,
)

FORMAT, FORMAT_VERSION = "portal-catalog", 1
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
TEXT_KEYS = ["description", "applicants", "steps", "conditions", "result", "legal_basis"]
REQUIRED_KEYS = [
    "code",
    "name",
    "sector",
    "level",
    "agencies",
    "status",
    *TEXT_KEYS,
    "methods",
    "processing_time",
    "online_level",
    "partial_reason",
    "fees",
    "components",
    "form_fields",
    "processing_steps",
]


class CatalogError(Exception):
    def __init__(self, problems):
        super().__init__(f"{len(problems)} problem(s) in the catalog file")
        self.problems = problems


@dataclass
class ImportStats:
    created: list = field(default_factory=list)
    changed: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    sectors: int = 0


def _number(value):
    """JSON-friendly number: int when whole."""
    if value is None:
        return None
    value = Decimal(str(value))
    return int(value) if value == value.to_integral_value() else float(value)


# --- canonical content ------------------------------------------------------------------------


def version_content(version: ProcedureVersion) -> dict:
    """The content of a version in the file format (everything but identity and status)."""
    return {
        **{key: getattr(version, key) for key in TEXT_KEYS},
        "result_document": version.result_document,
        "methods": version.methods,
        "processing_time": {"value": _number(version.processing_time_value), "unit": version.processing_time_unit},
        "online_level": version.online_level,
        "partial_reason": version.partial_reason,
        "payment_stage": version.payment_stage,
        "fees": [
            {
                "name": f.name,
                "amount": f.amount,
                "quantity_field": f.quantity_field,
                "note": f.note,
                "exemptions": [
                    {"category": e.category, "percent": e.percent, "reason": e.reason} for e in f.exemptions.all()
                ],
            }
            for f in version.fees.all()
        ],
        "components": [
            {
                "name": c.name,
                "originals": c.originals,
                "certified_copies": c.certified_copies,
                "photocopies": c.photocopies,
                "required": c.required,
                "replaced_by_eform": c.replaced_by_eform,
                "accepted_types": list(c.accepted_types),
                "max_size_mb": c.max_size_mb,
                "note": c.note,
            }
            for c in version.components.all()
        ],
        "form_fields": [
            {
                "key": f.key,
                "label": {"vi": f.label_vi, "en": f.label_en},
                "type": f.field_type,
                "required": f.required,
                "help": {"vi": f.help_vi, "en": f.help_en},
                "choices": list(f.choices or []),
                "min": _number(f.min_value),
                "max": _number(f.max_value),
                "pattern": f.pattern,
                "section": {"vi": f.section_vi, "en": f.section_en},
            }
            for f in version.fields.all()
        ],
        "processing_steps": [
            {"name": s.name, "role": s.role, "share": s.share} for s in version.processing_steps.all()
        ],
        "templates": [_template_dict(t) for t in version.templates.all()],
    }


def _template_dict(template: FormTemplate) -> dict:
    with template.file.open("rb") as handle:
        content = handle.read()
    return {
        "name": template.name,
        "filename": template.download_name,
        "content_base64": base64.b64encode(content).decode(),
    }


def entry_content(entry: dict) -> dict:
    """An entry of the file reduced to the same shape and types as version_content()."""
    pair = lambda d: {"vi": (d or {}).get("vi", ""), "en": (d or {}).get("en", "")}  # noqa: E731
    return {
        **{key: entry[key] for key in TEXT_KEYS},
        "result_document": entry.get("result_document", True),
        "methods": [m for m in Method.values if m in entry["methods"]],
        "processing_time": {
            "value": _number(entry["processing_time"]["value"]),
            "unit": entry["processing_time"]["unit"],
        },
        "online_level": entry["online_level"],
        "partial_reason": entry["partial_reason"],
        "payment_stage": entry.get("payment_stage", PaymentStage.AFTER_APPRAISAL),
        "fees": [
            {
                "name": f["name"],
                "amount": int(f["amount"]),
                "quantity_field": f.get("quantity_field", ""),
                "note": f.get("note", ""),
                "exemptions": [
                    {"category": e["category"], "percent": e["percent"], "reason": e["reason"]}
                    for e in f.get("exemptions", [])
                ],
            }
            for f in entry["fees"]
        ],
        "components": [
            {
                "name": c["name"],
                "originals": c["originals"],
                "certified_copies": c["certified_copies"],
                "photocopies": c["photocopies"],
                "required": c["required"],
                "replaced_by_eform": c.get("replaced_by_eform", False),
                "accepted_types": list(c["accepted_types"]),
                "max_size_mb": c["max_size_mb"],
                "note": c.get("note", ""),
            }
            for c in entry["components"]
        ],
        "form_fields": [
            {
                "key": f["key"],
                "label": pair(f["label"]),
                "type": f["type"],
                "required": f["required"],
                "help": pair(f.get("help")),
                "choices": [{"value": c["value"], "label": pair(c["label"])} for c in f.get("choices") or []],
                "min": _number(f.get("min")),
                "max": _number(f.get("max")),
                "pattern": f.get("pattern") or "",
                "section": pair(f.get("section")),
            }
            for f in entry["form_fields"]
        ],
        "processing_steps": [
            {"name": s["name"], "role": s["role"], "share": s["share"]} for s in entry["processing_steps"]
        ],
        "templates": [
            {"name": t["name"], "filename": t["filename"], "content_base64": t["content_base64"]}
            for t in entry.get("templates") or []
        ],
    }


# --- validation ---------------------------------------------------------------------------------


def validate_catalog(data) -> list[str]:
    """Every problem of the file, as "<procedure code>: <field>: <message>"."""
    from portal.models import Agency

    problems = []
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("version") != FORMAT_VERSION:
        return [f'file: format: expected {{"format": "{FORMAT}", "version": {FORMAT_VERSION}, ...}}']
    sectors = data.get("sectors", [])
    procedures = data.get("procedures")
    if not isinstance(sectors, list) or not isinstance(procedures, list):
        return ["file: sectors and procedures must be lists"]
    sector_codes = set(Sector.objects.values_list("code", flat=True))
    for i, sector in enumerate(sectors):
        if (
            not isinstance(sector, dict)
            or not str(sector.get("code", "")).strip()
            or not str(sector.get("name", "")).strip()
        ):
            problems.append(f"sectors[{i}]: code and name are required")
        else:
            sector_codes.add(sector["code"])
    agency_codes = set(Agency.objects.values_list("code", flat=True))
    seen = set()
    for i, entry in enumerate(procedures):
        code = entry.get("code") if isinstance(entry, dict) else None
        label = code or f"procedures[{i}]"
        if not isinstance(entry, dict):
            problems.append(f"{label}: entry must be an object")
            continue
        if code in seen:
            problems.append(f"{label}: code: appears more than once in the file")
        seen.add(code)
        problems.extend(f"{label}: {p}" for p in _entry_problems(entry, sector_codes, agency_codes))
    return problems


def _entry_problems(entry, sector_codes, agency_codes):  # noqa: C901 — one flat list of rules reads best
    out = []
    missing = [k for k in REQUIRED_KEYS if k not in entry]
    if missing:
        return [f"{k}: missing" for k in missing]
    for key in ("code", "name"):
        if not isinstance(entry[key], str) or not entry[key].strip():
            out.append(f"{key}: must be a non-empty text")
    for key in TEXT_KEYS + ["partial_reason"]:
        if not isinstance(entry[key], str):
            out.append(f"{key}: must be text")
    if not isinstance(entry.get("result_document", True), bool):
        out.append("result_document: must be true or false")
    if entry["sector"] not in sector_codes:
        out.append(f"sector: unknown sector '{entry['sector']}'")
    if entry["level"] not in Level.values:
        out.append(f"level: must be one of {', '.join(Level.values)}")
    if entry["status"] not in (S.PUBLISHED, S.DRAFT):
        out.append("status: must be 'published' or 'draft'")
    if not isinstance(entry["agencies"], list) or not entry["agencies"]:
        out.append("agencies: must be a non-empty list of agency codes")
    else:
        unknown = [a for a in entry["agencies"] if a not in agency_codes]
        if unknown:
            out.append(f"agencies: unknown agency code(s) {', '.join(map(str, unknown))}")
    methods = entry["methods"]
    if not isinstance(methods, list) or not methods or any(m not in Method.values for m in methods):
        out.append(f"methods: a non-empty list from {', '.join(Method.values)}")
    out.extend(_time_problems(entry["processing_time"]))
    if entry["online_level"] not in OnlineLevel.values:
        out.append("online_level: must be 'full' or 'partial'")
    elif entry["online_level"] == OnlineLevel.PARTIAL and not str(entry["partial_reason"]).strip():
        out.append("partial_reason: required when online_level is 'partial'")
    if entry.get("payment_stage", PaymentStage.AFTER_APPRAISAL) not in PaymentStage.values:
        out.append(f"payment_stage: must be one of {', '.join(PaymentStage.values)}")
    out.extend(_list_problems("fees", entry["fees"], _fee_problems))
    out.extend(_quantity_field_problems(entry["fees"], entry["form_fields"]))
    if isinstance(entry["components"], list) and not entry["components"]:
        out.append("components: at least one component is required")
    out.extend(_list_problems("components", entry["components"], _component_problems))
    out.extend(_list_problems("form_fields", entry["form_fields"], _field_problems))
    keys = (
        [f.get("key") for f in entry["form_fields"] if isinstance(f, dict)]
        if isinstance(entry["form_fields"], list)
        else []
    )
    if len(keys) != len(set(keys)):
        out.append("form_fields: keys must be unique")
    out.extend(_list_problems("processing_steps", entry["processing_steps"], _step_problems))
    if isinstance(entry["processing_steps"], list) and entry["processing_steps"]:
        shares = [s.get("share") for s in entry["processing_steps"] if isinstance(s, dict)]
        if all(isinstance(x, int) for x in shares) and sum(shares) != 100:
            out.append(f"processing_steps: shares must add up to 100 (they add up to {sum(shares)})")
    out.extend(_list_problems("templates", entry.get("templates", []), _template_problems))
    return out


def _list_problems(name, items, check):
    if not isinstance(items, list):
        return [f"{name}: must be a list"]
    return [
        f"{name}[{i}].{p}"
        for i, item in enumerate(items)
        for p in (check(item) if isinstance(item, dict) else ["(entry): must be an object"])
    ]


def _is_count(value):
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _time_problems(time):
    if not isinstance(time, dict):
        return ["processing_time: must be an object with value and unit"]
    out = []
    value = time.get("value")
    if isinstance(value, bool) or not isinstance(value, int | float):
        out.append("processing_time.value: must be a number")
    elif value < 0:
        out.append("processing_time.value: must not be negative")
    if time.get("unit") not in TimeUnit.values:
        out.append(f"processing_time.unit: must be one of {', '.join(TimeUnit.values)}")
    elif time["unit"] == TimeUnit.SAME_DAY and value not in (0, None):
        out.append("processing_time.value: must be 0 for same_day")
    return out


def _fee_problems(fee):
    out = []
    if not str(fee.get("name", "")).strip():
        out.append("name: missing")
    if not _is_count(fee.get("amount")):
        out.append("amount: must be a whole number of VND, not negative")
    if not isinstance(fee.get("quantity_field", ""), str):
        out.append('quantity_field: must be a form field key or ""')
    out.extend(_list_problems("exemptions", fee.get("exemptions", []), _exemption_problems))
    return out


def _exemption_problems(e):
    out = []
    for key, longest in (("category", 255), ("reason", 500)):
        if not isinstance(e.get(key), str) or not e[key].strip() or len(e[key]) > longest:
            out.append(f"{key}: must be a non-empty text of at most {longest} characters")
    if not _is_count(e.get("percent")) or not 1 <= e["percent"] <= 100:
        out.append("percent: a whole percentage from 1 to 100")
    return out


def _quantity_field_problems(fees, form_fields):
    """A fee charged per unit names a number field of the same procedure."""
    if not isinstance(fees, list) or not isinstance(form_fields, list):
        return []
    kinds = {f.get("key"): f.get("type") for f in form_fields if isinstance(f, dict)}
    out = []
    for i, fee in enumerate(fees):
        key = fee.get("quantity_field") if isinstance(fee, dict) else None
        if not key or not isinstance(key, str):
            continue
        if key not in kinds:
            out.append(f"fees[{i}].quantity_field: no form field has the key '{key}'")
        elif kinds[key] != FieldType.NUMBER:
            out.append(f"fees[{i}].quantity_field: '{key}' is a {kinds[key]} field, not a number field")
    return out


def _component_problems(c):
    out = []
    if not str(c.get("name", "")).strip():
        out.append("name: missing")
    for key in ("originals", "certified_copies", "photocopies"):
        if not _is_count(c.get(key)):
            out.append(f"{key}: must be a whole number, not negative")
    if not isinstance(c.get("required"), bool):
        out.append("required: must be true or false")
    if not isinstance(c.get("replaced_by_eform", False), bool):
        out.append("replaced_by_eform: must be true or false")
    types = c.get("accepted_types")
    if not isinstance(types, list) or not types or any(t not in FILE_TYPES for t in types):
        out.append(f"accepted_types: a non-empty list from {', '.join(FILE_TYPES)}")
    size = c.get("max_size_mb")
    if not _is_count(size) or not 1 <= size <= 50:
        out.append("max_size_mb: must be a whole number from 1 to 50")
    return out


def _field_problems(f):
    out = []
    if not isinstance(f.get("key"), str) or not KEY_PATTERN.match(f["key"]):
        out.append("key: lower-case letters, digits and _ (starting with a letter)")
    if not isinstance(f.get("label"), dict) or not str(f["label"].get("vi", "")).strip():
        out.append("label.vi: missing")
    kind = f.get("type")
    if kind not in FieldType.values:
        out.append(f"type: unknown field type '{kind}'")
    if not isinstance(f.get("required"), bool):
        out.append("required: must be true or false")
    choices = f.get("choices") or []
    if kind in CHOICE_TYPES:
        if (
            not isinstance(choices, list)
            or not choices
            or not all(
                isinstance(c, dict) and c.get("value") and isinstance(c.get("label"), dict) and c["label"].get("vi")
                for c in choices
            )
        ):
            out.append("choices: needs at least one {value, label: {vi, en}}")
    elif choices:
        out.append("choices: only single_choice and multiple_choice fields have choices")
    for bound in ("min", "max"):
        value = f.get(bound)
        if value is not None:
            try:
                Decimal(str(value))
            except InvalidOperation:
                out.append(f"{bound}: must be a number or null")
    if f.get("pattern"):
        try:
            re.compile(f["pattern"])
        except (re.error, TypeError):
            out.append("pattern: not a valid regular expression")
    return out


def _step_problems(s):
    out = []
    if not str(s.get("name", "")).strip():
        out.append("name: missing")
    if s.get("role") not in StepRole.values:
        out.append(f"role: must be one of {', '.join(StepRole.values)}")
    if not _is_count(s.get("share")) or s["share"] > 100:
        out.append("share: a whole percentage from 0 to 100")
    return out


def _template_problems(t):
    out = []
    if not str(t.get("name", "")).strip() or not str(t.get("filename", "")).strip():
        out.append("name/filename: missing")
    try:
        base64.b64decode(t.get("content_base64", ""), validate=True)
    except (ValueError, TypeError):
        out.append("content_base64: not valid base64")
    return out


# --- import -------------------------------------------------------------------------------------


def _parts_from_content(content: dict) -> dict:
    def dec(v):
        return None if v is None else Decimal(str(v))

    templates = []
    for t in content["templates"]:
        raw = base64.b64decode(t["content_base64"])
        digest = hashlib.sha256(raw).hexdigest()[:12]
        template = FormTemplate(name=t["name"], filename=t["filename"])
        template.file.save(f"{digest}__{t['filename']}", ContentFile(raw), save=False)
        templates.append(template)
    return {
        "fees": [
            FeeItem(name=f["name"], amount=f["amount"], quantity_field=f["quantity_field"], note=f["note"])
            for f in content["fees"]
        ],
        "components": [DossierComponent(**c) for c in content["components"]],
        "fields": [
            FormField(
                key=f["key"],
                label_vi=f["label"]["vi"],
                label_en=f["label"]["en"],
                field_type=f["type"],
                required=f["required"],
                help_vi=f["help"]["vi"],
                help_en=f["help"]["en"],
                choices=f["choices"],
                min_value=dec(f["min"]),
                max_value=dec(f["max"]),
                pattern=f["pattern"],
                section_vi=f["section"]["vi"],
                section_en=f["section"]["en"],
            )
            for f in content["form_fields"]
        ],
        "processing_steps": [ProcessingStep(**s) for s in content["processing_steps"]],
        "templates": templates,
    }


def _version_fields(content: dict) -> dict:
    return {
        **{key: content[key] for key in TEXT_KEYS},
        "result_document": content["result_document"],
        "accepts_in_person": Method.IN_PERSON in content["methods"],
        "accepts_post": Method.POST in content["methods"],
        "accepts_online": Method.ONLINE in content["methods"],
        "processing_time_value": Decimal(str(content["processing_time"]["value"])),
        "processing_time_unit": content["processing_time"]["unit"],
        "online_level": content["online_level"],
        "partial_reason": content["partial_reason"],
        "payment_stage": content["payment_stage"],
    }


def _exemptions_from_content(content: dict) -> list[list[FeeExemption]]:
    return [[FeeExemption(**e) for e in fee["exemptions"]] for fee in content["fees"]]


def _current(procedure: Procedure, status: str):
    return (
        procedure.versions.filter(status=status)
        .prefetch_related("fees", "fees__exemptions", "components", "fields", "processing_steps", "templates")
        .first()
    )


@transaction.atomic
def import_catalog(data, *, actor=None) -> ImportStats:
    from portal.models import Agency

    problems = validate_catalog(data)
    if problems:
        raise CatalogError(problems)
    stats = ImportStats()
    sectors = {s.code: s for s in Sector.objects.all()}
    for item in data.get("sectors", []):
        sector = sectors.get(item["code"])
        if sector is None or sector.name != item["name"]:
            sector, _ = Sector.objects.update_or_create(code=item["code"], defaults={"name": item["name"]})
            sectors[sector.code] = sector
            stats.sectors += 1
    agencies = {a.code: a for a in Agency.objects.all()}
    for entry in data["procedures"]:
        _import_entry(entry, sectors, agencies, stats, actor)
    return stats


def _import_entry(entry, sectors, agencies, stats, actor):
    procedure = Procedure.objects.filter(code=entry["code"]).first()
    is_new = procedure is None
    identity_changed = False
    if is_new:
        procedure = Procedure(code=entry["code"])
    for attr, value in (("name", entry["name"]), ("sector", sectors[entry["sector"]]), ("level", entry["level"])):
        if getattr(procedure, attr, None) != value:
            setattr(procedure, attr, value)
            identity_changed = True
    if identity_changed:
        procedure.full_clean()
        procedure.save()
    wanted_agencies = {agencies[c].pk for c in entry["agencies"]}
    if set(procedure.agencies.values_list("pk", flat=True)) != wanted_agencies:
        procedure.agencies.set(wanted_agencies)
        identity_changed = True

    content = entry_content(entry)
    current = _current(procedure, entry["status"])
    if "templates" not in entry:
        # Left out: keep what the procedure has (the published version's, or the draft's).
        keeper = current or _current(procedure, S.PUBLISHED)
        content["templates"] = version_content(keeper)["templates"] if keeper else []
    if current is not None and version_content(current) == content:
        if identity_changed:
            procedure_refresh_search(procedure=procedure)
            stats.changed.append(procedure.code)
        else:
            stats.unchanged.append(procedure.code)
        return
    draft = _current(procedure, S.DRAFT)
    if draft is None:
        draft = procedure_version_create_draft(
            procedure=procedure, actor=actor, change_note="import", **_version_fields(content)
        )
    else:
        procedure_version_update_draft(version=draft, change_note="import", **_version_fields(content))
    procedure_version_replace_parts(
        version=draft, parts=_parts_from_content(content), exemptions=_exemptions_from_content(content)
    )
    if entry["status"] == S.PUBLISHED:
        procedure_version_publish(version=draft, actor=actor)
    else:
        procedure_refresh_search(procedure=procedure)
    (stats.created if is_new else stats.changed).append(procedure.code)


# --- export -------------------------------------------------------------------------------------


def export_catalog() -> dict:
    """The published version of every procedure, in the import format."""
    versions = (
        ProcedureVersion.objects.published()
        .select_related("procedure", "procedure__sector")
        .prefetch_related(
            "fees", "fees__exemptions", "components", "fields", "processing_steps", "templates", "procedure__agencies"
        )
        .order_by("procedure__code")
    )
    procedures, sector_codes = [], set()
    for version in versions:
        procedure = version.procedure
        sector_codes.add(procedure.sector.code)
        procedures.append(
            {
                "code": procedure.code,
                "name": procedure.name,
                "sector": procedure.sector.code,
                "level": procedure.level,
                "agencies": sorted(a.code for a in procedure.agencies.all()),
                "status": S.PUBLISHED,
                **version_content(version),
            }
        )
    sectors = [{"code": s.code, "name": s.name} for s in Sector.objects.filter(code__in=sector_codes).order_by("code")]
    return {"format": FORMAT, "version": FORMAT_VERSION, "sectors": sectors, "procedures": procedures}
