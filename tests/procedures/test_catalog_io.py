import base64
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from procedures.catalog_io import CatalogError, export_catalog, import_catalog
from procedures.constants import VersionStatus
from procedures.demo import CATALOG_FILE
from procedures.models import Procedure, ProcedureVersion
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


def entry(code="1.001193", **changes):
    base = {
        "code": code,
        "name": "Đăng ký khai sinh",
        "sector": "HT",
        "level": "commune",
        "agencies": ["C1"],
        "status": "published",
        "description": "Khai sinh cho trẻ em",
        "applicants": "Cha, mẹ",
        "steps": "1. Nộp hồ sơ\n2. Nhận kết quả",
        "methods": ["in_person", "online"],
        "conditions": "",
        "result": "Giấy khai sinh",
        "legal_basis": "Luật Hộ tịch 2014",
        "processing_time": {"value": 1, "unit": "working_days"},
        "online_level": "full",
        "partial_reason": "",
        "fees": [{"name": "Lệ phí", "amount": 0, "note": "Miễn"}],
        "components": [
            {
                "name": "Tờ khai",
                "originals": 1,
                "certified_copies": 0,
                "photocopies": 0,
                "required": True,
                "accepted_types": ["pdf", "jpg"],
                "max_size_mb": 5,
                "note": "",
            }
        ],
        "form_fields": [
            {
                "key": "ho_ten_tre",
                "label": {"vi": "Họ tên trẻ", "en": "Child's name"},
                "type": "text",
                "required": True,
                "help": {"vi": "", "en": ""},
                "choices": [],
                "min": None,
                "max": None,
                "pattern": "",
                "section": {"vi": "Trẻ", "en": "Child"},
            },
            {
                "key": "gioi_tinh",
                "label": {"vi": "Giới tính", "en": "Sex"},
                "type": "single_choice",
                "required": True,
                "help": {"vi": "", "en": ""},
                "choices": [{"value": "nam", "label": {"vi": "Nam", "en": "Male"}}],
                "min": None,
                "max": None,
                "pattern": "",
                "section": {"vi": "Trẻ", "en": "Child"},
            },
        ],
        "processing_steps": [
            {"name": "Tiếp nhận", "role": "desk_officer", "share": 30},
            {"name": "Xử lý", "role": "specialist", "share": 70},
        ],
        "templates": [
            {
                "name": "Mẫu tờ khai",
                "filename": "to-khai.txt",
                "content_base64": base64.b64encode("Tờ khai đăng ký khai sinh".encode()).decode(),
            }
        ],
    }
    base.update(changes)
    return base


def catalog(*entries):
    return {
        "format": "portal-catalog",
        "version": 1,
        "sectors": [{"code": "HT", "name": "Hộ tịch"}],
        "procedures": list(entries) or [entry()],
    }


@pytest.fixture(autouse=True)
def agencies():
    AgencyFactory(code="C1")
    AgencyFactory(code="C2")


def test_import_creates_published_versions_and_is_idempotent():
    stats = import_catalog(catalog())
    assert stats.created == ["1.001193"]
    version = ProcedureVersion.objects.get(procedure__code="1.001193")
    assert version.status == VersionStatus.PUBLISHED
    assert version.fields.count() == 2 and version.templates.count() == 1
    stats = import_catalog(catalog())
    assert stats.unchanged == ["1.001193"] and not stats.created and not stats.changed
    assert ProcedureVersion.objects.count() == 1


def test_changed_content_publishes_a_new_version_and_retires_the_old():
    import_catalog(catalog())
    import_catalog(catalog(entry(processing_time={"value": 3, "unit": "working_days"})))
    versions = list(
        ProcedureVersion.objects.order_by("number").values_list("number", "status", "processing_time_value")
    )
    assert [(n, s) for n, s, _ in versions] == [(1, "retired"), (2, "published")]
    assert versions[0][2] == 1  # the old version kept its time


