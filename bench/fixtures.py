"""The people and the few hand-made rows the web benchmark needs on top of the demo: 16 staff users of each
role in one commune (and in the worst-case agency), specialists and a leader in every other commune to act
on the generated dossiers, citizens who file through the pages, a citizen with 200 dossiers and one dossier
with 20 events and 10 real files. Small and made with the ORM; the bulk is bench/generate.py's SQL.

Passwords: staff never log in through the login page (bench_web.py creates their session rows), so they
get unusable passwords; the filing citizens share one hash computed once (PBKDF2 takes a noticeable time
per hash)."""

import datetime as dt
import hashlib

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

BENCH_COMMUNE = "H15.50.05.01"  # Thị trấn Chi Nê: the demo's own commune desk
WORST_AGENCY = "H15.50.05.99"
ROTATION = 16  # users per role whose sessions wrk rotates (one per connection)
OTHER_SPECIALISTS = 4
FILING_PASSWORD = "Bench@Filing-2026"  # noqa: S105  (bench database only)
HEAVY_CITIZEN_EMAIL = "bench.nhieuhoso@example.vn"
SPECIAL_EVENTS, SPECIAL_FILES = 20, 10


def make_pdf(size: int) -> bytes:
    """A PDF of `size` bytes that the upload sniffing accepts (a header, padding in a comment, a trailer)."""
    head, tail = b"%PDF-1.4\n1 0 obj<<>>endobj\n%", b"\ntrailer<<>>\n%%EOF\n"
    return head + b"x" * max(0, size - len(head) - len(tail)) + tail


def _staff(prefix: str, name: str, count: int, start: int):
    from portal.models import User

    unusable = make_password(None)
    users = [
        User(
            email=f"{prefix}{i:02d}@example.vn",
            full_name=f"{name} {i:02d}",
            is_staff=True,
            password=unusable,
            national_id=f"0172{start + i:08d}",
            phone=f"096{start + i:07d}",
        )
        for i in range(1, count + 1)
    ]
    return User.objects.bulk_create(users)


def _grant(users, agency, role, desk=None):
    from portal.models import StaffMembership

    StaffMembership.objects.bulk_create([StaffMembership(user=u, agency=agency, role=role, desk=desk) for u in users])


def _agency_staff(agency, tag: str, start: int, *, rotation: bool) -> dict:
    """Officers, specialists and leaders of one agency: ROTATION of each where pages are measured, else a
    few specialists and one leader (the generated dossiers' assignees and actors)."""
    from portal.constants import Role

    desk = agency.desks.order_by("code").first()
    n_other = ROTATION if rotation else 1
    officers = _staff(f"bench.motcua.{tag}.", f"Cán bộ một cửa {agency.name}", n_other, start)
    specialists = _staff(
        f"bench.chuyenvien.{tag}.",
        f"Chuyên viên {agency.name}",
        ROTATION if rotation else OTHER_SPECIALISTS,
        start + 100,
    )
    leaders = _staff(f"bench.lanhdao.{tag}.", f"Lãnh đạo {agency.name}", n_other, start + 200)
    _grant(officers, agency, Role.DESK_OFFICER, desk)
    _grant(specialists, agency, Role.SPECIALIST)
    _grant(leaders, agency, Role.LEADER)
    return {
        "agency_id": agency.pk,
        "code": agency.code,
        "desk_id": desk.pk if desk else None,
        "officers": [u.pk for u in officers],
        "specialists": [u.pk for u in specialists],
        "leaders": [u.pk for u in leaders],
    }


