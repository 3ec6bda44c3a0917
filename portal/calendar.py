"""The working-day calendar: public holidays (the `holidays` package) with admin overrides on top,
and office hours per agency.

`WorkingCalendar` is pure: it is built from data and never touches the database, so deadline math
can be tested with frozen inputs. The module-level functions load the calendar of an agency
(overrides for it and its ancestors, plus global ones) and delegate to it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache

import holidays
from django.conf import settings
from django.utils import timezone

# Far enough for any legal deadline; guards the loops against an all-holiday calendar.
MAX_SCAN_DAYS = 3660


def _parse_time(value: str) -> dt.time:
    hours, minutes = value.split(":")
    return dt.time(int(hours), int(minutes))


@dataclass(frozen=True)
class OfficeHours:
    morning_start: dt.time
    morning_end: dt.time
    afternoon_start: dt.time
    afternoon_end: dt.time
    cutoff: dt.time

    @classmethod
    def default(cls) -> OfficeHours:
        conf = settings.PORTAL_DEFAULT_OFFICE_HOURS
        return cls(
            *(_parse_time(t) for t in (*conf["morning"], *conf["afternoon"])),
            cutoff=_parse_time(conf["cutoff"]),
        )

    @classmethod
    def for_agency(cls, agency) -> OfficeHours:
        base = cls.default()
        if agency is None:
            return base
        sessions = (agency.morning_start, agency.morning_end, agency.afternoon_start, agency.afternoon_end)
        if all(sessions):
            base = cls(*sessions, cutoff=base.cutoff)
        if agency.cutoff_time:
            base = cls(
                base.morning_start, base.morning_end, base.afternoon_start, base.afternoon_end, agency.cutoff_time
            )
        return base

    def sessions(self) -> tuple[tuple[dt.time, dt.time], ...]:
        return ((self.morning_start, self.morning_end), (self.afternoon_start, self.afternoon_end))


@lru_cache(maxsize=256)
def _public_calendar(country: str, year: int) -> tuple[frozenset, frozenset]:
    """(public holidays, weekend days worked) of one year."""
    cal = holidays.country_holidays(country, years=[year])
    return frozenset(cal.keys()), frozenset(d for d in cal.weekend_workdays if d.year == year)


@dataclass(frozen=True)
class WorkingCalendar:
    overrides: dict = field(default_factory=dict)  # date -> is_working_day
    hours: OfficeHours = None
    country: str = "VN"

    def __post_init__(self):
        if self.hours is None:
            object.__setattr__(self, "hours", OfficeHours.default())

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        public_holidays, weekend_workdays = _public_calendar(self.country, day.year)
        if day.weekday() >= 5:
            return day in weekend_workdays
        return day not in public_holidays

    def next_working_day(self, day: dt.date) -> dt.date:
        """The first working day strictly after `day`."""
        return self.add_working_days(day, 1)

    def working_day_on_or_after(self, day: dt.date) -> dt.date:
        return day if self.is_working_day(day) else self.next_working_day(day)

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The `days`-th working day after `start` (start itself never counts); days=0 gives start."""
        if days < 0:
            raise ValueError("days must not be negative")
        day, counted = start, 0
        for _ in range(days + MAX_SCAN_DAYS):
            if counted == days:
                return day
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
        raise ValueError("no working day found within the scan limit")

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days d with start < d <= end (negative when end is before start)."""
        if end < start:
            return -self.working_days_between(end, start)
        return sum(1 for n in range(1, (end - start).days + 1) if self.is_working_day(start + dt.timedelta(days=n)))

    def add_working_hours(self, start: dt.datetime, hours: float) -> dt.datetime:
        """The moment `hours` of office time after `start`, counting only office hours of working days.
        Aware datetimes are computed in the portal's time zone and returned aware."""
        if hours < 0:
            raise ValueError("hours must not be negative")
        tz = timezone.get_current_timezone()
        aware = timezone.is_aware(start)
        local = timezone.localtime(start, tz).replace(tzinfo=None) if aware else start
        remaining = dt.timedelta(hours=hours)
        day = local.date()
        cursor = local
        for _ in range(MAX_SCAN_DAYS):
            if self.is_working_day(day):
                for begin, end in self.hours.sessions():
                    session_start = dt.datetime.combine(day, begin)
                    session_end = dt.datetime.combine(day, end)
                    if cursor >= session_end:
                        continue
                    cursor = max(cursor, session_start)
                    available = session_end - cursor
                    if remaining <= available:
                        result = cursor + remaining
                        return timezone.make_aware(result, tz) if aware else result
                    remaining -= available
                    cursor = session_end
            day += dt.timedelta(days=1)
            cursor = dt.datetime.combine(day, dt.time.min)
        raise ValueError("no office hours found within the scan limit")

    def counting_start(self, received_at: dt.datetime, *, paper: bool) -> dt.date:
        """The working day a dossier's clock counts from. Paper dossiers received after the cut-off
        (or on a day off) move to the next working day."""
        local = timezone.localtime(received_at) if timezone.is_aware(received_at) else received_at
        day = local.date()
        if not self.is_working_day(day):
            return self.next_working_day(day)
        if paper and local.time() >= self.hours.cutoff:
            return self.next_working_day(day)
        return day