def test_draft_entries_create_a_draft_beside_the_published_version():
    import_catalog(catalog())
    stats = import_catalog(catalog(entry(status="draft", description="Bản nháp mới")))
    assert stats.changed == ["1.001193"]
    assert ProcedureVersion.objects.get(status="published").description == "Khai sinh cho trẻ em"
    assert ProcedureVersion.objects.get(status="draft").description == "Bản nháp mới"
    assert import_catalog(catalog(entry(status="draft", description="Bản nháp mới"))).unchanged == ["1.001193"]


def test_identity_changes_are_applied():
    import_catalog(catalog())
    import_catalog(catalog(entry(name="Đăng ký khai sinh (mới)", agencies=["C1", "C2"])))
    procedure = Procedure.objects.get(code="1.001193")
    assert procedure.name == "Đăng ký khai sinh (mới)" and procedure.agencies.count() == 2
    assert ProcedureVersion.objects.count() == 1


BAD_CASES = [
    ({"sector": "XX"}, "1.001193: sector: unknown sector 'XX'"),
    ({"name": ""}, "1.001193: name: must be a non-empty text"),
    (
        {"processing_time": {"value": -2, "unit": "working_days"}},
        "1.001193: processing_time.value: must not be negative",
    ),
    ({"agencies": ["NOPE"]}, "1.001193: agencies: unknown agency code(s) NOPE"),
    ({"online_level": "partial"}, "1.001193: partial_reason: required when online_level is 'partial'"),
]


@pytest.mark.parametrize(("changes", "problem"), BAD_CASES)
def test_bad_entries_are_reported_with_code_and_field(changes, problem):
    with pytest.raises(CatalogError) as info:
        import_catalog(catalog(entry(**changes)))
    assert problem in info.value.problems


def test_bad_field_type_and_missing_name_are_all_reported_and_nothing_changes():
    good = entry(code="2.000001")
    bad_type = entry(code="2.000002")
    bad_type["form_fields"][0]["type"] = "signature"
    no_name = entry(code="2.000003")
    del no_name["name"]
    with pytest.raises(CatalogError) as info:
        import_catalog(catalog(good, bad_type, no_name))
    assert "2.000002: form_fields[0].type: unknown field type 'signature'" in info.value.problems
    assert "2.000003: name: missing" in info.value.problems
    assert not Procedure.objects.exists()  # the good entry was not imported either


def test_command_prints_every_problem_and_changes_nothing(tmp_path):
    import_catalog(catalog())
    bad = entry(processing_time={"value": -1, "unit": "weeks"})
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(catalog(bad, entry(code="3.000001", sector="ZZ"))), encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_procedures", str(path), stderr=err)
    text = err.getvalue()
    assert "1.001193: processing_time.value: must not be negative" in text
    assert "1.001193: processing_time.unit: must be one of" in text
    assert "3.000001: sector: unknown sector 'ZZ'" in text
    assert ProcedureVersion.objects.count() == 1


