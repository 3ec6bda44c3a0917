"""Reads for the desk and back office: who sees which dossiers, the queue tabs, keyset pages."""

import datetime as dt
import functools
from dataclasses import dataclass, replace

from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.db.models.fields.json import KT
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dossiers.constants import (
    IN_PROGRESS_STAGES,
    RESUPPLIED,
    RESUPPLIED_FROM,
    STAGE_STATUS,
    Channel,
    Stage,
    status_colour,
)
from dossiers.models import Dossier, QueueCounter
from dossiers.workflow import DESK_OFFICER, LEADER, SPECIALIST
from portal.cache import reference
from portal.calendar import calendar_for
from portal.labels import label
from portal.selectors import agency_desk_count
from procedures.text import normalize_search

S = Stage
IN_PROGRESS = IN_PROGRESS_STAGES
OPEN_STAGES = [S.CHECKING, *IN_PROGRESS, S.WITHDRAWAL_REQUESTED, S.RESULT_READY]
FILED_STAGES = [stage for stage in Stage if stage != S.DRAFT]
# Stages where a tab asks whose dossier it is; elsewhere the counters do not split by assignee.
ASSIGNED_STAGES = {S.APPRAISING, S.WAITING_OTHER_AGENCY}


@dataclass(frozen=True)
class Tab:
    """A queue tab: the stages it shows, narrowed to dossiers back from a supplement (`resupplied`) or
    to the user's own (`mine`). Rows and counts both follow from these fields."""

    key: str
    label: str
    roles: frozenset
    stages: tuple
    resupplied: bool = False
    mine: bool = False
    newest_first: bool = False
    # The predicate of a partial index on (agency, priority_at, id) made for this tab: then one scan
    # per scope reads the tab in order, instead of one per stage.
    index_where: Q | None = None


TABS = [
    Tab("check", _("Hồ sơ mới cần kiểm tra"), frozenset({DESK_OFFICER}), (S.CHECKING,)),
    Tab(
        "supplemented",
        _("Hồ sơ đã bổ sung"),
        frozenset({DESK_OFFICER, SPECIALIST}),
        tuple(RESUPPLIED_FROM),
        resupplied=True,
        index_where=RESUPPLIED,
    ),
    Tab("to_assign", _("Chờ phân công"), frozenset({LEADER}), (S.RECEIVED,)),
    Tab(
        "to_appraise",
        _("Tôi đang thẩm định"),
        frozenset({SPECIALIST, DESK_OFFICER}),
        (S.APPRAISING, S.WAITING_OTHER_AGENCY),
        mine=True,
    ),
    Tab("to_approve", _("Chờ phê duyệt"), frozenset({LEADER}), (S.AWAITING_APPROVAL,)),
    Tab(
        "in_progress",
        _("Đang giải quyết"),
        frozenset({DESK_OFFICER, SPECIALIST, LEADER}),
        tuple(IN_PROGRESS),
        index_where=Q(stage__in=IN_PROGRESS),
    ),
    Tab("results", _("Kết quả chờ trả"), frozenset({DESK_OFFICER}), (S.RESULT_READY,)),
    Tab("withdrawals", _("Yêu cầu rút hồ sơ"), frozenset({DESK_OFFICER, LEADER}), (S.WITHDRAWAL_REQUESTED,)),
    # The history tab: the newest first, since the oldest of three years is what nobody looks for.
    Tab(
        "all",
        _("Tất cả"),
        frozenset({DESK_OFFICER, SPECIALIST, LEADER}),
        tuple(FILED_STAGES),
        newest_first=True,
        index_where=~Q(stage=S.DRAFT),
    ),
]


def counter_cell(dossier) -> tuple | None:
    """The QueueCounter cell a dossier is counted in, or None for a draft (not in any queue)."""
    if dossier.stage == S.DRAFT:
        return None
    resupplied = bool(dossier.previous_stage) and RESUPPLIED_FROM.get(dossier.stage) == dossier.previous_stage
    assignee = (dossier.assignee_id or 0) if dossier.stage in ASSIGNED_STAGES else 0
    return (dossier.agency_id, dossier.desk_id or 0, str(dossier.stage), resupplied, assignee)


def staff_memberships(user):
    """The user's memberships that work on dossiers (catalog admins do not)."""
    from portal.selectors import staff_memberships_of

    return [m for m in staff_memberships_of(user=user) if m.role != "catalog_admin"]


