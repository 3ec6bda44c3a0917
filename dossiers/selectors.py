"""Reads of the dossiers app. Access checks live here: a dossier that is missing and one that is
not yours give the same answer (None -> 404)."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dossiers.constants import Action, Channel, Stage, Status, status_colour
from dossiers.models import Attachment, Dossier, DossierEvent, InterAgencyTask, SupplementRequest
from dossiers.workflow import CONSULTED, DESK_OFFICER, ON_THE_SPOT, OWNER
from portal.labels import label
from portal.prepared import Prepared, prefetched


def is_owner(*, dossier: Dossier, user) -> bool:
    """The applicant, or whoever filed it online. Staff receiving a dossier at the counter are its
    filer on record but never its owner: it is not theirs to read once they leave the desk."""
    return user.pk == dossier.applicant_id or (user.pk == dossier.filer_id and dossier.channel == Channel.ONLINE)


def roles_for(*, dossier: Dossier, user) -> set[str]:
    """{OWNER} for the dossier's owner, and nothing else: nobody acts as staff on their own dossier
    (the desk hands it to a colleague). For anyone else, their staff roles in the dossier's agency (a
    desk officer tied to a desk: on that desk's dossiers and those tied to none, as the queue shows
    them), plus ON_THE_SPOT for a desk officer on a same-day procedure."""
    if not user or not user.is_authenticated:
        return set()
    if is_owner(dossier=dossier, user=user):
        return {OWNER}
    from portal.selectors import staff_memberships_of
    from procedures.constants import TimeUnit

    memberships = staff_memberships_of(user=user)
    roles = {
        m.role
        for m in memberships
        if m.agency_id == dossier.agency_id
        and not (m.role == DESK_OFFICER and m.desk_id and dossier.desk_id not in (None, m.desk_id))
    }
    if DESK_OFFICER in roles and dossier.version.processing_time_unit == TimeUnit.SAME_DAY:
        roles.add(ON_THE_SPOT)
    if dossier.stage == Stage.WAITING_OTHER_AGENCY and consulted_task(dossier=dossier, user=user) is not None:
        roles.add(CONSULTED)
    return roles


def consulted_task(*, dossier: Dossier, user, task_id: int | None = None) -> InterAgencyTask | None:
    """An open inter-agency task of the dossier sent to an agency the user is staff of (that one when
    `task_id` is given): what the user may reply to as the consulted agency. No query for someone
    who is staff of no other agency than the dossier's."""
    from portal.selectors import staff_memberships_of

    agencies = {m.agency_id for m in staff_memberships_of(user=user)} - {dossier.agency_id}
    if not agencies:
        return None
    tasks = InterAgencyTask.objects.filter(dossier=dossier, agency_id__in=agencies, replied_at__isnull=True)
    if task_id is not None:
        tasks = tasks.filter(pk=task_id)
    return tasks.order_by("sent_at", "id").first()


def _owned_by(user, prefix=""):
    """The dossiers `is_owner` gives the user, as a filter (`prefix` for a related model's)."""
    return Q(**{f"{prefix}applicant": user}) | Q(**{f"{prefix}filer": user, f"{prefix}channel": Channel.ONLINE})


def _detail_queryset():
    # Few joins on purpose: each joined table multiplies PostgreSQL's planning work, and with the
    # applicant and the filer (whom the pages do not show) it planned for 8 ms to read one row. The
    # version and its parts come from procedures.selectors.version_with_parts, the files, supplement
    # requests and inter-agency tasks from _with_parts, the events from timeline().
    return Dossier.objects.select_related("agency", "desk")


# A dossier page's related rows, compiled once per process (portal/prepared.py).
_ATTACHMENTS = Prepared(
    lambda pk: (
        Attachment.objects.filter(dossier_id=pk).select_related("component").order_by("component__order", "created_at")
    )
)
_SUPPLEMENTS = Prepared(lambda pk: SupplementRequest.objects.filter(dossier_id=pk).order_by("-created_at"))
_TASKS = Prepared(lambda pk: InterAgencyTask.objects.filter(dossier_id=pk).select_related("agency"))


def _with_version(dossier: Dossier | None) -> Dossier | None:
    """The dossier with its version, procedure, sector and the version's parts, which the catalog
    keeps in memory (they never change once published): four queries and three joins fewer a page."""
    if dossier is not None:
        from procedures.selectors import version_with_parts

        dossier.version = version_with_parts(pk=dossier.version_id)
    return dossier


