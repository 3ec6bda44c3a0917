"""A year of demo history for `make run` (`load_demo --history`): about 6,000 finished dossiers at
the Lạc Thủy desks in the seed district's proportions (92.5 % filed online, most on time, most
citizens satisfied), so the statistics page and the leader dashboard show real-looking figures on a
fresh clone.

Walking 6,000 dossiers through the services would take minutes on SQLite, so the rows (dossiers,
their hash-chained events, files, supplement requests and ratings) are written in bulk, with the
appointments the deadline rules give. The figures are then built by the code that keeps them
(figures_reconcile, which uses the same contribution() as every transition), and the queue counters
recounted. Every history dossier belongs to a generated citizen who cannot log in."""

import contextlib
import datetime as dt
import random

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from dossiers import deadlines
from dossiers.constants import Action, Channel, FeeStatus, FilerRelation, Outcome, PayMethod, Stage, Status
from dossiers.demo import SCAN, sample_answers
from dossiers.models import Attachment, Dossier, DossierEvent, DossierSequence, Rating, SupplementRequest
from dossiers.services.codes import LOOKUP_ALPHABET
from dossiers.services.counters import recount_queue_counters
from dossiers.services.figures import figures_count_overdue, figures_reconcile
from dossiers.services.filing import profile_snapshot
from procedures.text import normalize_search

DOSSIERS = 6000
CITIZENS = 400
ONLINE = 0.925
LATE = 0.04
REFUSED_AT_DESK = 0.01
REFUSED_AFTER_APPRAISAL = 0.015
WITH_SUPPLEMENT = 0.06
RATED = 0.45
REUSED = 0.25
ASSISTED = 0.12  # online dossiers of a commune filed by its community digital team
PAID_ONLINE = 0.8  # fees of online dossiers paid online or by transfer (the rest in cash at the desk)
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Bùi", "Đinh", "Quách", "Đỗ", "Vũ", "Hà", "Lò"]
MIDDLE = ["Văn", "Thị", "Minh", "Thu", "Đức", "Ngọc", "Quang", "Thanh"]
GIVEN = ["An", "Bình", "Cường", "Dung", "Giang", "Hà", "Hải", "Hoa", "Hùng", "Lan", "Long", "Mai", "Nam", "Phúc"]
MARKER = "lichsu.0001@example.vn"
_fees_rng = random.Random(766)


def load_demo_history(stdout=None) -> int:
    from portal.models import Agency, User

    if User.objects.filter(email=MARKER).exists():
        return 0
    rng = random.Random(2026)
    _catalog_cuts()
    places = _places(Agency)
    if not places:
        return 0
    citizens = _citizens(User, rng)
    _community_teams(places, citizens)
    today = timezone.localdate()
    now = timezone.now()
    scan = default_storage.save("dossiers/demo/ban-quet.pdf", ContentFile(SCAN))
    result = default_storage.save("dossiers/demo/ket-qua.pdf", ContentFile(SCAN))
    sequences: dict[tuple, int] = {}
    plans = []
    for _ in range(DOSSIERS):
        place = rng.choices(places, weights=[p["weight"] for p in places])[0]
        plan = _plan(rng, place, citizens, today, now, sequences)
        if plan is not None:
            plans.append(plan)
    with _times_as_given(Dossier, "created_at", "updated_at"):
        Dossier.objects.bulk_create([p["dossier"] for p in plans], batch_size=500)
    events, files, supplements, ratings = [], [], [], []
    for plan in plans:
        events += _chain(plan["dossier"], plan["events"])
        for component in plan["components"]:
            files.append(_file(plan["dossier"], component, scan, plan["dossier"].submitted_at))
        if plan["result"]:
            files.append(_file(plan["dossier"], None, result, plan["dossier"].finished_at, is_result=True))
        if plan["supplement"]:
            supplements.append(plan["supplement"])
        if plan["rating"]:
            ratings.append(plan["rating"])
    DossierEvent.objects.bulk_create(events, batch_size=1000)
    Attachment.objects.bulk_create(files, batch_size=1000)
    _reuse(rng, plans)
    SupplementRequest.objects.bulk_create(supplements, batch_size=500)
    with _times_as_given(Rating, "created_at"):
        Rating.objects.bulk_create(ratings, batch_size=500)
    DossierSequence.objects.bulk_create(
        [DossierSequence(agency_id=a, day=d, last=n) for (a, d), n in sequences.items()],
        batch_size=1000,
        ignore_conflicts=True,
    )
    recount_queue_counters()
    start = min(p["dossier"].submitted_at for p in plans).date()
    figures_reconcile(start, today, report=False)
    month = today.replace(day=1)
    for _ in range(13):
        figures_count_overdue(month - dt.timedelta(days=1))  # each month's end
        month = (month - dt.timedelta(days=1)).replace(day=1)
    figures_count_overdue(today - dt.timedelta(days=1))
    if stdout is not None:
        online = sum(1 for p in plans if p["dossier"].channel == Channel.ONLINE)
        stdout.write(f"Demo history: {len(plans)} dossiers over a year ({online * 100 // len(plans)} % online).")
    return len(plans)