@dataclass(frozen=True)
class Scope:
    """The dossiers of one agency a staff member sees: all of them, or (desk_ids set) those of the
    desk officer's desks plus the ones tied to no desk."""

    agency_id: int
    desk_ids: tuple = ()

    def dossiers(self) -> Q:
        if not self.desk_ids:
            return Q(agency_id=self.agency_id)
        return Q(agency_id=self.agency_id) & (Q(desk_id__in=self.desk_ids) | Q(desk__isnull=True))

    def contains(self, dossier) -> bool:
        """dossiers() asked of one dossier already read (staff_may_see)."""
        if dossier.agency_id != self.agency_id:
            return False
        return not self.desk_ids or dossier.desk_id is None or dossier.desk_id in self.desk_ids

    def counter_cells(self) -> tuple[str, list]:
        """The QueueCounter cells of this scope, as an SQL condition and its parameters (tab_counts
        writes its statement out): the agency's cells, or its desks' plus those tied to no desk (0)."""
        if not self.desk_ids:
            return "agency_id = %s", [self.agency_id]
        desks = [*self.desk_ids, 0]
        return f"(agency_id = %s AND desk_id IN ({', '.join(['%s'] * len(desks))}))", [self.agency_id, *desks]


def scopes_of(memberships) -> list[Scope]:
    """One scope per agency; a membership that sees the whole agency wins over a desk's, and so do
    desks that are all the agency has (the usual commune with one desk). That keeps the desk
    condition, which no queue index orders by, out of the common case."""
    desks_by_agency: dict[int, set] = {}
    own: dict[int, set] = {}  # per agency, the desks of desk-officer memberships that are the agency's
    counted = {}
    for m in memberships:
        desk = m.desk_id if m.role == DESK_OFFICER and m.desk_id else None
        desks_by_agency.setdefault(m.agency_id, set()).add(desk)
        if desk is not None:
            counted[m.agency_id] = m
            if m.desk.agency_id == m.agency_id:
                own.setdefault(m.agency_id, set()).add(desk)
    return [
        Scope(
            agency,
            ()
            if None in desks or len(own.get(agency, ())) >= agency_desk_count(counted[agency])
            else tuple(sorted(desks)),
        )
        for agency, desks in sorted(desks_by_agency.items())
    ]


def visible_to(memberships) -> Q:
    """Dossiers of the staff member's agencies; a desk officer tied to a desk sees that desk's."""
    condition = Q(pk__in=[])
    for scope in scopes_of(memberships):
        condition |= scope.dossiers()
    return condition & ~Q(stage=S.DRAFT)


def staff_may_see(memberships, dossier) -> bool:
    """visible_to() asked of one dossier already read by its key: the staff dossier page and a file's
    download read the dossier by its code or key, then ask this. tests/dossiers/test_staff_may_see.py
    holds the two to the same answers."""
    return dossier.stage != S.DRAFT and any(scope.contains(dossier) for scope in scopes_of(memberships))


def tabs_for(memberships) -> list[Tab]:
    roles = {m.role for m in memberships}
    return [tab for tab in TABS if tab.roles & roles]


def tab_counts(*, user, memberships, tabs) -> dict[str, int]:
    """Every tab's count from the counter cells of the user's scopes: a few rows per agency, whatever
    its history, summed here. The statement is written out (Scope.counter_cells()): on every
    queue page, compiling it as a queryset cost more than running it."""
    if not tabs:
        return {}
    conditions, params = [], []
    for scope in scopes_of(memberships):
        condition, values = scope.counter_cells()
        conditions.append(condition)
        params += values
    counts = dict.fromkeys((tab.key for tab in tabs), 0)
    if not conditions:
        return counts
    table = connection.ops.quote_name(QueueCounter._meta.db_table)
    # The table name is the model's, the conditions placeholders; every value is a parameter.
    sql = f"SELECT stage, resupplied, assignee_id, n FROM {table} WHERE {' OR '.join(conditions)}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        cells = cursor.fetchall()
    user_id = user.pk  # request.user is a lazy object: each attribute read costs a call
    for stage, resupplied, assignee, n in cells:
        for tab in tabs:
            if stage in tab.stages and (resupplied or not tab.resupplied) and (assignee == user_id or not tab.mine):
                counts[tab.key] += n
    return counts


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
    """The end of the next working day: a dossier due by then is "due soon"."""
    agency = memberships[0].agency if memberships else None
    today = timezone.localtime(now).date()

    def build():
        from dossiers.deadlines import end_of_day

        cal = calendar_for(agency)
        return end_of_day(cal, cal.add_working_days(today, 1))

    return reference(f"desk-soon:{agency.pk if agency else 0}:{today.isoformat()}", build)


EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def encode_cursor(priority_at, pk) -> str:
    """Exact integer microseconds (a float would round them) and the id."""
    return f"{(priority_at - EPOCH) // dt.timedelta(microseconds=1)}_{pk}"


def decode_cursor(after: str):
    """(priority_at, id) of the last row of the previous page, or None (a malformed cursor shows the
    first page)."""
    stamp, _sep, pk = (after or "").partition("_")
    try:
        return EPOCH + dt.timedelta(microseconds=int(stamp)), int(pk)
    except (ValueError, OverflowError):
        return None


def _after(cursor, newest_first: bool) -> Q:
    """Rows past the cursor. The plain bound on priority_at lets the index scan start at the cursor;
    the rest settles ties on the id."""
    at, pk = cursor
    if newest_first:
        return Q(priority_at__lte=at) & (Q(priority_at__lt=at) | Q(pk__lt=pk))
    return Q(priority_at__gte=at) & (Q(priority_at__gt=at) | Q(pk__gt=pk))


def _common(*, user_id, tab: Tab, filters: Filters, now, soon=None, words: bool = True) -> Q:
    """The filters every branch of the tab shares (without the searched words when `words` is off);
    `soon` is the due-soon limit, asked only for that filter."""
    from procedures.models import ProcedureVersion

    common = Q()
    for word in normalize_search(filters.q).split() if words else ():
        common &= Q(search_text__contains=word)
    if filters.procedure:
        common &= Q(version__in=ProcedureVersion.objects.filter(procedure__code=filters.procedure).values("id"))
    if filters.sector:
        common &= Q(version__in=ProcedureVersion.objects.filter(procedure__sector__code=filters.sector).values("id"))
    if filters.channel:
        common &= Q(channel=filters.channel)
    if filters.due == "overdue":
        common &= Q(priority_at__lt=now)
    elif filters.due == "soon":
        common &= Q(priority_at__gte=now, priority_at__lte=soon)
    if tab.mine or filters.mine:
        common &= Q(assignee_id=user_id)
    return common


@dataclass(frozen=True, slots=True)
class QueueRow:
    """What a queue row shows (templates/dossiers/desk/_queue_rows.html), read as plain values: a page
    of model instances, with their procedure and assignee, cost more than the rest of the page's reads."""

    pk: int
    code: str
    channel: str
    status: str
    stage: str
    priority_at: dt.datetime | None
    applicant_name: str
    procedure_name: str
    assignee_name: str

    @property
    def channel_label(self) -> str:
        return label(Channel, self.channel)

    @property
    def stage_label(self) -> str:
        return label(Stage, self.stage)

    @property
    def colour(self) -> str:
        return status_colour(self.status)

    @property
    def procedure_short(self) -> str:
        return shorten(self.procedure_name, 60)


def shorten(text: str, limit: int) -> str:
    """Django's truncatechars for one line of plain text, without its per-call machinery."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


_ROW_COLUMNS = (
    "id",
    "code",
    "channel",
    "status",
    "stage",
    "priority_at",
    KT("applicant_snapshot__full_name"),
    "version__procedure__name",
    "assignee__full_name",
)


@functools.lru_cache(maxsize=64)
def _rows_sql(vendor: str, n: int) -> tuple[str, tuple]:
    """The SQL reading n rows by id, compiled once per page length with stand-ins -1..-n for the ids."""
    stand_ins = [-1 - i for i in range(n)]
    return Dossier.objects.filter(pk__in=stand_ins).values_list(*_ROW_COLUMNS).query.sql_with_params()


def _row(values) -> QueueRow:
    pk, code, channel, status, stage, at, name, procedure, assignee = values
    return QueueRow(pk, code, channel, status, stage, _aware(at), name or "", procedure or "", assignee or "")


def queue_rows(ids: list[int]) -> list[QueueRow]:
    """The rows of these dossiers, in the order of `ids`."""
    if not ids:
        return []
    with connection.cursor() as db:
        sql, template = _rows_sql(connection.vendor, len(ids))
        db.execute(sql, [ids[-1 - p] if isinstance(p, int) and p < 0 else p for p in template])
        found = {row.pk: row for row in map(_row, db.fetchall())}
    return [found[pk] for pk in ids if pk in found]


_BY_ID = '"dossiers_dossier"."id" IN (%s)'
_MODEL_ORDER = ' ORDER BY "dossiers_dossier"."created_at" DESC'


@functools.lru_cache(maxsize=8)
def _rows_of_page_sql(vendor: str, direction: str) -> tuple[str, str, tuple]:
    """The row SQL around a page's (priority_at, id) statement: (before, after, parameters with the
    stand-in -1 where the page's go), so the page and its rows are one statement, compiled once."""
    sql, template = _rows_sql(vendor, 1)
    if sql.count(_BY_ID) != 1 or not sql.endswith(_MODEL_ORDER):
        raise RuntimeError(f"the queue's row SQL changed shape: {sql}")
    before, after = sql.removesuffix(_MODEL_ORDER).split(_BY_ID)
    order = f' ORDER BY "dossiers_dossier"."priority_at" {direction}, "dossiers_dossier"."id" {direction}'
    head = before + '"dossiers_dossier"."id" IN (SELECT page.id FROM ('  # noqa: S608 (the ORM's SQL, placeholders)
    return head, ") AS page)" + after + order, template


