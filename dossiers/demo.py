"""Demo dossiers for `make run`: a few at every step of the lifecycle at the Lạc Thủy district desk
and the Chi Nê commune desk, two of them overdue, so the queues, the digest and the citizen pages
show something real. Created through the same services as real ones; loaded once."""

import datetime as dt
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dossiers import selectors
from dossiers.constants import Action
from dossiers.models import Dossier
from dossiers.services import citizen as citizen_services
from dossiers.services import desk, filing, payments, uploads
from portal.models import Agency, User
from procedures.models import ProcedureVersion

PATTERN_CANDIDATES = ["C1234567", "123", "12", "1", "A1", "AB123456", "0912345678"]
SCAN = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
VALUES = {
    "text": "Nguyễn Văn An",
    "long_text": "Không",
    "date": "2026-10-20",
    "cccd": "017199000123",
    "phone": "0912345678",
    "email": "an.nguyen@example.vn",
    "number": "1",
    "address": "Thị trấn Chi Nê",
}


def sample_answers(version) -> dict:
    """Valid answers for any version's fields (demo data and tests)."""
    answers = {}
    for f in version.fields.all():
        if f.field_type in ("single_choice", "multiple_choice"):
            value = f.choices[0]["value"]
            answers[f.key] = [value] if f.field_type == "multiple_choice" else value
        elif f.field_type == "checkbox":
            answers[f.key] = "on"
        elif f.field_type == "number":
            answers[f.key] = str(f.min_value if f.min_value is not None else 1)
        elif f.pattern:
            answers[f.key] = next((c for c in PATTERN_CANDIDATES if re.search(f.pattern, c)), "C1234567")
        else:
            answers[f.key] = VALUES.get(f.field_type, "Có")
    return answers


def _pay_online(dossier, citizen):
    """The citizen pays through the sandbox gateway, whose signed notice the portal takes as a real
    gateway's (demo data only)."""
    from portal.payments.gateways import SandboxGateway

    order, _url = payments.order_start(dossier=dossier, actor=citizen, gateway_name="sandbox")
    body = SandboxGateway.notice_body(str(order.public_id), order.amount, f"SBX-DEMO-{order.pk:04d}")
    payments.callback_receive(
        gateway_name="sandbox", body=body, headers={"X-Sandbox-Signature": SandboxGateway.sign(body)}
    )
    dossier.refresh_from_db()
    return dossier


def _settle(dossier, how, officer):
    """Pay a dossier waiting for its fee: "online" (sandbox), "cash" (at the desk) or "wait" (left
    in status 6 for the demo to show)."""
    if dossier.stage != "awaiting_payment" or how == "wait":
        return dossier
    if how == "online":
        from portal.payments.gateways import gateway_names

        if "sandbox" in gateway_names():
            return _pay_online(dossier, dossier.filer)
        # Without the sandbox (production settings: the benchmark), the citizen transferred it.
        payments.payment_record_transfer(
            dossier_id=dossier.pk, amount=dossier.fee.amount, reference=f"DEMO-FT-{dossier.pk}", at=timezone.now()
        )
        dossier.refresh_from_db()
        return dossier
    payments.payment_record_cash(dossier=dossier, actor=officer, amount=dossier.fee.amount)
    dossier.refresh_from_db()
    return dossier


def _appraised(dossier, specialist, officer, how):
    """Appraisal done; a procedure that charges after appraisal asks for its fee now and (unless
    `how` is "wait") has it paid."""
    dossier = desk.dossier_appraise(dossier=dossier, actor=specialist, note="Hồ sơ đầy đủ, hợp lệ.")
    if Action.REQUEST_PAYMENT in selectors.staff_actions(dossier=dossier, user=specialist):
        dossier = _settle(payments.payment_request(dossier=dossier, actor=specialist), how, officer)
    return dossier


def _file(version, citizen, agency):
    dossier = filing.dossier_start(version=version, actor=citizen, agency=agency)
    filing.dossier_save_answers(dossier=dossier, actor=citizen, raw=sample_answers(version))
    for component in version.components.all():
        if component.required:
            uploads.attachment_add(
                dossier=dossier,
                actor=citizen,
                component=component,
                upload=SimpleUploadedFile(f"ban-quet-{component.pk}.pdf", SCAN),
            )
    filing.dossier_set_delivery(dossier=dossier, actor=citizen, delivery="desk")
    return filing.dossier_submit(dossier=dossier, actor=citizen, declaration=True)


