"""The daily figures move with each dossier, in its transaction, and a nightly job rebuilds them.

figures_refresh(dossier) adds the difference between what the dossier counts for now
(dossiers.figures.contribution) and what it last added (`Dossier.counted`). transition() calls it
after every move, and so do the changes that happen without a move (a rating). figures_reconcile
rebuilds a period's figures from the dossiers with the same contribution(), reports the cells that
had drifted and repairs them."""

import datetime as dt
import json
import logging

from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone

from dossiers.constants import ONLINE_METHODS, Stage
from dossiers.figures import DossierFacts, RatingFacts, as_cells, contribution, day_bounds, difference
from dossiers.models import Attachment, DailyFigures, Dossier, ExtensionLetter, Rating, SupplementRequest
from dossiers.models.figures import FIGURE_COLUMNS

log = logging.getLogger(__name__)

CELL = ("day", "agency_id", "desk_id", "procedure_id", "channel")
_TABLE = DailyFigures._meta.db_table
# Increments, not read-modify-write: concurrent changes to one cell add up. Only the model's own
# table and column names are formatted in; values are parameters.
_UPSERT = (
    f"INSERT INTO {_TABLE} ({', '.join(CELL)}, {', '.join(FIGURE_COLUMNS)}, overdue_open) "  # noqa: S608
    f"VALUES ({', '.join(['%s'] * (len(CELL) + len(FIGURE_COLUMNS)))}, 0) "
    f"ON CONFLICT ({', '.join(CELL)}) DO UPDATE SET "
    + ", ".join(f"{c} = {_TABLE}.{c} + excluded.{c}" for c in FIGURE_COLUMNS)
)


def _add(deltas: dict[tuple, dict[str, int]]) -> None:
    """Add each cell's changes, cells in one fixed order (two dossiers' changes cannot deadlock)."""
    with connection.cursor() as cursor:
        for cell in sorted(deltas):
            cursor.execute(_UPSERT, [*cell, *(deltas[cell].get(c, 0) for c in FIGURE_COLUMNS)])


def facts_for(dossiers: list[Dossier]) -> dict[int, DossierFacts]:
    """Each dossier's facts, read for the whole list at once (five queries, whatever its length)."""
    from procedures.selectors import version_with_parts

    ids = [d.pk for d in dossiers]
    supplements = dict(
        SupplementRequest.objects.filter(dossier_id__in=ids)
        .values("dossier_id")
        .annotate(n=Count("id"))
        .values_list("dossier_id", "n")
    )
    extended = set(ExtensionLetter.objects.filter(dossier_id__in=ids).values_list("dossier_id", flat=True))
    files: dict[int, list] = {}
    for row in Attachment.objects.filter(dossier_id__in=ids, is_current=True).values_list(
        "dossier_id", "component_id", "reused_from_id", "is_result"
    ):
        files.setdefault(row[0], []).append(row[1:])
    ratings = {r.dossier_id: r for r in Rating.objects.filter(dossier_id__in=ids)}
    facts = {}
    for d in dossiers:
        version = version_with_parts(pk=d.version_id)
        asked = {c.pk for c in version.components.all() if c.required and not c.replaced_by_eform}
        own = files.get(d.pk, [])
        rating = ratings.get(d.pk)
        facts[d.pk] = DossierFacts(
            agency_id=d.agency_id,
            desk_id=d.desk_id,
            procedure_id=version.procedure_id,
            channel=d.channel,
            received_at=d.received_at,
            clock_started_at=d.clock_started_at,
            due_at=d.due_at,
            finished_at=d.finished_at,
            supplements=supplements.get(d.pk, 0),
            extension=d.pk in extended,
            reused=any(reused for _component, reused, _result in own),
            fee_bearing=version.total_fee > 0,
            paid_online=d.paid_via in ONLINE_METHODS,
            result_document=bool(version.result_document),
            e_result=any(result for _component, _reused, result in own),
            components_attached=asked <= {component for component, _reused, _result in own},
            rating=None
            if rating is None
            else RatingFacts(
                created_at=rating.created_at,
                overall=rating.overall,
                complaint_made=rating.complaint_made,
                timeliness=rating.timeliness,
                contacts=rating.contacts,
                information_accuracy=rating.information_accuracy,
                staff_attitude=rating.staff_attitude,
                cost=rating.cost,
                complaint_handling=rating.complaint_handling,
            ),
        )
    return facts


def figures_refresh(dossier: Dossier) -> None:
    """Bring the figures up to what `dossier` counts for now, in the caller's transaction."""
    if dossier.received_at is None and not dossier.counted:
        return  # a draft or a dossier not yet received counts for nothing: no reads
    now = contribution(facts_for([dossier])[dossier.pk])
    if now == dossier.counted:
        return
    _add(difference(dossier.counted, now))
    Dossier.objects.filter(pk=dossier.pk).update(counted=now)
    dossier.counted = now


def _touching(start: dt.date, end: dt.date):
    low, high = day_bounds(start, end)
    return Dossier.objects.filter(
        Q(received_at__gte=low, received_at__lt=high)
        | Q(finished_at__gte=low, finished_at__lt=high)
        | Q(rating__created_at__gte=low, rating__created_at__lt=high)
    ).order_by("pk")