def test_command_refuses_malformed_json(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"format": "portal-catalog", ', encoding="utf-8")
    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("import_procedures", str(path))


def test_export_then_import_into_an_empty_database_reproduces_the_catalog(tmp_path):
    data = catalog(
        entry(),
        entry(
            code="1.000656",
            name="Đăng ký khai tử",
            online_level="partial",
            partial_reason="Nộp bản chính",
            methods=["in_person"],
        ),
    )
    import_catalog(data)
    import_catalog(catalog(entry(description="Mô tả sửa lần hai")))  # a second version of one procedure
    exported = export_catalog()
    out = tmp_path / "export.json"
    call_command("export_procedures", "--out", str(out), stderr=StringIO())
    assert json.loads(out.read_text(encoding="utf-8")) == exported

    # Published versions refuse deletion through the ORM; wipe the tables underneath it.
    from procedures.models import DossierComponent, FeeItem, FormField, FormTemplate, ProcessingStep, Sector

    for model in (DossierComponent, FeeItem, FormField, FormTemplate, ProcessingStep):
        model.objects.all()._raw_delete(model.objects.db)
    ProcedureVersion.objects.all()._raw_delete(ProcedureVersion.objects.db)
    Procedure.objects.all().delete()
    Sector.objects.all().delete()
    assert not Procedure.objects.exists()

    import_catalog(json.loads(out.read_text(encoding="utf-8")))
    assert export_catalog() == exported


def test_demo_catalog_file_is_valid_and_imports():
    if not Path(CATALOG_FILE).exists():
        pytest.fail("procedures/demo/catalog.json is missing")
    from django.core.management import call_command as cc

    cc("load_demo", "--quiet-logins", stdout=StringIO())
    data = json.loads(Path(CATALOG_FILE).read_text(encoding="utf-8"))
    assert len(data["procedures"]) >= 25 and len({p["sector"] for p in data["procedures"]}) >= 6
    assert ProcedureVersion.objects.filter(status="published").count() == len(data["procedures"])
    assert ProcedureVersion.objects.filter(templates__isnull=False).count() >= 10  # printable forms
    before = ProcedureVersion.objects.count()
    out = StringIO()
    cc("load_demo", "--quiet-logins", stdout=out)  # idempotent: nothing new the second time
    assert "0 new rows" in out.getvalue() and ProcedureVersion.objects.count() == before


def test_form_template_downloads_only_for_published_versions(client):
    import_catalog(catalog())
    template = ProcedureVersion.objects.get().templates.get()
    response = client.get(f"/procedures/templates/{template.pk}/")
    assert response.status_code == 200
    assert 'attachment; filename="to-khai.txt"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content).decode() == "Tờ khai đăng ký khai sinh"
    import_catalog(catalog(entry(description="đổi")))  # the old version retires
    assert client.get(f"/procedures/templates/{template.pk}/").status_code == 404


def test_demo_templates_are_deterministic_pdfs():
    from procedures.demo.templates import form_template_pdf

    fields = [{"label": {"vi": "Họ và tên"}, "section": {"vi": "Người khai"}}]
    one = form_template_pdf(procedure_name="Đăng ký khai sinh", code="1.001193", title="Tờ khai", fields=fields)
    two = form_template_pdf(procedure_name="Đăng ký khai sinh", code="1.001193", title="Tờ khai", fields=fields)
    assert one == two and one.startswith(b"%PDF")


def test_an_entry_without_templates_keeps_the_current_ones():
    import_catalog(catalog())
    without = entry()
    del without["templates"]
    assert import_catalog(catalog(without)).unchanged == ["1.001193"]
    changed = {**without, "description": "Mô tả mới"}
    import_catalog(catalog(changed))
    published = ProcedureVersion.objects.get(status="published")
    assert published.description == "Mô tả mới" and published.templates.count() == 1
    import_catalog(catalog({**changed, "templates": []}))
    assert ProcedureVersion.objects.get(status="published").templates.count() == 0


# --- fees: per unit, exemptions, when to pay -----------------------------------------------------


def entry_with_fees(**changes):
    base = entry(payment_stage="on_submission", **changes)
    base["form_fields"].append(
        {
            "key": "so_ban",
            "label": {"vi": "Số bản sao", "en": "Copies"},
            "type": "number",
            "required": True,
            "help": {"vi": "", "en": ""},
            "choices": [],
            "min": 1,
            "max": 20,
            "pattern": "",
            "section": {"vi": "", "en": ""},
        }
    )
    base["fees"] = [
        {
            "name": "Phí cấp bản sao",
            "amount": 8000,
            "quantity_field": "so_ban",
            "note": "8.000 đồng/bản",
            "exemptions": [],
        },
        {
            "name": "Lệ phí",
            "amount": 20000,
            "quantity_field": "",
            "note": "",
            "exemptions": [
                {"category": "Hộ nghèo", "percent": 100, "reason": "Khoản 1 Điều 11 Luật Hộ tịch"},
                {"category": "Sinh viên", "percent": 50, "reason": "Thông tư số 244/2016/TT-BTC"},
            ],
        },
    ]
    return base


def test_fees_per_unit_exemptions_and_payment_stage_import_and_export_unchanged():
    data = catalog(entry_with_fees())
    import_catalog(data)
    version = ProcedureVersion.objects.get()
    assert version.payment_stage == "on_submission"
    per_copy, fixed = version.fees.all()
    assert (per_copy.quantity_field, fixed.quantity_field) == ("so_ban", "")
    assert list(fixed.exemptions.values_list("category", "percent", "reason")) == [
        ("Hộ nghèo", 100, "Khoản 1 Điều 11 Luật Hộ tịch"),
        ("Sinh viên", 50, "Thông tư số 244/2016/TT-BTC"),
    ]
    exported = export_catalog()["procedures"][0]
    assert exported["payment_stage"] == "on_submission" and exported["fees"] == data["procedures"][0]["fees"]
    assert import_catalog(catalog(exported)).unchanged == ["1.001193"]  # the round trip changes nothing

    changed = entry_with_fees()
    changed["fees"][1]["exemptions"][1]["percent"] = 40
    assert import_catalog(catalog(changed)).changed == ["1.001193"]
    retired, published = ProcedureVersion.objects.order_by("number")
    assert retired.fees.get(name="Lệ phí").exemptions.get(category="Sinh viên").percent == 50
    assert published.fees.get(name="Lệ phí").exemptions.get(category="Sinh viên").percent == 40


def test_a_file_without_the_fee_keys_imports_with_their_defaults():
    import_catalog(catalog())  # entry() predates payment_stage, quantity_field and exemptions
    version = ProcedureVersion.objects.get()
    assert version.payment_stage == "after_appraisal"
    assert version.fees.get().quantity_field == "" and not version.fees.get().exemptions.exists()
    exported = export_catalog()["procedures"][0]
    assert exported["payment_stage"] == "after_appraisal"
    assert exported["fees"] == [{"name": "Lệ phí", "amount": 0, "quantity_field": "", "note": "Miễn", "exemptions": []}]


def broken_fees(change):
    data = entry_with_fees()
    change(data)
    return data


FEE_CASES = [
    (
        lambda e: e.update(payment_stage="later"),
        "1.001193: payment_stage: must be one of on_submission, after_appraisal",
    ),
    (
        lambda e: e["fees"][0].update(quantity_field="so_trang"),
        "1.001193: fees[0].quantity_field: no form field has the key 'so_trang'",
    ),
    (
        lambda e: e["fees"][0].update(quantity_field="ho_ten_tre"),
        "1.001193: fees[0].quantity_field: 'ho_ten_tre' is a text field, not a number field",
    ),
    (
        lambda e: e["fees"][1]["exemptions"][0].update(percent=101),
        "1.001193: fees[1].exemptions[0].percent: a whole percentage from 1 to 100",
    ),
    (
        lambda e: e["fees"][1]["exemptions"][1].update(percent=0),
        "1.001193: fees[1].exemptions[1].percent: a whole percentage from 1 to 100",
    ),
    (
        lambda e: e["fees"][1]["exemptions"][0].update(reason=""),
        "1.001193: fees[1].exemptions[0].reason: must be a non-empty text of at most 500 characters",
    ),
    (
        lambda e: e["fees"][1].update(exemptions="Hộ nghèo"),
        "1.001193: fees[1].exemptions: must be a list",
    ),
]


@pytest.mark.parametrize(("change", "problem"), FEE_CASES)
def test_bad_fee_details_are_reported_and_nothing_is_imported(change, problem):
    with pytest.raises(CatalogError) as info:
        import_catalog(catalog(broken_fees(change)))
    assert problem in info.value.problems
    assert not Procedure.objects.exists()