def _with_parts(dossier: Dossier | None, *, supplements: bool = True, tasks: bool = False) -> Dossier | None:
    """The dossier with its version and parts (_with_version) and, as prefetch_related would give
    them to `dossier.attachments.all()` and the like, its files, supplement requests and (for staff)
    inter-agency tasks, each by a statement compiled once per process."""
    if dossier is None:
        return None
    prefetched(dossier, "attachments", _ATTACHMENTS(dossier.pk))
    if supplements:
        prefetched(dossier, "supplements", _SUPPLEMENTS(dossier.pk))
    if tasks:
        prefetched(dossier, "agency_tasks", _TASKS(dossier.pk))
    return _with_version(dossier)


CITIZEN_STEPS = {
    Action.SUBMIT: _("Đã nộp hồ sơ trực tuyến"),
    Action.ACCEPT: _("Hồ sơ được tiếp nhận, có ngày hẹn trả kết quả"),
    Action.RECEIVE_AT_COUNTER: _("Hồ sơ được tiếp nhận tại Bộ phận Một cửa"),
    Action.REFUSE: _("Hồ sơ không được tiếp nhận"),
    Action.REQUEST_SUPPLEMENT: _("Cơ quan yêu cầu bổ sung hồ sơ"),
    Action.SUBMIT_SUPPLEMENT: _("Đã nộp bổ sung hồ sơ"),
    Action.ASSIGN: _("Hồ sơ được chuyển đến chuyên viên xử lý"),
    Action.FORWARD: _("Hồ sơ được gửi lấy ý kiến cơ quan phối hợp"),
    Action.RECORD_REPLY: _("Đã có ý kiến của cơ quan phối hợp"),
    Action.APPROVE: _("Lãnh đạo đã phê duyệt kết quả"),
    Action.REFUSE_AFTER_APPRAISAL: _("Cơ quan từ chối giải quyết (có văn bản nêu lý do)"),
    Action.RETURN_RESULT: _("Đã trả kết quả"),
    Action.REQUEST_WITHDRAWAL: _("Bạn đã yêu cầu rút hồ sơ"),
    Action.CONFIRM_WITHDRAWAL: _("Yêu cầu rút hồ sơ được xác nhận"),
    Action.STOP_PROCESSING: _("Cơ quan dừng xử lý hồ sơ (có thông báo bằng văn bản)"),
    Action.ISSUE_EXTENSION: _("Cơ quan xin lỗi và hẹn lại ngày trả kết quả"),
    Action.CALENDAR_CHANGE: _("Ngày hẹn thay đổi theo lịch làm việc"),
}


@dataclass(frozen=True)
class TimelineEntry:
    """One event of a dossier as its pages show it, read as plain values: 20 events with their actors
    as model instances cost a dossier page more than the rest of its reads."""

    at: dt.datetime
    action: str
    to_status: str
    actor_name: str
    note: str

    @property
    def when(self) -> str:
        return timezone.localtime(self.at).strftime("%H:%M %d/%m/%Y")

    @property
    def action_label(self) -> str:
        return label(Action, self.action)

    @property
    def status_label(self) -> str:
        return label(Status, self.to_status)

    @property
    def step_label(self) -> str:
        """What happened, in the citizen's words: the status alone said "Đang xử lý" for every step
        of the back office."""
        text = CITIZEN_STEPS.get(self.action)
        return str(text) if text else self.status_label or self.action_label


def timeline(dossier: Dossier, *, public_only: bool = False) -> list[TimelineEntry]:
    """The dossier's events, oldest first. Staff pages show every one with who acted; the citizen's
    page and public tracking (`public_only`) show the public steps alone (never a draft's, an internal
    note such as an appraisal's, or who the dossier was assigned to) and no staff names."""
    if public_only:
        return [
            TimelineEntry(at, action, to_status or "", "", note or "")
            for at, action, to_status, note in _PUBLIC_EVENTS.values(dossier.pk)
        ]
    return [
        TimelineEntry(at, action, to_status or "", actor or "", note or "")
        for at, action, to_status, actor, note in _EVENTS.values(dossier.pk)
    ]