@transaction.atomic
def figures_reconcile(
    start: dt.date, end: dt.date, *, repair: bool = True, batch: int = 500, report: bool = True
) -> int:
    """Recount the days start..end from the dossiers; return how many cells were wrong, and (with
    `repair`) set them right, along with the `counted` of each dossier whose record was stale.
    Drift is logged unless `report` is off (a bulk load builds its figures this way)."""
    return _reconcile(_touching(start, end).distinct(), start, end, repair=repair, batch=batch, report=report)


@transaction.atomic
def recount_figures() -> int:
    """Rebuild every day's figures from every dossier, and count yesterday's open dossiers past due:
    after a bulk load (the benchmark's), or to repair everything at once. Every dossier that counts
    for something was received, so this reads the received ones by key, a batch at a time."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {_TABLE} IN EXCLUSIVE MODE")
    received = Dossier.objects.filter(received_at__isnull=False)
    wrong = _reconcile(received, dt.date(1900, 1, 1), dt.date(2999, 12, 31), repair=True, batch=2000, report=False)
    figures_count_overdue(timezone.localdate() - dt.timedelta(days=1))
    return wrong


def _reconcile(dossiers, start, end, *, repair, batch, report) -> int:
    truth: dict[tuple, dict[str, int]] = {}
    stale: list[tuple[int, list]] = []
    first, last = start.isoformat(), end.isoformat()
    last_pk = 0
    while True:
        chunk = list(dossiers.filter(pk__gt=last_pk).order_by("pk")[:batch])
        if not chunk:
            break
        last_pk = chunk[-1].pk
        facts = facts_for(chunk)
        for d in chunk:
            counted = contribution(facts[d.pk])
            if counted != d.counted:
                stale.append((d.pk, counted))
            for cell, values in as_cells(counted).items():
                if first <= cell[0] <= last:
                    row = truth.setdefault(cell, {})
                    for column, n in values.items():
                        row[column] = row.get(column, 0) + n
    kept = {
        (row[0].isoformat(), *row[1:5]): dict(zip(FIGURE_COLUMNS, row[5:], strict=True))
        for row in DailyFigures.objects.filter(day__gte=start, day__lte=end).values_list(*CELL, *FIGURE_COLUMNS)
    }
    wrong = [
        cell
        for cell in sorted(kept.keys() | truth.keys())
        if any(kept.get(cell, {}).get(c, 0) != truth.get(cell, {}).get(c, 0) for c in FIGURE_COLUMNS)
    ]
    if wrong and report:
        log.warning("daily figures drifted in %d cells between %s and %s", len(wrong), start, end)
    if repair:
        _write_cells(wrong, truth, kept)
        _write_counted(stale)
    return len(wrong)


def _write_cells(wrong, truth, kept) -> None:
    """Set each wrong cell to its true figures: new cells in bulk, existing ones one by one (a
    night's drift is a few cells; a bulk load's are all new)."""
    fresh = []
    for cell in wrong:
        values = {c: truth.get(cell, {}).get(c, 0) for c in FIGURE_COLUMNS}
        key = dict(zip(CELL, cell, strict=True))
        if cell in kept:
            DailyFigures.objects.filter(**key).update(**values)
        else:
            fresh.append(DailyFigures(**key, **values))
    DailyFigures.objects.bulk_create(fresh, batch_size=2000)


def _write_counted(stale: list[tuple[int, list]]) -> None:
    """Store each dossier's `counted`; on PostgreSQL a thousand rows a statement."""
    if connection.vendor != "postgresql":
        for pk, counted in stale:
            Dossier.objects.filter(pk=pk).update(counted=counted)
        return
    table = Dossier._meta.db_table
    with connection.cursor() as cursor:
        for i in range(0, len(stale), 1000):
            part = stale[i : i + 1000]
            rows = ", ".join(["(%s, %s::jsonb)"] * len(part))
            params = [v for pk, counted in part for v in (pk, json.dumps(counted))]
            # Only the model's own table name is formatted in; values are parameters.
            cursor.execute(
                f"UPDATE {table} AS d SET counted = v.counted FROM (VALUES {rows}) AS v(id, counted) "  # noqa: S608
                "WHERE d.id = v.id",
                params,
            )


@transaction.atomic
def figures_count_overdue(day: dt.date) -> int:
    """Store, for the end of `day`, how many received dossiers were still open past their appointment
    (by agency, desk, procedure and channel): the on-time rate counts them as late. Reads the dossiers
    received by then and not finished by then; for today and yesterday that is the open ones."""
    _low, end = day_bounds(day, day)
    rows = (
        Dossier.objects.filter(received_at__lt=end, due_at__lt=end)
        .filter(Q(finished_at__isnull=True) | Q(finished_at__gte=end))
        # Waiting for the citizen's fee is not the agency's delay: its appointment moves when paid.
        .exclude(stage=Stage.AWAITING_PAYMENT)
        .values("agency_id", "desk_id", "version__procedure_id", "channel")
        .annotate(n=Count("id"))
        .order_by()
    )
    DailyFigures.objects.filter(day=day).exclude(overdue_open=0).update(overdue_open=0)
    total = 0
    for row in rows:
        total += row["n"]
        DailyFigures.objects.update_or_create(
            day=day,
            agency_id=row["agency_id"],
            desk_id=row["desk_id"] or 0,
            procedure_id=row["version__procedure_id"],
            channel=row["channel"],
            defaults={"overdue_open": row["n"]},
        )
    return total