def load_demo_dossiers(stdout=None) -> int:
    if Dossier.objects.exclude(status="draft").exists():
        return 0
    district = Agency.objects.get(code="H15.50")
    commune = Agency.objects.get(code="H15.50.05.01")
    officer = User.objects.get(email="motcua.lacthuy@example.vn")
    commune_officer = _commune_officer(commune) or officer
    leader = User.objects.get(email="lanhdao.lacthuy@example.vn")
    specialist = User.objects.get(email="chuyenvien.tuphap@example.vn")
    citizens = list(
        User.objects.filter(
            email__in=["an.nguyen@example.vn", "binh.tran@example.vn", "cuong.bui@example.vn", "dung.dinh@example.vn"]
        ).order_by("email")
    )
    district_versions = list(
        ProcedureVersion.objects.filter(status="published", accepts_online=True, procedure__agencies=district).order_by(
            "procedure__code"
        )
    )
    commune_versions = list(
        ProcedureVersion.objects.filter(status="published", accepts_online=True, procedure__agencies=commune).order_by(
            "procedure__code"
        )
    )
    if not district_versions or not commune_versions:
        return 0
    now = timezone.now()
    made = []
    # A fee asked on submission is paid (online, or in cash at the desk) before the desk goes on.
    pay = ["online", "cash", "online", "online", "cash", "online", "online", "online"]
    for i in range(8):
        filed = _file(district_versions[i % len(district_versions)], citizens[i % len(citizens)], district)
        made.append(_settle(filed, pay[i], officer))
    for i in range(3):
        filed = _file(commune_versions[i % len(commune_versions)], citizens[(i + 1) % len(citizens)], commune)
        made.append(_settle(filed, "online", commune_officer))
    # The commune's fee-bearing procedures: one paid online, one in cash at the desk, one still
    # waiting for its fee (status 6, with the VietQR code on the citizen's page).
    charging = [v for v in commune_versions if payments.asks_on_submission_version(v)]
    for i, how in enumerate(["online", "cash", "wait"] if charging else []):
        filed = _file(charging[i % len(charging)], citizens[(i + 2) % len(citizens)], commune)
        made.append(_settle(filed, how, commune_officer))
    # Two received four months ago and still under appraisal: overdue whatever their processing time.
    for dossier in made[0:2]:
        dossier = desk.dossier_accept(dossier=dossier, actor=officer, now=now - dt.timedelta(days=120))
        desk.dossier_assign(dossier=dossier, actor=leader, assignee=specialist)
    # One under appraisal on time, one waiting for the leader, one with its result, one returned and rated.
    for dossier in made[2:6]:
        dossier = desk.dossier_accept(dossier=dossier, actor=officer)
        desk.dossier_assign(dossier=dossier, actor=leader, assignee=specialist)
    # Under appraisal on time: one that charges after appraisal waits for its fee there (status 6).
    made[2] = _appraised(made[2], specialist, officer, "wait")
    for dossier, how in zip(made[3:6], ["cash", "online", "cash"], strict=True):
        dossier = _appraised(dossier, specialist, officer, how)
        desk.dossier_submit_for_approval(dossier=dossier, actor=specialist)
    for dossier in made[4:6]:
        desk.dossier_approve(dossier=dossier, actor=leader, result_file=_demo_result(dossier))
    returned = desk.dossier_return_result(dossier=made[5], actor=officer, how="Trao tận tay tại Bộ phận Một cửa")
    citizen_services.dossier_rate(
        dossier=returned,
        actor=returned.applicant,
        timeliness=5,
        contacts=5,
        information_accuracy=5,
        staff_attitude=5,
        cost=5,
        overall="satisfied",
        comment="Nhanh, cán bộ hướng dẫn tận tình.",
    )
    # One with a supplement request waiting for the citizen.
    version = made[6].version
    component = version.components.filter(required=True).first()
    desk.dossier_request_supplement(
        dossier=made[6],
        actor=officer,
        note="Bổ sung một lần đầy đủ.",
        items=[{"kind": "component", "ref": component.pk, "reason": "Bản quét bị mờ, không đọc được."}],
    )
    made.append(_settle(_walk_in(district_versions[0], officer, district), "cash", officer))
    if stdout is not None:
        stdout.write(f"Demo dossiers: {len(made)} at the Lạc Thủy and Chi Nê desks (2 overdue, 1 walk-in).")
    return len(made)


def _commune_officer(commune):
    from portal.constants import Role
    from portal.models import StaffMembership

    membership = (
        StaffMembership.objects.filter(agency=commune, role=Role.DESK_OFFICER)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership else None


def _walk_in(version, officer, agency):
    """A citizen with no account brings papers to the desk: the officer scans each component
    ("số hóa") and receives the dossier at once."""
    from dossiers.services.counter import dossier_receive_at_counter

    snapshot = {
        "full_name": "Hoàng Thị Mai",
        "national_id": "017185004321",
        "phone": "0987654321",
        "email": "",
        "address": "Xã Phú Thành, huyện Lạc Thủy",
    }
    files = {
        c.pk: [SimpleUploadedFile(f"ban-quet-{c.pk}.pdf", _demo_scan(c.name), "application/pdf")]
        for c in version.components.all()
        if "pdf" in c.accepted_types
    }
    return dossier_receive_at_counter(
        version=version,
        actor=officer,
        agency=agency,
        snapshot=snapshot,
        answers=sample_answers(version),
        files=files,
        delivery="desk",
    )


def _demo_scan(name: str) -> bytes:
    from reportlab.platypus import Paragraph

    from portal.pdf import render, styles

    text = styles()
    return render([Paragraph("BẢN QUÉT DÙNG THỬ", text["title"]), Paragraph(name, text["center"])], title=name)


def _demo_result(dossier):
    """A one-page PDF standing for the signed result (demo data only), named as the result is."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from reportlab.platypus import Paragraph

    from portal.pdf import render, styles

    text = styles()
    story = [
        Paragraph("BẢN MẪU DÙNG THỬ — KHÔNG CÓ GIÁ TRỊ PHÁP LÝ", text["title"]),
        Paragraph(dossier.version.result or dossier.version.procedure.name, text["center"]),
        Paragraph(f"Hồ sơ {dossier.code}", text["center"]),
    ]
    return SimpleUploadedFile(f"ket-qua-{dossier.code}.pdf", render(story, title="Kết quả"), "application/pdf")