def _aware(value):
    """A datetime column read by a plain cursor: SQLite gives its text, in UTC."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value is not None and timezone.is_naive(value):
        value = value.replace(tzinfo=dt.UTC)
    return value


# Stand-ins for the stage (and the previous stage) in a branch compiled once per scope, then bound
# to each stage. They cannot come from a request: filters are checked against their choices.
_STAGE, _PREVIOUS = "\x00stage", "\x00previous"


def queue_page(*, user, memberships, tab: Tab, filters: Filters, after: str = "", size: int = 25, now=None):
    """One page of a tab after the cursor, and the next page's cursor ("" on the last page).

    Each branch is a page-sized range of an index on (agency, [stage,] priority_at, id) read in
    order from the cursor on; branches are merged by UNION ALL, so a page reads about branches x page
    index entries whatever the agency's history. A tab with its own partial index has one branch per
    scope; otherwise there is one per (scope, stage) on `dossier_queue_idx`, and filters that rule a
    whole stage out drop its branch."""
    now = now or timezone.now()
    stages = [
        s
        for s in tab.stages
        if (not filters.status or STAGE_STATUS[s] == filters.status) and (not filters.due or s in OPEN_STAGES)
    ]
    # A status or due filter may leave a few stages of a long history: then per stage is cheaper.
    whole = tab.index_where is not None and not filters.status and not filters.due
    scopes = scopes_of(memberships) if stages else []
    limit = size + 1
    found = None
    words = normalize_search(filters.q).split()
    soon = due_soon_limit(memberships, now) if filters.due == "soon" else None
    asked = Asked(user.pk, tab, filters, now, soon, decode_cursor(after) if after else None, limit)
    if words and whole and len(scopes) == 1:
        found = _search_recent(asked, scopes[0], words)
    if found is not None:
        items = queue_rows([pk for _at, pk in found[:size]])
        return items, encode_cursor(*found[size - 1]) if len(found) > size else ""
    rows = _branches(asked, scopes, stages, whole, bool(words))
    last = rows[size - 1] if len(rows) > size else None
    return rows[:size], encode_cursor(last.priority_at, last.pk) if last else ""


def _order(tab: Tab):
    return (("-priority_at", "-id") if tab.newest_first else ("priority_at", "id")), (
        "DESC" if tab.newest_first else "ASC"
    )


def _branches(asked: "Asked", scopes, stages, whole, words: bool) -> list[QueueRow]:
    """The tab's first `limit` rows after the cursor: each branch a range of its index read in order,
    merged by UNION ALL, and the page's rows read by their ids in the same statement."""
    tab = asked.tab
    _order_by, direction = _order(tab)
    parts, params = [], []
    for scope in scopes:
        sql, template = _branch_sql(asked, scope, whole) if not words else _compile_branch(asked, scope, whole)
        for stage in [None] if whole else stages:
            parts.append(f"SELECT * FROM ({sql}) AS part{len(parts)}")  # noqa: S608 (SQL compiled by the ORM, values are parameters)
            params += [stage if p == _STAGE else RESUPPLIED_FROM[stage] if p == _PREVIOUS else p for p in template]
    if not parts:
        return []
    page = " UNION ALL ".join(parts) + f" ORDER BY 1 {direction}, 2 {direction} LIMIT {asked.limit}"
    before, after_page, template = _rows_of_page_sql(connection.vendor, direction)
    with connection.cursor() as db:
        bound = [value for p in template for value in (params if p == -1 else [p])]
        db.execute(before + page + after_page, bound)
        return [_row(values) for values in db.fetchall()]