@transaction.atomic
def create_people(*, filing_citizens: int) -> dict:
    """Staff of the ten demo communes, the filing citizens and the citizen with many dossiers."""
    from portal.models import Agency, User

    communes = list(Agency.objects.filter(level="commune").exclude(code=WORST_AGENCY).order_by("code"))
    agencies = []
    for n, agency in enumerate(communes):
        agencies.append(
            _agency_staff(agency, agency.code.replace(".", ""), 1000 * (n + 1), rotation=agency.code == BENCH_COMMUNE)
        )
    shared = make_password(FILING_PASSWORD)
    filers = User.objects.bulk_create(
        [
            User(
                email=f"bench.congdan{i:03d}@example.vn",
                full_name=f"Công dân thử tải {i:03d}",
                password=shared,
                national_id=f"0173{i:08d}",
                phone=f"095{i:07d}",
                address="Thôn 1, thị trấn Chi Nê, huyện Lạc Thủy",
            )
            for i in range(1, filing_citizens + 1)
        ]
    )
    heavy = User.objects.create(
        email=HEAVY_CITIZEN_EMAIL,
        full_name="Hoàng Thị Thu Hà",
        national_id="017188000200",
        phone="0944000200",
        password=make_password(None),
        address="Khu 2, thị trấn Chi Nê, huyện Lạc Thủy, tỉnh Hòa Bình",
    )
    return {
        "agencies": agencies,
        "bench_agency": BENCH_COMMUNE,
        "filing_citizens": [(u.email, FILING_PASSWORD) for u in filers],
        "heavy_citizen": heavy.pk,
    }


@transaction.atomic
def create_worst_agency() -> dict:
    """A commune of its own whose dossiers are all open, with its desk, the commune procedures and staff."""
    from portal.constants import AgencyLevel
    from portal.models import Agency
    from portal.services import agency_create, desk_create
    from procedures.models import Procedure

    model = Agency.objects.get(code=BENCH_COMMUNE)
    agency = agency_create(
        code=WORST_AGENCY,
        name="UBND Xã Thử Tải",
        level=AgencyLevel.COMMUNE,
        parent=model.parent,
        address="Xã Thử Tải, huyện Lạc Thủy, tỉnh Hòa Bình",
    )
    desk_create(agency=agency, code=f"MC-{WORST_AGENCY}", name="Bộ phận Một cửa Xã Thử Tải", address=agency.address)
    for procedure in Procedure.objects.filter(agencies=model):
        procedure.agencies.add(agency)
    return _agency_staff(agency, "worst", 90000, rotation=True)


def _special_events(dossier, officer, specialist, leader, t0):
    """20 events along a plausible path: submitted, two rounds of supplements at the desk and in appraisal,
    two consultations of other agencies, one rework; chained with the model's own hash."""
    from dossiers.constants import STAGE_STATUS
    from dossiers.models import DossierEvent

    citizen = dossier.applicant
    steps = [
        ("create", "", "draft", citizen),
        ("submit", "draft", "checking", citizen),
        ("request_supplement", "checking", "intake_supplement", officer),
        ("submit_supplement", "intake_supplement", "checking", citizen),
        ("request_supplement", "checking", "intake_supplement", officer),
        ("submit_supplement", "intake_supplement", "checking", citizen),
        ("accept", "checking", "received", officer),
        ("assign", "received", "appraising", leader),
        ("forward", "appraising", "waiting_other_agency", specialist),
        ("record_reply", "waiting_other_agency", "appraising", specialist),
        ("request_supplement", "appraising", "processing_supplement", specialist),
        ("submit_supplement", "processing_supplement", "appraising", citizen),
        ("forward", "appraising", "waiting_other_agency", specialist),
        ("record_reply", "waiting_other_agency", "appraising", specialist),
        ("appraise", "appraising", "appraising", specialist),
        ("submit_for_approval", "appraising", "awaiting_approval", specialist),
        ("return_for_rework", "awaiting_approval", "appraising", leader),
        ("appraise", "appraising", "appraising", specialist),
        ("issue_extension", "appraising", "appraising", leader),
        ("assign", "appraising", "appraising", leader),
    ]
    assert len(steps) == SPECIAL_EVENTS
    previous, events = "", []
    for i, (action, before, after, actor) in enumerate(steps):
        event = DossierEvent(
            dossier=dossier,
            actor=actor,
            action=action,
            from_status=STAGE_STATUS[before] if before else "",
            to_status=STAGE_STATUS[after],
            note="Ghi chú của cán bộ xử lý." if actor != citizen else "",
            public=actor == citizen or action in ("submit", "accept"),
            data={"from_stage": before, "to_stage": after},
            created_at=t0 + dt.timedelta(hours=6 * i),
            prev_hash=previous,
        )
        event.hash = previous = event.compute_hash()
        events.append(event)
    DossierEvent.objects.bulk_create(events)


