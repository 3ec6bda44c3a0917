"""Deadline math, as pure functions of their inputs (a WorkingCalendar, times, the version's
processing time). Nothing here reads the clock or the database, so tests can pin every case.

Conventions (DOMAIN.md "Time"):
- The clock starts at receipt. A paper dossier received after the agency's cut-off, or on a day
  off, counts from the next working day.
- N working days: the appointment is the end of office hours on the N-th working day after the
  day the clock starts. Same-day procedures are due at the end of that day.
- N working hours: counted within office hours from the moment the clock starts.
- Calendar days and months: counted on the calendar, then moved forward to a working day.
- A supplement requested during appraisal restarts the clock from zero when the complete dossier
  comes back (the same functions, with the new start)."""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from portal.calendar import WorkingCalendar
from procedures.constants import TimeUnit


def _aware(day: dt.date, time: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, time))


def end_of_day(cal: WorkingCalendar, day: dt.date) -> dt.datetime:
    return _aware(day, cal.hours.afternoon_end)


def _add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, month_calendar.monthrange(year, month)[1]))


def clock_start(cal: WorkingCalendar, received_at: dt.datetime, *, paper: bool) -> dt.datetime:
    """The moment the processing clock starts: receipt, or the next working morning for paper
    after the cut-off or anything received on a day off or outside office hours."""
    local = timezone.localtime(received_at)
    day = cal.counting_start(received_at, paper=paper)
    if day != local.date():
        return _aware(day, cal.hours.morning_start)
    if local.time() >= cal.hours.afternoon_end:
        return _aware(cal.next_working_day(day), cal.hours.morning_start)
    return received_at


def due_at(cal: WorkingCalendar, start: dt.datetime, value: Decimal | float | int, unit: str) -> dt.datetime:
    """The appointment for a clock that started at `start` (see clock_start)."""
    value = Decimal(str(value))
    local_day = timezone.localtime(start).date()
    if unit == TimeUnit.SAME_DAY:
        return end_of_day(cal, cal.working_day_on_or_after(local_day))
    if unit == TimeUnit.WORKING_HOURS:
        return cal.add_working_hours(start, float(value))
    if unit == TimeUnit.WORKING_DAYS:
        return end_of_day(cal, cal.add_working_days(local_day, math.ceil(value)))
    if unit == TimeUnit.CALENDAR_DAYS:
        return end_of_day(cal, cal.working_day_on_or_after(local_day + dt.timedelta(days=math.ceil(value))))
    if unit == TimeUnit.MONTHS:
        return end_of_day(cal, cal.working_day_on_or_after(_add_months(local_day, math.ceil(value))))
    raise ValueError(f"unknown time unit {unit}")


def shift_working_days(cal: WorkingCalendar, due: dt.datetime, days: int) -> dt.datetime:
    """`due` moved `days` working days later, at the same time of day (a payment wait)."""
    if not days:
        return due
    local = timezone.localtime(due)
    return dt.datetime.combine(cal.add_working_days(local.date(), days), local.time(), tzinfo=local.tzinfo)


def last_day_for_extension(cal: WorkingCalendar, due: dt.datetime) -> dt.date:
    """An apology letter with a new date must be issued at the latest one working day before the
    appointment."""
    day = timezone.localtime(due).date() - dt.timedelta(days=1)
    while not cal.is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


@dataclass(frozen=True)
class StepDeadline:
    name: str
    role: str
    share: int
    due: dt.datetime


def step_deadlines(cal: WorkingCalendar, start: dt.datetime, value, unit: str, steps) -> list[StepDeadline]:
    """Each processing step's own deadline: the cumulative share of the total processing time
    (for Form 05). Working days are split in whole days; other units proportionally."""
    total_due = due_at(cal, start, value, unit)
    result, cumulative = [], 0
    for step in steps:
        cumulative += step.share
        if cumulative >= 100:
            due = total_due
        elif unit == TimeUnit.WORKING_DAYS:
            due = due_at(cal, start, math.ceil(Decimal(str(value)) * cumulative / 100), unit)
        elif unit == TimeUnit.WORKING_HOURS:
            due = cal.add_working_hours(start, float(Decimal(str(value)) * cumulative / 100))
        else:
            due = start + (total_due - start) * cumulative / 100
        result.append(StepDeadline(step.name, step.role, step.share, due))
    return result


def timeliness(finished: dt.datetime, due: dt.datetime | None) -> str:
    """early / on_time / late of a step finished at `finished` against its own deadline."""
    if due is None:
        return "on_time"
    if finished > due:
        return "late"
    return "early" if timezone.localtime(finished).date() < timezone.localtime(due).date() else "on_time"
