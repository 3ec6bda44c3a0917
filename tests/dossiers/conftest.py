import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from reportlab.platypus import Paragraph

from portal import pdf as portal_pdf
from portal.signing_keys import make_agency_key, make_authority
from procedures.models import DossierComponent, FormField
from tests.factories import AgencyFactory, DeskFactory, ProcedureFactory, UserFactory, make_version

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def pdf(name="giay-to.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def agency():
    agency = AgencyFactory(code="H99.01", name="UBND xã Thử Nghiệm")
    DeskFactory(agency=agency, code="MC-H99.01")
    return agency


@pytest.fixture
def version(agency):
    procedure = ProcedureFactory(code="1.001193", name="Đăng ký khai sinh")
    version = make_version(procedure, status="draft", components=0, fields=0, fees=1)
    DossierComponent.objects.create(
        version=version, order=0, name="Tờ khai", required=True, accepted_types=["pdf", "jpg", "png"], max_size_mb=1
    )
    DossierComponent.objects.create(
        version=version, order=1, name="Giấy chứng sinh", required=True, accepted_types=["pdf"], max_size_mb=1
    )
    DossierComponent.objects.create(
        version=version, order=2, name="Giấy ủy quyền", required=False, accepted_types=["pdf"], max_size_mb=1
    )
    FormField.objects.create(
        version=version,
        order=0,
        key="ho_ten_tre",
        label_vi="Họ tên trẻ",
        field_type="text",
        section_vi="Người được khai sinh",
    )
    FormField.objects.create(
        version=version,
        order=1,
        key="ngay_sinh",
        label_vi="Ngày sinh",
        field_type="date",
        section_vi="Người được khai sinh",
    )
    FormField.objects.create(
        version=version,
        order=2,
        key="gioi_tinh",
        label_vi="Giới tính",
        field_type="single_choice",
        section_vi="Người được khai sinh",
        choices=[{"value": "nam", "label": {"vi": "Nam"}}, {"value": "nu", "label": {"vi": "Nữ"}}],
    )
    FormField.objects.create(
        version=version, order=3, key="cccd_me", label_vi="CCCD của mẹ", field_type="cccd", section_vi="Cha mẹ"
    )
    version.status = "published"
    version.save(update_fields=["status"])
    procedure.agencies.add(agency)
    return version


def make_same_day(version):
    """Turn the published test version into a same-day procedure ("4 tại chỗ"); a published version
    is read-only, so it goes back to draft for the change."""
    version.status = "draft"
    version.save(update_fields=["status"])
    version.processing_time_unit, version.processing_time_value = "same_day", 0
    version.save()
    version.status = "published"
    version.save(update_fields=["status"])
    return version


ANSWERS = {"ho_ten_tre": "Nguyễn Bảo An", "ngay_sinh": "2026-11-20", "gioi_tinh": "nam", "cccd_me": "017199000123"}


@pytest.fixture
def citizen():
    return UserFactory(
        full_name="Nguyễn Văn Bố",
        national_id="017095001111",
        phone="0987111222",
        email="bo@example.vn",
        address="Xã Thử Nghiệm",
    )


@pytest.fixture
def ready_draft(version, agency, citizen):
    """A draft with every step done, ready to submit."""
    from dossiers.services import filing, uploads

    dossier = filing.dossier_start(version=version, actor=citizen, agency=agency)
    filing.dossier_save_answers(dossier=dossier, actor=citizen, raw=dict(ANSWERS))
    components = list(version.components.all())
    uploads.attachment_add(dossier=dossier, actor=citizen, component=components[0], upload=pdf("to-khai.pdf"))
    uploads.attachment_add(dossier=dossier, actor=citizen, component=components[1], upload=pdf("chung-sinh.pdf"))
    filing.dossier_set_delivery(dossier=dossier, actor=citizen, delivery="desk")
    dossier.refresh_from_db()
    return dossier


@pytest.fixture
def filed(ready_draft, citizen):
    from dossiers.services import filing

    return filing.dossier_submit(dossier=ready_draft, actor=citizen, declaration=True)


@pytest.fixture
def staff(agency):
    from portal.constants import Role
    from tests.factories import MembershipFactory

    desk = MembershipFactory(agency=agency, role=Role.DESK_OFFICER, user__full_name="Cán bộ Một Cửa").user
    leader = MembershipFactory(agency=agency, role=Role.LEADER, user__full_name="Lãnh Đạo").user
    specialist = MembershipFactory(agency=agency, role=Role.SPECIALIST, user__full_name="Chuyên Viên").user
    return type("Staff", (), {"desk": desk, "leader": leader, "specialist": specialist})


ORDER = ["checking", "received", "appraising", "awaiting_approval", "result_ready", "returned"]


def run_to(dossier, stage, staff):
    """Move a filed dossier through the real services up to `stage`."""
    from dossiers.services import desk

    steps = {
        "received": lambda d: desk.dossier_accept(dossier=d, actor=staff.desk),
        "appraising": lambda d: desk.dossier_assign(dossier=d, actor=staff.leader, assignee=staff.specialist),
        "awaiting_approval": lambda d: desk.dossier_submit_for_approval(
            dossier=desk.dossier_appraise(dossier=d, actor=staff.specialist, note="Hồ sơ hợp lệ"),
            actor=staff.specialist,
        ),
        "result_ready": lambda d: desk.dossier_approve(dossier=d, actor=staff.leader),
        # The paper result's scan is kept (a procedure whose result is a document).
        "returned": lambda d: desk.dossier_return_result(
            dossier=d, actor=staff.desk, how="Trao tận tay", result_file=pdf("ban-chup-ket-qua.pdf")
        ),
    }
    for name in ORDER[ORDER.index(dossier.stage) + 1 : ORDER.index(stage) + 1]:
        dossier = steps[name](dossier)
    dossier.refresh_from_db()
    return dossier


@pytest.fixture(autouse=True)
def _queue_counters_stay_true(request):
    """Whatever a test did through the services, the queue counters and the daily figures still count
    what is there."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        yield
        return
    # Set the database up before this fixture, so it is still there when this one checks.
    request.getfixturevalue("transactional_db" if marker.kwargs.get("transaction") else "db")
    yield
    import datetime as dt

    from dossiers.services.counters import recount_queue_counters
    from dossiers.services.figures import figures_reconcile

    assert recount_queue_counters() == 0, "queue counters drifted from the dossiers"
    assert figures_reconcile(dt.date(2000, 1, 1), dt.date(2100, 1, 1), repair=False) == 0, "daily figures drifted"


# --- signatures (issue 14): an authority built in the test, trusted by the portal ---------------------
PASSWORD = b"mat-khau-thu"


def a_pdf(text="Giấy chứng nhận đăng ký hộ kinh doanh") -> bytes:
    return portal_pdf.render([Paragraph(text, portal_pdf.styles()["base"])], page="A4")


def upload(content: bytes, name="ket-qua.pdf"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def ca(tmp_path, settings, monkeypatch, agency):
    """A test authority trusted by the portal, and a key for the test agency."""
    authority = make_authority("CA thử nghiệm")
    (tmp_path / "root.pem").write_bytes(authority.pem())
    (tmp_path / f"{agency.code}.p12").write_bytes(make_agency_key(authority, agency.name, password=PASSWORD))
    settings.SIGNING_KEYS_DIR = tmp_path
    settings.SIGNING_TRUST_ROOTS = [str(tmp_path / "root.pem")]
    settings.SIGNING_IN_TASK = False
    monkeypatch.setenv("SIGNING_PASSWORD", PASSWORD.decode())
    return authority
