import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal import calendar as cal
from portal.calendar import OfficeHours, WorkingCalendar
from portal.services import calendar_override_set
from tests.factories import AgencyFactory

D = dt.date
PURE = WorkingCalendar()


def test_tet_example_from_the_issue():
    # Friday 13 Feb 2026; Tết holidays Mon 16 - Fri 20 Feb; five working days later is Fri 27 Feb.
    assert PURE.add_working_days(D(2026, 2, 13), 5) == D(2026, 2, 27)


@pytest.mark.django_db
def test_module_function_matches_example_with_no_overrides():
    assert cal.add_working_days(D(2026, 2, 13), 5) == D(2026, 2, 27)


def test_weekends_and_fixed_holidays_are_days_off():
    assert not PURE.is_working_day(D(2026, 11, 28))  # Saturday
    assert not PURE.is_working_day(D(2026, 11, 29))  # Sunday
    assert not PURE.is_working_day(D(2026, 9, 2))  # National Day
    assert not PURE.is_working_day(D(2026, 11, 24))  # Vietnam Cultural Day, from 2026
    assert not PURE.is_working_day(D(2026, 4, 27))  # Hùng Kings' day (observed Monday)
    assert PURE.is_working_day(D(2026, 11, 27))  # an ordinary Friday


def test_swapped_saturday_from_the_holidays_package_is_worked():
    assert PURE.is_working_day(D(2026, 8, 22))  # Saturday worked in exchange for Monday 31 Aug
    assert not PURE.is_working_day(D(2026, 8, 31))


def test_working_days_between_counts_the_days_after_start():
    assert PURE.working_days_between(D(2026, 2, 13), D(2026, 2, 27)) == 5
    assert PURE.working_days_between(D(2026, 2, 27), D(2026, 2, 13)) == -5
    assert PURE.working_days_between(D(2026, 11, 27), D(2026, 11, 27)) == 0


@pytest.mark.django_db
def test_admin_override_turns_a_working_day_off_and_a_saturday_on():
    friday, saturday = D(2026, 12, 4), D(2026, 12, 5)
    assert cal.is_working_day(friday) and not cal.is_working_day(saturday)
    calendar_override_set(date=friday, is_working_day=False, note="Nghỉ bù")
    calendar_override_set(date=saturday, is_working_day=True, note="Làm bù")
    assert not cal.is_working_day(friday)
    assert cal.is_working_day(saturday)
    # Thursday 3 Dec + 1 working day skips Friday (off) and lands on Saturday (worked).
    assert cal.add_working_days(D(2026, 12, 3), 1) == saturday


@pytest.mark.django_db
def test_override_can_revert_the_holidays_package():
    # The government moves the working Saturday: the admin says 22 Aug 2026 is off after all.
    calendar_override_set(date=D(2026, 8, 22), is_working_day=False, note="Hủy làm bù")
    assert not cal.is_working_day(D(2026, 8, 22))


@pytest.mark.django_db
def test_agency_override_applies_to_descendants_and_nearest_wins():
    province = AgencyFactory(code="P1", level="province")
    district = AgencyFactory(code="P1.D1", level="district", parent=province)
    commune = AgencyFactory(code="P1.D1.C1", parent=district)
    other = AgencyFactory(code="P2")
    day = D(2026, 12, 7)  # Monday
    calendar_override_set(date=day, is_working_day=False, note="Bão lũ toàn tỉnh", agency=province)
    assert not cal.is_working_day(day, commune)
    assert cal.is_working_day(day, other)
    assert cal.is_working_day(day)  # global calendar untouched
    calendar_override_set(date=day, is_working_day=True, note="Xã vẫn làm việc", agency=commune)
    assert cal.is_working_day(day, commune)
    assert not cal.is_working_day(day, district)


