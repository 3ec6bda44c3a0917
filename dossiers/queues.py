"""Reads for the desk and back office: who sees which dossiers, the queue tabs, keyset pages."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dossiers.constants import Stage
from dossiers.models import Dossier
from dossiers.workflow import DESK_OFFICER, LEADER, SPECIALIST
from portal.calendar import calendar_for
from procedures.text import normalize_search

S = Stage
IN_PROGRESS = [S.RECEIVED, S.APPRAISING, S.WAITING_OTHER_AGENCY, S.AWAITING_APPROVAL, S.INTAKE_SUPPLEMENT,
               S.PROCESSING_SUPPLEMENT, S.AWAITING_PAYMENT]
OPEN_STAGES = [S.CHECKING, *IN_PROGRESS, S.WITHDRAWAL_REQUESTED, S.RESULT_READY]


@dataclass(frozen=True)
class Tab:
    key: str
    label: str
    roles: frozenset

    def condition(self, user) -> Q:
        return TAB_CONDITIONS[self.key](user)


TABS = [
    Tab("check", _("Hồ sơ mới cần kiểm tra"), frozenset({DESK_OFFICER})),
    Tab("supplemented", _("Hồ sơ đã bổ sung"), frozenset({DESK_OFFICER, SPECIALIST})),
    Tab("to_assign", _("Chờ phân công"), frozenset({LEADER})),
    Tab("to_appraise", _("Tôi đang thẩm định"), frozenset({SPECIALIST, DESK_OFFICER})),
    Tab("to_approve", _("Chờ phê duyệt"), frozenset({LEADER})),
    Tab("in_progress", _("Đang giải quyết"), frozenset({DESK_OFFICER, SPECIALIST, LEADER})),
    Tab("results", _("Kết quả chờ trả"), frozenset({DESK_OFFICER})),
    Tab("withdrawals", _("Yêu cầu rút hồ sơ"), frozenset({DESK_OFFICER, LEADER})),
    Tab("all", _("Tất cả"), frozenset({DESK_OFFICER, SPECIALIST, LEADER})),
]
TAB_CONDITIONS = {
    "check": lambda user: Q(stage=S.CHECKING),
    "supplemented": lambda user: Q(stage=S.CHECKING, previous_stage=S.INTAKE_SUPPLEMENT)
    | Q(stage=S.APPRAISING, previous_stage=S.PROCESSING_SUPPLEMENT),
    "to_assign": lambda user: Q(stage=S.RECEIVED),
    "to_appraise": lambda user: Q(stage__in=[S.APPRAISING, S.WAITING_OTHER_AGENCY], assignee=user),
    "to_approve": lambda user: Q(stage=S.AWAITING_APPROVAL),
    "in_progress": lambda user: Q(stage__in=IN_PROGRESS),
    "results": lambda user: Q(stage=S.RESULT_READY),
    "withdrawals": lambda user: Q(stage=S.WITHDRAWAL_REQUESTED),
    "all": lambda user: ~Q(stage=S.DRAFT),
}


def staff_memberships(user):
    from portal.models import StaffMembership

    if not user.is_authenticated:
        return []
    return list(StaffMembership.objects.filter(user=user).exclude(role="catalog_admin").select_related("agency"))


def visible_to(memberships) -> Q:
    """Dossiers of the staff member's agencies; a desk officer tied to a desk sees that desk's."""
    condition = Q(pk__in=[])
    for m in memberships:
        if m.role == DESK_OFFICER and m.desk_id:
            condition |= Q(agency_id=m.agency_id, desk_id=m.desk_id) | Q(agency_id=m.agency_id, desk__isnull=True)
        else:
            condition |= Q(agency_id=m.agency_id)
    return condition & ~Q(stage=S.DRAFT)


def tabs_for(memberships) -> list[Tab]:
    roles = {m.role for m in memberships}
    return [tab for tab in TABS if tab.roles & roles]


def tab_counts(*, user, memberships, tabs) -> dict[str, int]:
    """Every tab's count in one query."""
    aggregates = {tab.key: Count("id", filter=tab.condition(user)) for tab in tabs}
    return Dossier.objects.filter(visible_to(memberships)).aggregate(**aggregates) if tabs else {}


