"""What one dossier adds to the daily figures (DailyFigures), and on which day. Pure: the live
update (services.figures.figures_refresh) and the nightly rebuild (figures_reconcile) both call
`contribution()`, so the two cannot count by different rules. docs/indicators.md explains each.

- On the day of receipt (`received_at`): received; reused (a file taken from the citizen's document
  store); fee_bearing (the procedure charges a fee); paid_online (its fee was paid online or by
  bank transfer, not in cash at the desk: counted on the day of receipt, beside fee_bearing, even
  when the payment came later, so the rate compares the same dossiers).
- On the day of finishing (`finished_at`: result ready, refused after appraisal, stopped or withdrawn;
  only dossiers that were received, since a refusal at the desk never started a clock): finished,
  on time or late, processing time, supplemented, digitised, result document expected, e-result.
  Late: finished after the appointment, or more than one supplement request, or an apology letter
  with a new date was issued. A supplement during appraisal restarts the clock (the appointment moves),
  so the time waited for the citizen is not counted against the agency.
- On the day of the rating: rated, satisfied, dissatisfied or with a complaint, and each criterion's
  points.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from dossiers.models.figures import FIGURE_COLUMNS


@dataclass(frozen=True)
class RatingFacts:
    created_at: dt.datetime
    overall: str
    complaint_made: bool
    timeliness: int
    contacts: int
    information_accuracy: int
    staff_attitude: int
    cost: int
    complaint_handling: int | None


@dataclass(frozen=True)
class DossierFacts:
    agency_id: int
    desk_id: int | None
    procedure_id: int
    channel: str
    received_at: dt.datetime | None
    clock_started_at: dt.datetime | None
    due_at: dt.datetime | None
    finished_at: dt.datetime | None
    supplements: int = 0
    extension: bool = False
    reused: bool = False
    fee_bearing: bool = False
    paid_online: bool = False
    result_document: bool = False
    e_result: bool = False
    components_attached: bool = False
    rating: RatingFacts | None = None


def local_day(moment: dt.datetime) -> str:
    return timezone.localtime(moment).date().isoformat()


def day_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    )


def months_span(year: int, first_month: int, months: int) -> tuple[dt.date, dt.date]:
    """The first and last day of `months` months from `first_month` of `year` (a month, a quarter,
    a year: the periods the statistics and the dashboard offer)."""
    start = dt.date(year, first_month, 1)
    after = start.month - 1 + months
    return start, dt.date(year + after // 12, after % 12 + 1, 1) - dt.timedelta(days=1)


def is_late(facts: DossierFacts) -> bool:
    return (
        facts.supplements > 1
        or facts.extension
        or (facts.due_at is not None and facts.finished_at is not None and facts.finished_at > facts.due_at)
    )


def contribution(facts: DossierFacts) -> list[list]:
    """[[day, agency_id, desk_id, procedure_id, channel, {column: n}], ...], one row per day touched,
    sorted: what this dossier counts for today. JSON-ready (it is kept on the dossier, `counted`)."""
    cell = (facts.agency_id, facts.desk_id or 0, facts.procedure_id, facts.channel)
    days: dict[str, dict[str, int]] = {}

    def add(moment, **values):
        row = days.setdefault(local_day(moment), {})
        for column, value in values.items():
            if value:
                row[column] = row.get(column, 0) + int(value)

    if facts.received_at is not None:
        add(
            facts.received_at,
            received=1,
            reused=facts.reused,
            fee_bearing=facts.fee_bearing,
            paid_online=facts.fee_bearing and facts.paid_online,
        )
        if facts.finished_at is not None:
            late = is_late(facts)
            seconds = (
                max(0, int((facts.finished_at - facts.clock_started_at).total_seconds()))
                if facts.clock_started_at
                else 0
            )
            add(
                facts.finished_at,
                finished=1,
                finished_on_time=not late,
                finished_late=late,
                processing_seconds=seconds,
                supplemented=facts.supplements > 0,
                digitised=facts.components_attached and (facts.e_result or not facts.result_document),
                result_documents=facts.result_document,
                e_results=facts.result_document and facts.e_result,
            )
    rating = facts.rating
    if rating is not None:
        unhappy = rating.overall == "dissatisfied" or rating.complaint_made
        add(
            rating.created_at,
            rated=1,
            satisfied=rating.overall == "satisfied",
            dissatisfied_or_complaint=unhappy,
            timeliness_points=rating.timeliness,
            contacts_points=rating.contacts,
            information_points=rating.information_accuracy,
            attitude_points=rating.staff_attitude,
            cost_points=rating.cost,
            complaints_scored=rating.complaint_handling is not None,
            complaint_handling_points=rating.complaint_handling or 0,
        )
    return [[day, *cell, values] for day, values in sorted(days.items()) if values]


def as_cells(counted: list) -> dict[tuple, dict[str, int]]:
    """A contribution (or a sum of them) by cell: (day, agency_id, desk_id, procedure_id, channel)."""
    cells: dict[tuple, dict[str, int]] = {}
    for day, agency, desk, procedure, channel, values in counted or []:
        row = cells.setdefault((day, agency, desk, procedure, channel), {})
        for column, value in values.items():
            row[column] = row.get(column, 0) + value
    return cells


def difference(before: list, after: list) -> dict[tuple, dict[str, int]]:
    """What to add to each cell to go from `before` to `after` (cells with no change left out)."""
    old, new = as_cells(before), as_cells(after)
    deltas = {}
    for cell in sorted(old.keys() | new.keys()):
        change = {
            column: new.get(cell, {}).get(column, 0) - old.get(cell, {}).get(column, 0) for column in FIGURE_COLUMNS
        }
        change = {column: n for column, n in change.items() if n}
        if change:
            deltas[cell] = change
    return deltas