def _events(pk):
    return DossierEvent.objects.filter(dossier_id=pk).order_by("created_at", "id")


# A dossier page's history, compiled once per process (portal/prepared.py).
_EVENTS = Prepared(lambda pk: _events(pk).values_list("created_at", "action", "to_status", "actor__full_name", "note"))
_PUBLIC_EVENTS = Prepared(
    lambda pk: (
        _events(pk)
        .filter(public=True)
        .exclude(to_status=Status.DRAFT)
        .values_list("created_at", "action", "to_status", "note")
    )
)


def draft_get_for_user(*, user, public_id) -> Dossier | None:
    """A draft its filer is editing."""
    if not user.is_authenticated:
        return None
    draft = _detail_queryset().filter(public_id=public_id, filer=user, status=Status.DRAFT).first()
    return _with_parts(draft, supplements=False)  # a draft has none


# A dossier page's read by code, compiled once per process; who may read it is asked of the row read
# (is_owner, staff_may_see), since a condition on the person would change the statement's shape.
# The extension letter (Form 04) comes in the same statement: both pages show it.
_DOSSIER = Prepared(
    lambda code: _detail_queryset().select_related("extension").filter(code=code)[:1], stand_in="~code~"
)
_STAFF_DOSSIER = Prepared(
    lambda code: _detail_queryset().select_related("assignee", "extension").filter(code=code)[:1], stand_in="~code~"
)


def dossier_get_for_owner(*, user, code: str) -> Dossier | None:
    """A filed dossier for its applicant or filer (staff use the desk pages)."""
    if not user.is_authenticated:
        return None
    found = _DOSSIER(code)
    if not found or found[0].status == Status.DRAFT or not is_owner(dossier=found[0], user=user):
        return None
    return _with_parts(found[0])


def dossier_get_for_agencies(*, code: str, agency_ids) -> Dossier | None:
    """A filed dossier of one of these agencies (a partner system's), with its parts."""
    found = _DOSSIER(code)
    if not found or found[0].status == Status.DRAFT or found[0].agency_id not in set(agency_ids):
        return None
    return _with_parts(found[0])


def tasks_sent_to(*, agency_id: int, open_only: bool = True):
    """The inter-agency tasks sent to an agency, oldest first (`agency_task_open_idx` for the open
    ones, `agency_task_idx` for all), with their dossier's procedure and lead agency."""
    tasks = InterAgencyTask.objects.filter(agency_id=agency_id)
    if open_only:
        tasks = tasks.filter(replied_at__isnull=True)
    return tasks.select_related("dossier__version__procedure", "dossier__agency")


def task_get_for_agencies(*, task_id: int, agency_ids) -> InterAgencyTask | None:
    """One task sent to one of these agencies (a consulted agency's system), else None."""
    return (
        InterAgencyTask.objects.filter(pk=task_id, agency_id__in=list(agency_ids))
        .select_related("dossier__version__procedure", "dossier__agency", "agency")
        .first()
    )


def dossier_get_for_tracking(*, code: str, lookup_key: str) -> Dossier | None:
    code, key = (code or "").strip(), (lookup_key or "").strip().upper()
    if not code or not key:
        return None
    return (
        Dossier.objects.select_related("version__procedure", "agency")
        .filter(code=code, lookup_key=key)
        .exclude(status=Status.DRAFT)
        .first()
    )


@dataclass(frozen=True)
class OwnerRow:
    """A line of "my dossiers", read as plain values (a page of model instances with their procedure
    and agency cost more than the rest of the page)."""

    public_id: object
    code: str
    status: str
    updated_at: dt.datetime
    due_at: dt.datetime | None
    procedure_name: str
    agency_name: str

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT

    @property
    def status_label(self) -> str:
        return label(Status, self.status)

    @property
    def colour(self) -> str:
        return status_colour(self.status)

    @property
    def updated(self) -> str:
        return timezone.localtime(self.updated_at).strftime("%d/%m/%Y %H:%M")

    @property
    def due(self) -> str:
        return timezone.localtime(self.due_at).strftime("%d/%m/%Y") if self.due_at else ""


class _OwnerRows:
    """Slices of the owner's dossiers as OwnerRow values, for a Paginator."""

    FIELDS = ("public_id", "code", "status", "updated_at", "due_at", "version__procedure__name", "agency__name")

    def __init__(self, queryset):
        self.queryset = queryset

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        rows = self.queryset.values_list(*self.FIELDS)[index]
        return [OwnerRow(*row) for row in rows] if isinstance(index, slice) else OwnerRow(*rows)