# The seed district's record of cuts (DOMAIN.md), in the catalog's history: (procedures, year).
CUTS = [(3, 2025), (4, 2026)]


def _catalog_cuts() -> None:
    """Some procedures' legal time cut in a new version (through the catalog's services), each
    version dated as it took effect: the processing-time cuts report reads this history."""
    from procedures.models import ProcedureVersion
    from procedures.services import procedure_version_clone, procedure_version_publish, procedure_version_update_draft

    tz = timezone.get_current_timezone()
    current = list(
        ProcedureVersion.objects.filter(
            status="published", processing_time_unit="working_days", processing_time_value__gte=5
        ).order_by("procedure__code")
    )
    start = dt.datetime(2024, 1, 2, 8, tzinfo=tz)
    ProcedureVersion.objects.filter(pk__in=[v.pk for v in current]).update(published_at=start)
    chosen = iter(current)
    for count, year in CUTS:
        for i in range(count):
            old = next(chosen, None)
            if old is None:
                return
            draft = procedure_version_clone(version=old, change_note="Cắt giảm thời gian giải quyết")
            shorter = max(1, int(old.processing_time_value * 2 // 3))
            procedure_version_update_draft(version=draft, processing_time_value=shorter)
            new = procedure_version_publish(version=draft)
            effective = dt.datetime(year, 3 + 2 * i, 1, 8, tzinfo=tz)
            ProcedureVersion.objects.filter(pk=old.pk).update(retired_at=effective)
            ProcedureVersion.objects.filter(pk=new.pk).update(published_at=effective)


def _places(Agency) -> list[dict]:
    """The Lạc Thủy desks with their staff and the procedures each agency handles."""
    from portal.calendar import calendar_for
    from portal.constants import Role
    from portal.models import StaffMembership
    from procedures.models import ProcedureVersion

    district = Agency.objects.filter(code="H15.50").first()
    if district is None:
        return []
    staff = {}
    for m in StaffMembership.objects.filter(agency__code__startswith="H15.50").select_related("agency"):
        staff.setdefault(m.agency_id, {}).setdefault(m.role, m.user_id)
    district_staff = staff.get(district.pk, {})
    places = []
    for agency in Agency.objects.filter(code__startswith="H15.50", desks__isnull=False).distinct().order_by("code"):
        versions = list(
            ProcedureVersion.objects.filter(procedure__agencies=agency, published_at__isnull=False)
            .exclude(status="draft")
            .select_related("procedure")
            .prefetch_related("components", "fields", "fees")
            .order_by("procedure__code", "published_at")
        )
        if not versions:
            continue
        own = staff.get(agency.pk, {})
        officer = own.get(Role.DESK_OFFICER) or district_staff.get(Role.DESK_OFFICER)
        leader = own.get(Role.LEADER) or district_staff.get(Role.LEADER)
        specialist = own.get(Role.SPECIALIST) or district_staff.get(Role.SPECIALIST)
        if not (officer and leader and specialist):
            continue
        places.append(
            {
                "agency": agency,
                "desk": agency.desks.order_by("pk").first(),
                "versions": versions,
                "calendar": calendar_for(agency),
                "officer": officer,
                "leader": leader,
                "specialist": specialist if specialist != leader else district_staff.get(Role.SPECIALIST),
                "weight": 4 if agency.pk == district.pk else 1,
            }
        )
    return places


def _citizens(User, rng) -> list:
    password = make_password(None)
    people = []
    for i in range(1, CITIZENS + 1):
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        people.append(
            User(
                email=f"lichsu.{i:04d}@example.vn",
                full_name=name,
                national_id=f"0172{i:08d}",
                phone=f"0966{i:06d}",
                address="Huyện Lạc Thủy, tỉnh Hòa Bình",
                password=password,
            )
        )
    return User.objects.bulk_create(people)


def _community_teams(places, citizens) -> None:
    """A community digital team in each commune, three of the generated citizens its members, who
    file some of the commune's online dossiers for their neighbours."""
    from portal.models import CommunityTeam

    helpers = iter(citizens[-3 * len(places) :])
    for place in places:
        if place["agency"].level != "commune":
            continue
        team = CommunityTeam.objects.create(
            agency=place["agency"], name=f"Tổ công nghệ số cộng đồng {place['agency'].name.removeprefix('UBND ')}"
        )
        members = [next(helpers) for _ in range(3)]
        team.members.set(members)
        place["helpers"] = [m.pk for m in members]


def _working_moment(rng, cal, day: dt.date) -> dt.datetime:
    while not cal.is_working_day(day):
        day -= dt.timedelta(days=1)
    minutes = rng.randint(7 * 60 + 30, 16 * 60 + 30)
    return dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60), tzinfo=timezone.get_current_timezone())