@dataclass(frozen=True, slots=True)
class Asked:
    """What one queue page asks: whose page, which tab and filters, the time, the cursor, the size."""

    user_id: int
    tab: Tab
    filters: Filters
    now: dt.datetime
    soon: dt.datetime | None
    cursor: tuple | None
    limit: int


def _compile_branch(asked: Asked, scope: Scope, whole: bool, words=None) -> tuple[str, list]:
    """One branch as SQL and parameters, compiled by the ORM (the stage and previous stage left as
    stand-ins when the branch is per stage): (priority_at, id) of its rows, or with `words` a search
    window's, each with whether it holds every word (the LIKE the trigram index answers)."""
    tab, order = asked.tab, _order(asked.tab)[0]
    common = _common(user_id=asked.user_id, tab=tab, filters=asked.filters, now=asked.now, soon=asked.soon)
    rows = Dossier.objects.filter(scope.dossiers(), common)
    rows = rows.filter(tab.index_where) if whole else rows.filter(stage=_STAGE)
    if tab.resupplied and not whole:
        rows = rows.filter(previous_stage=_PREVIOUS)
    if asked.cursor:
        rows = rows.filter(_after(asked.cursor, tab.newest_first))
    columns = ["priority_at", "id"]
    if words is not None:
        rows = rows.annotate(hit=ExpressionWrapper(_holding(words), output_field=BooleanField()))
        columns.append("hit")
    sql, params = rows.order_by(*order).values_list(*columns)[: asked.limit].query.sql_with_params()
    return sql, list(params)


def _holding(words) -> Q:
    condition = Q()
    for word in words:
        condition &= Q(search_text__contains=word)
    return condition


# A branch, or a search window, is compiled once per shape (tab, number of desks, which filters are
# set, a cursor or not, page size, number of searched words) with these stand-ins for a request's
# values, then bound to each request's: compiling the queryset cost more than running it (0.9 ms of
# a 6 ms queue page). No other value can equal them: ids are positive, filters are checked against
# their choices, dates come from the clock and from cursors after 1970, and a searched word that
# equals its stand-in is bound as itself.
_AGENCY, _USER, _PK, _DESK = -9001, -9002, -9003, -9100
_AT, _NOW, _SOON = (dt.datetime(1901, 1, 1, 0, 0, second, tzinfo=dt.UTC) for second in (1, 2, 3))
_PROCEDURE, _SECTOR, _CHANNEL = "\x00procedure", "\x00sector", "\x00channel"
_COMPILED: dict[tuple, tuple[str, list]] = {}


def _branch_sql(asked: Asked, scope: Scope, whole: bool, words=None) -> tuple[str, list]:
    filters, desks = asked.filters, len(scope.desk_ids)
    searched = None if words is None else tuple(f"~word{i}~" for i in range(len(words)))
    shape = (connection.vendor, asked.tab.key, whole, desks, asked.cursor is not None, asked.limit, searched)
    shape += (bool(filters.procedure), bool(filters.sector), bool(filters.channel), filters.due, filters.mine)
    compiled = _COMPILED.get(shape)
    if compiled is None:
        stand_in = Asked(
            _USER,
            asked.tab,
            Filters(
                procedure=_PROCEDURE if filters.procedure else "",
                sector=_SECTOR if filters.sector else "",
                channel=_CHANNEL if filters.channel else "",
                due=filters.due,
                mine=filters.mine,
            ),
            _NOW,
            _SOON,
            (_AT, _PK) if asked.cursor else None,
            asked.limit,
        )
        compiled = _COMPILED[shape] = _compile_branch(
            stand_in, Scope(_AGENCY, tuple(range(_DESK, _DESK - desks, -1))), whole, searched
        )
    sql, template = compiled
    when = connection.ops.adapt_datetimefield_value  # SQLite binds dates as text
    values = {
        _AGENCY: scope.agency_id,
        _USER: asked.user_id,
        _PROCEDURE: filters.procedure,
        _SECTOR: filters.sector,
        _CHANNEL: filters.channel,
        when(_NOW): when(asked.now),
        **dict(zip(range(_DESK, _DESK - desks, -1), scope.desk_ids, strict=True)),
    }
    if asked.soon is not None:
        values[when(_SOON)] = when(asked.soon)
    if asked.cursor:
        values[when(_AT)], values[_PK] = when(asked.cursor[0]), asked.cursor[1]
    for stand_in, word in zip(searched or (), words or (), strict=True):
        values[_like(stand_in)] = _like(word)
    return sql, [values.get(p, p) for p in template]