@pytest.mark.django_db
def test_replacing_an_override_keeps_one_row():
    calendar_override_set(date=D(2026, 12, 8), is_working_day=False, note="a")
    calendar_override_set(date=D(2026, 12, 8), is_working_day=True, note="b")
    from portal.models import CalendarOverride

    assert CalendarOverride.objects.filter(date=D(2026, 12, 8)).count() == 1
    assert cal.is_working_day(D(2026, 12, 8))


def test_add_working_hours_stays_within_office_hours():
    start = dt.datetime(2026, 11, 27, 16, 0)  # Friday 16:00, office closes 17:00
    assert PURE.add_working_hours(start, 1) == dt.datetime(2026, 11, 27, 17, 0)
    # Two hours: one on Friday, the rest from Monday 07:30.
    assert PURE.add_working_hours(start, 2) == dt.datetime(2026, 11, 30, 8, 30)
    # Lunch break is skipped.
    assert PURE.add_working_hours(dt.datetime(2026, 11, 30, 11, 0), 1) == dt.datetime(2026, 11, 30, 14, 0)
    # Before opening starts at opening.
    assert PURE.add_working_hours(dt.datetime(2026, 11, 30, 6, 0), 1) == dt.datetime(2026, 11, 30, 8, 30)


def test_add_working_hours_with_aware_datetimes_keeps_the_zone():
    from django.utils import timezone

    start = timezone.make_aware(dt.datetime(2026, 11, 27, 16, 0))
    result = PURE.add_working_hours(start, 2)
    assert timezone.is_aware(result)
    assert timezone.localtime(result).replace(tzinfo=None) == dt.datetime(2026, 11, 30, 8, 30)


@pytest.mark.django_db
def test_agency_office_hours_and_cutoff_are_used():
    agency = AgencyFactory(
        code="HRS",
        morning_start=dt.time(8),
        morning_end=dt.time(12),
        afternoon_start=dt.time(13),
        afternoon_end=dt.time(16, 30),
        cutoff_time=dt.time(14),
    )
    calendar = cal.calendar_for(agency)
    assert calendar.hours.cutoff == dt.time(14)
    assert calendar.add_working_hours(dt.datetime(2026, 11, 30, 16), 1) == dt.datetime(2026, 12, 1, 8, 30)
    # A paper dossier at 14:30 counts from the next working day; an online one from the same day.
    received = dt.datetime(2026, 11, 27, 14, 30)
    assert calendar.counting_start(received, paper=True) == D(2026, 11, 30)
    assert calendar.counting_start(received, paper=False) == D(2026, 11, 27)


def test_default_cutoff_is_fifteen_hundred():
    assert OfficeHours.default().cutoff == dt.time(15)
    assert PURE.counting_start(dt.datetime(2026, 11, 27, 14, 59), paper=True) == D(2026, 11, 27)
    assert PURE.counting_start(dt.datetime(2026, 11, 27, 15, 0), paper=True) == D(2026, 11, 30)


dates = st.dates(min_value=D(2020, 1, 1), max_value=D(2032, 12, 31))


@settings(max_examples=200, deadline=None)
@given(start=dates, days=st.integers(min_value=1, max_value=60))
def test_result_is_always_a_working_day_and_grows_strictly(start, days):
    result = PURE.add_working_days(start, days)
    assert PURE.is_working_day(result)
    assert result > start
    assert PURE.add_working_days(start, days + 1) > result
    assert PURE.working_days_between(start, result) == days


@settings(max_examples=100, deadline=None)
@given(
    start=st.datetimes(min_value=dt.datetime(2024, 1, 1), max_value=dt.datetime(2030, 12, 31)),
    hours=st.integers(min_value=1, max_value=80),
)
def test_working_hours_land_inside_office_hours_of_a_working_day(start, hours):
    result = PURE.add_working_hours(start, hours)
    assert PURE.is_working_day(result.date())
    assert any(b <= result.time() <= e for b, e in PURE.hours.sessions())
    assert result > start