def _plan(rng, place, citizens, today, now, sequences) -> dict | None:
    cal, agency = place["calendar"], place["agency"]
    online = rng.random() < ONLINE
    submitted = _working_moment(rng, cal, today - dt.timedelta(days=rng.randint(2, 365)))
    # The version in effect on the day of filing (the catalog's history, oldest first).
    in_effect = {}
    for v in place["versions"]:
        if v.published_at <= submitted or v.procedure_id not in in_effect:
            in_effect[v.procedure_id] = v
    versions = [v for v in in_effect.values() if v.accepts_online or not online]
    if not versions:
        return None
    version = rng.choice(versions)
    citizen = rng.choice(citizens)
    day = timezone.localtime(submitted).date()
    sequences[(agency.pk, day)] = n = sequences.get((agency.pk, day), 0) + 1
    code = f"{agency.code}-{day:%y%m%d}-{n:04d}"
    snapshot = profile_snapshot(citizen)
    d = Dossier(
        code=code,
        lookup_key="".join(rng.choice(LOOKUP_ALPHABET) for _ in range(6)),
        version=version,
        applicant=citizen,
        applicant_snapshot=snapshot,
        filer=citizen if online else _user(place["officer"]),
        filer_relation=FilerRelation.SELF,
        agency=agency,
        desk=place["desk"],
        channel=Channel.ONLINE if online else Channel.IN_PERSON,
        answers=sample_answers(version),
        delivery="desk",
        declaration_accepted=True,
        last_step="check",
        submitted_at=submitted,
        search_text=normalize_search(f"{code} {snapshot['full_name']} {snapshot['national_id']}")[:400],
    )
    if online and place.get("helpers") and rng.random() < ASSISTED:
        d.filer, d.filer_relation = _user(rng.choice(place["helpers"])), FilerRelation.COMMUNITY_HELPER
    d.created_at = submitted - dt.timedelta(minutes=20)
    events = [(Action.SUBMIT if online else Action.RECEIVE_AT_COUNTER, d.filer_id, submitted, Status.DRAFT)]
    plan = {"dossier": d, "events": events, "components": [], "result": False, "supplement": None, "rating": None}
    if online:
        plan["components"] = [c for c in version.components.all() if c.required and not c.replaced_by_eform]
    if online and rng.random() < REFUSED_AT_DESK:
        refused = submitted + dt.timedelta(hours=rng.randint(1, 20))
        d.stage, d.status, d.priority_at, d.finished_at = Stage.NOT_RECEIVED, Status.NOT_RECEIVED, refused, refused
        d.result_note = "Hồ sơ không thuộc thẩm quyền giải quyết."
        events.append((Action.REFUSE, place["officer"], refused, Status.NEW))
        d.updated_at = refused
        return plan
    received = submitted + dt.timedelta(hours=rng.randint(1, 20)) if online else submitted
    if online:
        events.append((Action.ACCEPT, place["officer"], received, Status.NEW))
    start = deadlines.clock_start(cal, received, paper=not online)
    due = deadlines.due_at(cal, start, version.processing_time_value, version.processing_time_unit)
    d.received_at, d.clock_started_at, d.due_at, d.priority_at = received, start, due, due
    if sum(f.amount for f in version.fees.all()) > 0:
        # Drawn from its own sequence, so the rest of the year is the same with or without fees.
        d.fee_status = FeeStatus.PAID
        d.paid_via = PayMethod.ONLINE if online and _fees_rng.random() < PAID_ONLINE else PayMethod.CASH
    span = max(due - start, dt.timedelta(hours=2))
    late = rng.random() < LATE
    finished = start + (span * rng.uniform(1.05, 1.6) if late else span * rng.uniform(0.25, 0.95))
    assigned = received + span * 0.1
    events.append((Action.ASSIGN, place["leader"], assigned, Status.RECEIVED))
    if rng.random() < WITH_SUPPLEMENT:
        asked = assigned + dt.timedelta(hours=2)
        plan["supplement"] = SupplementRequest(
            dossier=d,
            requested_by_id=place["specialist"],
            items=[{"kind": "field", "ref": "", "label": "Tờ khai", "reason": "Ghi rõ địa chỉ thường trú."}],
            return_status=Status.PROCESSING,
            created_at=asked,
            responded_at=min(asked + dt.timedelta(days=1), now),
        )
    if finished >= now:
        d.stage, d.status, d.assignee_id = Stage.APPRAISING, Status.PROCESSING, place["specialist"]
        d.updated_at = assigned
        return plan
    refused = rng.random() < REFUSED_AFTER_APPRAISAL
    events.append((Action.APPRAISE, place["specialist"], finished - (finished - assigned) / 2, Status.PROCESSING))
    events.append(
        (
            Action.REFUSE_AFTER_APPRAISAL if refused else Action.APPROVE,
            place["leader"],
            finished,
            Status.PROCESSING,
        )
    )
    d.assignee_id, d.finished_at = place["specialist"], finished
    d.outcome = Outcome.REFUSED if refused else Outcome.GRANTED
    d.appraisal_note = "Hồ sơ đầy đủ, hợp lệ." if not refused else "Không đủ điều kiện theo quy định."
    plan["result"] = bool(version.result_document) and not refused
    returned = finished + dt.timedelta(hours=rng.randint(1, 48))
    if returned < now:
        d.stage, d.status, d.returned_at = Stage.RETURNED, Status.RETURNED, returned
        d.returned_via = "Trao tận tay tại Bộ phận Một cửa"
        events.append((Action.RETURN_RESULT, place["officer"], returned, Status.RESULT_READY))
        if rng.random() < RATED:
            plan["rating"] = _rating(rng, d, citizen, returned, late, now)
    else:
        d.stage, d.status = Stage.RESULT_READY, Status.RESULT_READY
    d.updated_at = returned if d.returned_at else finished
    return plan