def _like(word: str) -> str:
    """A word as Django binds it for `__contains` (escaped, between wildcards)."""
    return f"%{connection.ops.prep_for_like_query(word)}%"


# A search over the history reads the scope's newest rows in index order, SEARCH_WINDOWS windows of
# SEARCH_WINDOW rows at most, before it asks the trigram index. A window is small next to an agency's
# history so that PostgreSQL walks the index for it: for 500 of an agency's 1,004 rows it sorted them
# all instead (the CI benchmark's plan check).
SEARCH_WINDOW = 250
SEARCH_WINDOWS = 16


# A window's rows that hold the words, and its last row (the next window's cursor) with how many it
# read: the database marks and counts them, and only those come back (a window's 250 rows, their dates
# converted to Python, were a tenth of a search page's own time).
_HITS = (
    "WITH w(priority_at, id, hit) AS ({window}) SELECT priority_at, id, hit, n, total FROM (SELECT w.*,"
    " row_number() OVER (ORDER BY w.priority_at {direction}, w.id {direction}) AS n, count(*) OVER () AS total"
    " FROM w) x WHERE hit OR n = total ORDER BY n"
)


def _search_recent(asked: Asked, scope: Scope, words) -> list | None:
    """A search over a history tab, first among the scope's next rows in the tab's order, a window of
    SEARCH_WINDOW at a time, matched here as the query's LIKE would: a common word (a given name)
    fills the page within a window or two, where the trigram index would fetch and sort every match
    of the agency's history (1,951 rows and 133 ms at 1,000,000 dossiers). A window never sorts more
    than its rows, whatever plan a small agency gets. The page (and whether there is more) when the
    windows fill it or reach the scope's end; None when a rarer word needs the trigram index, which
    then has few matches to sort. Each window is a branch compiled once, its rows marked by whether
    they hold the words (the window's text stays in the database), and only the marked ones and the
    last come back."""
    if asked.limit > SEARCH_WINDOW:
        return None
    window = replace(asked, filters=replace(asked.filters, q=""), limit=SEARCH_WINDOW)
    cursor, found = asked.cursor, []
    direction = "DESC" if asked.tab.newest_first else "ASC"
    for _window in range(SEARCH_WINDOWS):
        sql, params = _branch_sql(replace(window, cursor=cursor), scope, True, words=tuple(words))
        with connection.cursor() as db:
            db.execute(_HITS.format(window=sql, direction=direction), params)
            batch = db.fetchall()
        for at, pk, hit, _n, _read in batch:
            if hit:
                found.append((_aware(at), pk))
                if len(found) == asked.limit:
                    return found
        if not batch or batch[-1][4] < SEARCH_WINDOW:
            return found  # the scope ends here: these are all its matches
        cursor = (_aware(batch[-1][0]), batch[-1][1])
    return None


def urgency(dossier, *, now, soon) -> str:
    if dossier.priority_at is None or dossier.stage not in OPEN_STAGES:
        return ""
    if dossier.priority_at < now:
        return "overdue"
    if dossier.priority_at <= soon:
        return "soon"
    return ""


def register_rows(*, memberships, start: dt.date, end: dt.date, desk_code: str = ""):
    """Form 06: the dossiers submitted in [start, end] that the staff member may see, oldest first.
    A range on submitted_at itself (not on its date) so `dossier_register_idx` reads only the period."""
    since = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    until = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    rows = (
        Dossier.objects.filter(visible_to(memberships), submitted_at__gte=since, submitted_at__lt=until)
        .select_related("version__procedure")
        .order_by("submitted_at", "id")
    )
    return rows.filter(desk__code=desk_code) if desk_code else rows


def procedures_of(memberships) -> list[tuple[str, str]]:
    """(code, name) of the procedures the staff member's agencies handle, for the queue filter."""
    from procedures.models import Procedure

    agencies = sorted({m.agency_id for m in memberships})
    return reference(
        "desk-procedures:" + ",".join(map(str, agencies)),
        lambda: [
            (code, shorten(name, 70))
            for code, name in Procedure.objects.filter(agencies__in=agencies)
            .distinct()
            .order_by("name")
            .values_list("code", "name")
        ],
    )


def sectors() -> list[tuple[str, str]]:
    """(code, name) of every sector, for the queue filter."""
    from procedures.models import Sector

    return reference("desk-sectors", lambda: list(Sector.objects.order_by("name").values_list("code", "name")))