def calendar_for(agency=None) -> WorkingCalendar:
    """The calendar of an agency: global overrides, then those of its ancestors, nearest last so
    that the nearest agency's row wins."""
    from portal.models import CalendarOverride

    chain = agency.ancestors() if agency is not None else []
    rank = {a.pk: depth for depth, a in enumerate(reversed(chain), start=1)}
    rows = CalendarOverride.objects.filter(agency__isnull=True)
    if rank:
        rows = CalendarOverride.objects.filter(agency__isnull=True) | CalendarOverride.objects.filter(
            agency_id__in=list(rank)
        )
    overrides = {}
    for row in sorted(rows.values("date", "is_working_day", "agency_id"), key=lambda r: rank.get(r["agency_id"], 0)):
        overrides[row["date"]] = row["is_working_day"]
    return WorkingCalendar(
        overrides=overrides, hours=OfficeHours.for_agency(agency), country=settings.PORTAL_HOLIDAY_COUNTRY
    )


def calendars_by_agency() -> dict:
    """Every agency's calendar, as calendar_for() gives it, from two queries: for jobs that treat all
    agencies at once (the deadline sweep)."""
    from portal.models import Agency, CalendarOverride

    agencies = {agency.pk: agency for agency in Agency.objects.all()}
    rows = list(CalendarOverride.objects.values("date", "is_working_day", "agency_id"))
    everywhere = {row["date"]: row["is_working_day"] for row in rows if row["agency_id"] is None}
    own = {}
    for row in rows:
        if row["agency_id"] is not None:
            own.setdefault(row["agency_id"], {})[row["date"]] = row["is_working_day"]
    result = {}
    for pk, agency in agencies.items():
        chain, node = [], agency  # nearest first, as Agency.ancestors()
        while node is not None and len(chain) < 32:
            chain.append(node)
            node = agencies.get(node.parent_id)
        overrides = dict(everywhere)
        for ancestor in reversed(chain):  # the nearest agency's row wins
            overrides.update(own.get(ancestor.pk, {}))
        result[pk] = WorkingCalendar(
            overrides=overrides, hours=OfficeHours.for_agency(agency), country=settings.PORTAL_HOLIDAY_COUNTRY
        )
    return result


def desk_hours_text(desk, agency) -> str:
    """When a desk receives and hands over dossiers: its agency's office hours on weekdays, and the
    Saturday morning where the desk opens then (Desk.opens_saturday_morning)."""
    from django.utils.translation import gettext as _

    hours = OfficeHours.for_agency(agency)
    t = lambda value: value.strftime("%H:%M")  # noqa: E731
    text = _("Thứ Hai đến thứ Sáu: %(m1)s–%(m2)s, %(a1)s–%(a2)s") % {
        "m1": t(hours.morning_start),
        "m2": t(hours.morning_end),
        "a1": t(hours.afternoon_start),
        "a2": t(hours.afternoon_end),
    }
    if desk is not None and desk.opens_saturday_morning:
        text += _("; sáng thứ Bảy: %(m1)s–%(m2)s") % {"m1": t(hours.morning_start), "m2": t(hours.morning_end)}
    return text


def is_working_day(day: dt.date, agency=None) -> bool:
    return calendar_for(agency).is_working_day(day)


def add_working_days(start: dt.date, days: int, agency=None) -> dt.date:
    return calendar_for(agency).add_working_days(start, days)


def add_working_hours(start: dt.datetime, hours: float, agency=None) -> dt.datetime:
    return calendar_for(agency).add_working_hours(start, hours)


def working_days_between(start: dt.date, end: dt.date, agency=None) -> int:
    return calendar_for(agency).working_days_between(start, end)