@contextlib.contextmanager
def _times_as_given(model, *names):
    """Let bulk_create keep the history's own times in fields that otherwise take the current time
    (auto_now_add, auto_now), for this load only."""
    fields = [model._meta.get_field(name) for name in names]
    kept = [(f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, (now, now_add) in zip(fields, kept, strict=True):
            f.auto_now, f.auto_now_add = now, now_add


def _user(pk):
    from portal.models import User

    return User(pk=pk)


def _rating(rng, d, citizen, returned, late, now) -> Rating:
    roll = rng.random()
    overall = "dissatisfied" if roll < 0.01 + (0.1 if late else 0) else "neutral" if roll < 0.04 else "satisfied"
    high = 5 if overall == "satisfied" else 3
    return Rating(
        dossier=d,
        rated_by=citizen,
        timeliness=high - (1 if late else 0),
        contacts=high,
        information_accuracy=rng.choice([high, max(1, high - 1)]),
        staff_attitude=high,
        cost=high,
        overall=overall,
        created_at=min(returned + dt.timedelta(hours=rng.randint(1, 72)), now - dt.timedelta(minutes=1)),
    )


def _chain(d, steps) -> list[DossierEvent]:
    """The dossier's events in order, each hashed on the one before (as event_append does)."""
    events, previous, status = [], "", Status.DRAFT
    targets = {
        Action.SUBMIT: Status.NEW,
        Action.RECEIVE_AT_COUNTER: Status.RECEIVED,
        Action.ACCEPT: Status.RECEIVED,
        Action.REFUSE: Status.NOT_RECEIVED,
        Action.ASSIGN: Status.PROCESSING,
        Action.APPRAISE: Status.PROCESSING,
        Action.APPROVE: Status.RESULT_READY,
        Action.REFUSE_AFTER_APPRAISAL: Status.RESULT_READY,
        Action.RETURN_RESULT: Status.RETURNED,
    }
    for action, actor, at, _before in steps:
        to_status = targets[action]
        event = DossierEvent(
            dossier=d,
            actor_id=actor,
            action=action,
            from_status=status,
            to_status=to_status,
            note="",
            public=action != Action.APPRAISE,
            data={},
            created_at=at.astimezone(dt.UTC),  # as the database gives it back, which the hash covers
            prev_hash=previous,
        )
        event.hash = event.compute_hash()
        previous, status = event.hash, to_status
        events.append(event)
    return events


def _file(d, component, name, at, *, is_result=False) -> Attachment:
    return Attachment(
        dossier=d,
        component=component,
        file=name,
        original_name="ket-qua.pdf" if is_result else f"ban-quet-{component.pk}.pdf",
        size=len(SCAN),
        sha256="",
        content_type="application/pdf",
        extension="pdf",
        uploaded_by_id=d.filer_id if not is_result else d.assignee_id,
        is_result=is_result,
        created_at=at,
    )


def _reuse(rng, plans):
    """A share of later online dossiers takes a file from the citizen's document store (an earlier
    dossier's file) instead of a new upload."""
    earlier: dict[int, int] = {}
    reused = []
    ordered = sorted(plans, key=lambda p: p["dossier"].submitted_at)
    ids = {
        dossier_id: pk
        for pk, dossier_id in Attachment.objects.filter(
            dossier_id__in=[p["dossier"].pk for p in plans], is_result=False
        ).values_list("pk", "dossier_id")
    }
    for plan in ordered:
        d = plan["dossier"]
        own = ids.get(d.pk)
        if own is None:
            continue
        if d.applicant_id in earlier and rng.random() < REUSED:
            reused.append((own, earlier[d.applicant_id]))
        earlier.setdefault(d.applicant_id, own)
    for pk, source in reused:
        Attachment.objects.filter(pk=pk).update(reused_from_id=source)