def dossier_list_for_owner(*, user):
    """The user's dossiers (drafts included), last changed first, as OwnerRow values."""
    return _OwnerRows(Dossier.objects.filter(_owned_by(user)).order_by("-updated_at", "-id"))


def dossier_queryset_for_owner(*, user):
    """The user's dossiers (drafts included) with their procedure and agency, for the API's keyset
    pages (last changed first: updated_at, id)."""
    return (
        Dossier.objects.filter(_owned_by(user))
        .select_related("version__procedure", "agency")
        .order_by("-updated_at", "-id")
    )


def draft_expiry(dossier) -> dt.datetime:
    return dossier.updated_at + dt.timedelta(days=settings.DOSSIER_DRAFT_EXPIRY_DAYS)


def draft_expires_soon(dossier, *, now=None) -> bool:
    now = now or timezone.now()
    return dossier.is_draft and draft_expiry(dossier) - now <= dt.timedelta(days=settings.DOSSIER_DRAFT_WARNING_DAYS)


def attachment_get_for_user(*, user, public_id) -> Attachment | None:
    """A file for the dossier's owner (drafts included), or for staff who may see its dossier on the
    desk pages (never a draft's: an unsubmitted draft stays with its owner). Access follows the
    memberships of this request: a removed membership reads nothing more. The staff check asks the
    queue's own rule of the dossier read with the file (staff_may_see): as a subquery beside the
    owner's condition PostgreSQL hashed the agency's whole history on every download."""
    if not user.is_authenticated:
        return None
    from dossiers.queues import staff_may_see, staff_memberships

    attachment = Attachment.objects.select_related("dossier").filter(public_id=public_id).first()
    if attachment is None:
        return None
    if is_owner(dossier=attachment.dossier, user=user):
        return attachment if owner_may_see_file(attachment) else None
    return attachment if staff_may_see(staff_memberships(user), attachment.dossier) else None


def owner_may_see_file(attachment: Attachment) -> bool:
    """The specialist's draft result stays with the staff, even for the dossier's owner (who may also be
    staff of the agency: she reads her own dossier as its owner)."""
    return not attachment.is_result_draft


def current_files_for(dossier: Dossier, *, staff: bool) -> list[Attachment]:
    """The dossier's current files (its prefetched attachments) as its reader may see them: staff of
    its agency every one, its owner all but what owner_may_see_file keeps from her."""
    return [a for a in dossier.attachments.all() if a.is_current and (staff or owner_may_see_file(a))]


def documents_of_user(*, user, exclude_dossier=None):
    """The citizen's document store: current files they uploaded and results of their dossiers, newest
    first, one per distinct content."""
    files = (
        Attachment.objects.select_related("dossier__version__procedure", "component")
        .filter(
            (Q(uploaded_by=user) & _owned_by(user, prefix="dossier__")) | Q(is_result=True, dossier__applicant=user),
            is_current=True,
        )
        .order_by("-created_at")
    )
    seen, unique = set(), []
    for item in files[:200]:
        if item.sha256 in seen:
            continue
        seen.add(item.sha256)
        unique.append(item)
    return unique


def open_supplement(dossier: Dossier) -> SupplementRequest | None:
    return next((s for s in dossier.supplements.all() if s.is_open), None)


def supplement_already_requested(dossier: Dossier) -> SupplementRequest | None:
    """The request already made at the dossier's current step (the desk check or appraisal). The
    law asks for everything missing at once ("một lần đầy đủ"): one request per step, never two."""
    return next((s for s in dossier.supplements.all() if s.return_status == dossier.stage), None)


def staff_actions(*, dossier: Dossier, user) -> list[str]:
    """What this member of staff may do to the dossier now, in the workflow's order: the desk page's
    forms and the API's actions. A second supplement request at the same step is never offered."""
    from dossiers.workflow import CITIZEN_ACTIONS, allowed_actions

    actions = [
        a for a in allowed_actions(dossier.stage, roles_for(dossier=dossier, user=user)) if a not in CITIZEN_ACTIONS
    ]
    if Action.REQUEST_SUPPLEMENT in actions and supplement_already_requested(dossier) is not None:
        actions.remove(Action.REQUEST_SUPPLEMENT)
    if Action.REQUEST_PAYMENT in actions and not _asks_after_appraisal(dossier):
        actions.remove(Action.REQUEST_PAYMENT)
    return actions