@dataclass
class Filters:
    q: str = ""
    procedure: str = ""
    sector: str = ""
    channel: str = ""
    status: str = ""
    due: str = ""  # "soon" (within one working day) or "overdue"
    mine: bool = False


def due_soon_limit(memberships, now) -> dt.datetime:
    agency = memberships[0].agency if memberships else None
    cal = calendar_for(agency)
    from dossiers.deadlines import end_of_day

    return end_of_day(cal, cal.add_working_days(timezone.localtime(now).date(), 1))


def queue(*, user, memberships, tab: Tab, filters: Filters, now=None):
    now = now or timezone.now()
    rows = Dossier.objects.filter(visible_to(memberships), tab.condition(user))
    if filters.q:
        words = normalize_search(filters.q).split()
        for word in words:
            rows = rows.filter(search_text__contains=word)
    if filters.procedure:
        rows = rows.filter(version__procedure__code=filters.procedure)
    if filters.sector:
        rows = rows.filter(version__procedure__sector__code=filters.sector)
    if filters.channel:
        rows = rows.filter(channel=filters.channel)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.due == "overdue":
        rows = rows.filter(priority_at__lt=now, stage__in=OPEN_STAGES)
    elif filters.due == "soon":
        rows = rows.filter(priority_at__gte=now, priority_at__lte=due_soon_limit(memberships, now),
                           stage__in=OPEN_STAGES)
    if filters.mine:
        rows = rows.filter(assignee=user)
    return rows.select_related("version__procedure", "agency", "assignee").order_by("priority_at", "id")


EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def encode_cursor(dossier) -> str:
    """Exact integer microseconds (a float would round them) and the id."""
    if dossier.priority_at is None:
        return f"_{dossier.pk}"
    return f"{(dossier.priority_at - EPOCH) // dt.timedelta(microseconds=1)}_{dossier.pk}"


def keyset_page(rows, *, after: str = "", size: int = 25):
    """One page after the cursor (priority_at, id) and the cursor of the next page, if any. Rows
    without priority_at (none after submission) come last."""
    if after:
        stamp, _, pk = after.partition("_")
        try:
            pk = int(pk)
            if stamp:
                at = EPOCH + dt.timedelta(microseconds=int(stamp))
                rows = rows.filter(Q(priority_at__gt=at) | Q(priority_at=at, pk__gt=pk) | Q(priority_at__isnull=True))
            else:
                rows = rows.filter(priority_at__isnull=True, pk__gt=pk)
        except (ValueError, OverflowError):
            pass  # a malformed cursor shows the first page
    items = list(rows[: size + 1])
    next_cursor = encode_cursor(items[size - 1]) if len(items) > size else ""
    return items[:size], next_cursor


def urgency(dossier, *, now, soon) -> str:
    if dossier.priority_at is None or dossier.stage not in OPEN_STAGES:
        return ""
    if dossier.priority_at < now:
        return "overdue"
    if dossier.priority_at <= soon:
        return "soon"
    return ""


def register_rows(*, memberships, start: dt.date, end: dt.date, desk_code: str = ""):
    """Form 06: the dossiers submitted in [start, end] that the staff member may see, oldest first."""
    rows = (Dossier.objects.filter(visible_to(memberships), submitted_at__date__gte=start,
                                   submitted_at__date__lte=end)
            .select_related("version__procedure").order_by("submitted_at", "id"))
    return rows.filter(desk__code=desk_code) if desk_code else rows


def procedures_of(memberships):
    """(code, name) of the procedures the staff member's agencies handle, for the queue filter."""
    from procedures.models import Procedure

    return (Procedure.objects.filter(agencies__in=[m.agency_id for m in memberships]).distinct()
            .order_by("name").values_list("code", "name"))