@transaction.atomic
def create_special_dossier(*, people: dict) -> dict:
    """The heavy citizen's dossier under appraisal with 20 events and 10 files stored under MEDIA_ROOT
    (the pages list them; downloads would serve them)."""
    from dossiers.constants import Channel, Delivery, Stage, Status
    from dossiers.demo import sample_answers
    from dossiers.models import Attachment, Dossier, SupplementRequest
    from dossiers.services.filing import dossier_search_text
    from portal.models import User
    from procedures.models import ProcedureVersion

    bench = next(a for a in people["agencies"] if a["code"] == BENCH_COMMUNE)
    citizen = User.objects.get(pk=people["heavy_citizen"])
    officer, specialist, leader = (User.objects.get(pk=bench[key][0]) for key in ("officers", "specialists", "leaders"))
    version = (
        ProcedureVersion.objects.filter(status="published", procedure__agencies=bench["agency_id"])
        .order_by("procedure__code")
        .first()
    )
    now = timezone.now()
    t0 = now - dt.timedelta(days=6)
    snapshot = {
        "full_name": citizen.full_name,
        "national_id": citizen.national_id,
        "phone": citizen.phone,
        "email": citizen.email,
        "address": citizen.address,
    }
    day = timezone.localtime(t0).date()
    dossier = Dossier(
        code=f"{BENCH_COMMUNE}-{day:%y%m%d}-9001",
        lookup_key="BENCH7",
        version=version,
        applicant=citizen,
        applicant_snapshot=snapshot,
        filer=citizen,
        agency_id=bench["agency_id"],
        desk_id=bench["desk_id"],
        channel=Channel.ONLINE,
        status=Status.PROCESSING,
        stage=Stage.APPRAISING,
        previous_stage=Stage.APPRAISING,
        stage_entered_at=now,
        assignee=specialist,
        answers=sample_answers(version),
        delivery=Delivery.DESK,
        declaration_accepted=True,
        last_step="check",
        submitted_at=t0 + dt.timedelta(hours=6),
        received_at=t0 + dt.timedelta(hours=36),
        clock_started_at=t0 + dt.timedelta(hours=36),
        due_at=now + dt.timedelta(days=9),
        priority_at=now + dt.timedelta(days=9),
        appraisal_note="Đủ điều kiện, đề nghị phê duyệt.",
    )
    dossier.search_text = dossier_search_text(dossier)
    dossier.save()
    _special_events(dossier, officer, specialist, leader, t0)
    components = list(version.components.order_by("order"))
    for i in range(SPECIAL_FILES):
        content = make_pdf(150_000 + 1000 * i)
        attachment = Attachment(
            dossier=dossier,
            component=components[i % len(components)] if components else None,
            original_name=f"ban-quet-{i + 1:02d}.pdf",
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            content_type="application/pdf",
            extension="pdf",
            uploaded_by=citizen,
            is_current=i >= 3,
            superseded_at=None if i >= 3 else t0 + dt.timedelta(days=1),
            created_at=t0 + dt.timedelta(hours=i),
        )
        attachment.file.save(f"ban-quet-{i + 1:02d}.pdf", ContentFile(content), save=False)
        attachment.save()
    for i, (return_to, responded) in enumerate([("checking", True), ("checking", True), ("appraising", True)]):
        SupplementRequest.objects.create(
            dossier=dossier,
            requested_by=officer if return_to == "checking" else specialist,
            items=[
                {
                    "kind": "component",
                    "ref": components[0].pk if components else 0,
                    "label": "Bản quét",
                    "reason": "Bản quét bị mờ, không đọc được.",
                }
            ],
            note="Bổ sung một lần đầy đủ.",
            return_status=return_to,
            created_at=t0 + dt.timedelta(hours=12 * (i + 1)),
            responded_at=t0 + dt.timedelta(hours=12 * (i + 1) + 4) if responded else None,
        )
    return {"code": dossier.code, "lookup_key": dossier.lookup_key, "id": dossier.pk}