def _asks_after_appraisal(dossier: Dossier) -> bool:
    """Whether the staff may ask this dossier for its fees: its procedure charges after appraisal
    and nothing was asked yet."""
    from procedures.constants import PaymentStage
    from procedures.selectors import version_charges, version_with_parts

    if dossier.fee_status:
        return False
    version = version_with_parts(pk=dossier.version_id)
    return version.payment_stage == PaymentStage.AFTER_APPRAISAL and version_charges(version)


def owner_actions(*, dossier: Dossier, user) -> list[str]:
    """What the dossier's owner may do now (supplement, withdraw, rate): the dossier page's buttons
    and the API's. A dossier is rated once."""
    from dossiers.workflow import CITIZEN_ACTIONS, allowed_actions

    actions = [a for a in allowed_actions(dossier.stage, roles_for(dossier=dossier, user=user)) if a in CITIZEN_ACTIONS]
    if Action.RATE in actions and hasattr(dossier, "rating"):
        actions.remove(Action.RATE)
    return actions


def dossier_filed_from_draft(*, user, public_id) -> Dossier | None:
    """The filed dossier a draft became, for its filer (so a resent submit lands on its confirmation)."""
    if not user.is_authenticated:
        return None
    return (
        Dossier.objects.filter(public_id=public_id, filer=user, channel=Channel.ONLINE)
        .exclude(status=Status.DRAFT)
        .first()
    )


def dossier_get_for_staff(*, user, code: str) -> Dossier | None:
    """A filed dossier for staff of its agency (and desk); others get None, as for a missing one."""
    from dossiers.queues import staff_may_see, staff_memberships

    memberships = staff_memberships(user)
    if not memberships:
        return None
    found = _STAFF_DOSSIER(code)
    if not found or not staff_may_see(memberships, found[0]):
        return None
    # The inter-agency tasks matter only while the dossier waits for their replies (the reply form);
    # their history is in the timeline. Other stages skip the statement.
    return _with_parts(found[0], tasks=found[0].stage == Stage.WAITING_OTHER_AGENCY)


def specialists_of(agency_id):
    from portal.constants import Role
    from portal.models import User

    return (
        User.objects.filter(memberships__agency_id=agency_id, memberships__role=Role.SPECIALIST, is_active=True)
        .distinct()
        .order_by("full_name")
    )


def partner_agencies(exclude_id):
    from portal.models import Agency

    return Agency.objects.filter(is_active=True).exclude(pk=exclude_id).order_by("code")


def extension_draft(dossier: Dossier) -> DossierEvent | None:
    """The latest Form 04 draft by a specialist (its data: new_date, reason), if any."""
    return (
        DossierEvent.objects.select_related("actor")
        .filter(dossier=dossier, action=Action.DRAFT_EXTENSION)
        .order_by("-created_at", "-id")
        .first()
    )


@dataclass(frozen=True)
class SupplementItem:
    label: str
    reason: str
    replaced: list  # the files this item's component had before the request and no longer has
    added: list  # the files the citizen uploaded for it in answer


def supplement_history(dossier: Dossier) -> list[tuple]:
    """Each supplement request, newest first, as (request, items, number): what was asked and, for
    each document asked for, which files the answer replaced and which it added (from the
    prefetched attachments)."""
    files = list(dossier.attachments.all())
    history = []
    for request in dossier.supplements.all():
        until = request.responded_at
        items = []
        for item in request.items:
            replaced, added = [], []
            if item["kind"] == "component":
                mine = [f for f in files if f.component_id == int(item["ref"])]
                added = [f for f in mine if f.created_at >= request.created_at and (not until or f.created_at <= until)]
                replaced = [
                    f
                    for f in mine
                    if f.created_at < request.created_at and f.superseded_at and f.superseded_at >= request.created_at
                ]
            items.append(SupplementItem(item["label"], item["reason"], replaced, added))
        history.append((request, items))
    # With each request its number (1 for the first made), which its Form 02 carries.
    return [(request, items, len(history) - i) for i, (request, items) in enumerate(history)]


def first_event_dates(dossiers, *, action: str) -> dict:
    """{dossier id: when `action` first happened} for a page of dossiers, in one query."""
    from django.db.models import Min

    rows = (
        DossierEvent.objects.filter(dossier_id__in=[d.pk for d in dossiers], action=action)
        .values("dossier_id")
        .annotate(first=Min("created_at"))
    )
    return {row["dossier_id"]: row["first"] for row in rows}


def _figure_rows(agency_ids, start, end):
    """The daily figures of these agencies (all when None), those of start..end (all time when
    None), and the day whose nightly count of open dossiers past due stands for the period's end:
    its last day, or yesterday for a period that ends today or later."""
    from dossiers.models import DailyFigures

    rows = DailyFigures.objects.all()
    if agency_ids is not None:
        rows = rows.filter(agency_id__in=agency_ids)
    period = rows
    if start is not None:
        period = period.filter(day__gte=start)
    if end is not None:
        period = period.filter(day__lte=end)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    return rows, period, min(end, yesterday) if end is not None else yesterday


def _summed():
    from django.db.models import Sum

    from dossiers.models.figures import FIGURE_COLUMNS

    # Aliases apart from the column names: an aggregate named like a column hides it from the others.
    return {
        **{f"sum_{c}": Sum(c) for c in FIGURE_COLUMNS},
        "sum_online": Sum("received", filter=Q(channel=Channel.ONLINE)),
    }


def _split(row: dict) -> tuple[dict, int]:
    online = row.pop("sum_online") or 0
    return {name.removeprefix("sum_"): n or 0 for name, n in row.items() if name.startswith("sum_")}, online


def figures_sum(*, agency_ids, start: dt.date | None, end: dt.date | None) -> tuple[dict, int, int]:
    """The period's figures of these agencies: (sums by column, received online, open dossiers
    past due at the end)."""
    from django.db.models import Sum

    rows, period, counted_day = _figure_rows(agency_ids, start, end)
    sums, online = _split(period.aggregate(**_summed()))
    overdue = rows.filter(day=counted_day).aggregate(n=Sum("overdue_open"))["n"] or 0
    return sums, online, overdue


def figures_by(*, field: str, agency_ids, start: dt.date | None, end: dt.date | None) -> dict:
    """The period's figures per `field` ("agency_id" or "procedure_id"): {key: (sums, received online,
    open past due at the end)}, in two grouped reads of the daily figures."""
    from django.db.models import Sum

    rows, period, counted_day = _figure_rows(agency_ids, start, end)
    overdue = dict(
        rows.filter(day=counted_day).values(field).annotate(n=Sum("overdue_open")).order_by().values_list(field, "n")
    )
    result = {}
    for row in period.values(field).annotate(**_summed()).order_by():
        key = row.pop(field)
        sums, online = _split(row)
        result[key] = (sums, online, overdue.get(key) or 0)
    for key, n in overdue.items():
        if key not in result and n:
            result[key] = ({}, 0, n)
    return result


# The dossiers behind a figure (the leader dashboard's drill-down), by the rules of dossiers/figures.py.
FIGURE_LISTS = ("received", "finished", "finished_on_time", "finished_late", "overdue_open")


def _late() -> Q:
    """figures.is_late as a condition (tests/dossiers/test_indicators.py holds the two together)."""
    return Q(finished_at__gt=F("due_at")) | Q(supplement_requests__gt=1) | Q(extension__isnull=False)


# A breakdown's row as a condition on the dossiers (the dashboard's "part" of a figure).
PART_FILTERS = {
    "desk": lambda key: Q(desk__isnull=True) if key == "0" else Q(desk_id=int(key)),
    "sector": lambda key: Q(version__procedure__sector_id=int(key)),
    "procedure": lambda key: Q(version__procedure_id=int(key)),
    "channel": lambda key: Q(channel=key) if key in Channel.values else None,
}


def figure_dossiers(*, figure: str, agency_ids, start: dt.date, end: dt.date, part: tuple[str, str] | None = None):
    """The dossiers counted in `figure` for these agencies over start..end (and, given a breakdown's
    `part` such as ("procedure", "12"), in that row), newest first. ValueError for an unknown part."""
    from django.db.models import Count

    from dossiers.figures import day_bounds

    low, high = day_bounds(start, end)
    rows = Dossier.objects.filter(agency_id__in=agency_ids) if agency_ids is not None else Dossier.objects.all()
    if part is not None:
        condition = PART_FILTERS[part[0]](part[1]) if part[0] in PART_FILTERS else None
        if condition is None:
            raise ValueError(part)
        rows = rows.filter(condition)
    if figure == "received":
        return rows.filter(received_at__gte=low, received_at__lt=high).order_by("-received_at", "-id")
    if figure == "overdue_open":
        counted_end = day_bounds(*(2 * [min(end, timezone.localdate() - dt.timedelta(days=1))]))[1]
        return (
            rows.filter(received_at__lt=counted_end, due_at__lt=counted_end)
            .filter(Q(finished_at__isnull=True) | Q(finished_at__gte=counted_end))
            .order_by("due_at", "id")
        )
    finished = rows.filter(received_at__isnull=False, finished_at__gte=low, finished_at__lt=high).annotate(
        supplement_requests=Count("supplements")
    )
    if figure == "finished_on_time":
        finished = finished.exclude(_late())
    elif figure == "finished_late":
        finished = finished.filter(_late())
    elif figure != "finished":
        raise ValueError(figure)
    return finished.order_by("-finished_at", "-id")


def figures_by_month(*, agency_ids, start: dt.date, end: dt.date) -> dict[dt.date, tuple[dict, int, int]]:
    """The figures of each month from start to end: {first day of the month: (sums, online, 0)}."""
    from django.db.models.functions import TruncMonth

    _rows, period, _day = _figure_rows(agency_ids, start, end)
    return {
        row.pop("month"): (*_split(row), 0)
        for row in period.annotate(month=TruncMonth("day")).values("month").annotate(**_summed()).order_by()
    }


def assisted_filings(*, members: list[int], agency_ids, start: dt.date, end: dt.date) -> dict[int, int]:
    """Dossiers filed online on a citizen's behalf ("community_helper") by each of these people over
    start..end at these agencies: {filer id: count}. Read by the filers' index, so it grows with the
    helpers' own filings only."""
    from django.db.models import Count

    from dossiers.constants import FilerRelation
    from dossiers.figures import day_bounds

    low, high = day_bounds(start, end)
    rows = Dossier.objects.filter(
        filer_id__in=members,
        filer_relation=FilerRelation.COMMUNITY_HELPER,
        submitted_at__gte=low,
        submitted_at__lt=high,
    )
    if agency_ids is not None:
        rows = rows.filter(agency_id__in=agency_ids)
    return dict(rows.values("filer_id").annotate(n=Count("id")).order_by().values_list("filer_id", "n"))


def indicator_scope(*, user) -> list[int]:
    """The agencies whose indicators the person may read: every agency for a superuser, a leader's
    agencies and everything under them; nobody else's."""
    from portal.constants import Role
    from portal.selectors import agency_subtree_ids, agency_tree, staff_memberships_of

    if user.is_superuser:
        return sorted(agency_tree())
    tree = agency_tree()
    ids: set[int] = set()
    for m in staff_memberships_of(user=user):
        if m.role == Role.LEADER and m.agency_id in tree:
            ids.update(agency_subtree_ids(code=tree[m.agency_id][0]) or [])
    return sorted(ids)


def issued_document(*, public_id=None, sha256: str = ""):
    """The issued document a QR code names, or the latest whose file has this SHA-256."""
    from dossiers.models import IssuedDocument

    documents = IssuedDocument.objects.select_related("agency")
    if public_id is not None:
        return documents.filter(public_id=public_id).first()
    return documents.filter(sha256=sha256).order_by("-issued_at").first()


def newer_version_exists(document) -> bool:
    """The document was reissued since (its QR names an older version)."""
    from dossiers.models import IssuedDocument

    return IssuedDocument.objects.filter(
        dossier_id=document.dossier_id, number=document.number, index=document.index, version__gt=document.version
    ).exists()


def result_documents(dossier) -> dict:
    """The issued documents of a dossier's results, by the attachment the citizen downloads."""
    from dossiers.models import IssuedDocument

    rows = IssuedDocument.objects.filter(dossier=dossier, number=IssuedDocument.RESULT, attachment__isnull=False)
    return {d.attachment_id: d for d in rows}
