"""Deadline math on pinned inputs: Tết, weekends, a swapped Saturday, an admin override, the
15:00 cut-off, hours-based procedures, the supplement restart, step shares, the extension limit."""

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from dossiers import deadlines
from portal.calendar import WorkingCalendar

CAL = WorkingCalendar()


def at(y, m, d, h=9, mi=0):
    return timezone.make_aware(dt.datetime(y, m, d, h, mi))


def local(value):
    return timezone.localtime(value).replace(tzinfo=None)


def due(received, value, unit, *, paper=False, cal=CAL):
    return local(deadlines.due_at(cal, deadlines.clock_start(cal, received, paper=paper), value, unit))


def test_working_days_skip_tet():
    # Received Friday 13 Feb 2026; Tết 16-20 Feb; 5 working days -> Friday 27 Feb, end of office.
    assert due(at(2026, 2, 13, 10), 5, "working_days") == dt.datetime(2026, 2, 27, 17, 0)


def test_working_days_skip_the_weekend():
    assert due(at(2026, 11, 27, 10), 1, "working_days") == dt.datetime(2026, 11, 30, 17, 0)  # Fri -> Mon


def test_swapped_saturday_counts_as_a_working_day():
    # Saturday 22 Aug 2026 is worked in exchange for Monday 31 Aug.
    assert due(at(2026, 8, 21, 10), 1, "working_days") == dt.datetime(2026, 8, 22, 17, 0)
    assert due(at(2026, 8, 28, 10), 1, "working_days") == dt.datetime(2026, 9, 3, 17, 0)  # 31/8, 1-2/9 off


def test_admin_override_moves_the_appointment():
    cal = WorkingCalendar(overrides={dt.date(2026, 12, 1): False})
    assert due(at(2026, 11, 30, 10), 1, "working_days", cal=cal) == dt.datetime(2026, 12, 2, 17, 0)


def test_paper_received_after_the_cutoff_counts_from_the_next_working_day():
    before = due(at(2026, 11, 26, 14, 59), 2, "working_days", paper=True)
    after = due(at(2026, 11, 26, 15, 1), 2, "working_days", paper=True)
    online_after = due(at(2026, 11, 26, 15, 1), 2, "working_days", paper=False)
    assert before == dt.datetime(2026, 11, 30, 17, 0)  # Thu + 2 = Mon
    assert after == dt.datetime(2026, 12, 1, 17, 0)  # clock from Fri morning: Fri + 2 = Tue
    assert online_after == before


def test_hours_based_procedure_counts_office_hours_only():
    assert due(at(2026, 11, 27, 16), 4, "working_hours") == dt.datetime(2026, 11, 30, 10, 30)
    # Received on a Sunday: the clock starts Monday 07:30.
    assert due(at(2026, 11, 29, 10), 2, "working_hours") == dt.datetime(2026, 11, 30, 9, 30)


def test_same_day_and_calendar_units():
    assert due(at(2026, 11, 27, 9), 0, "same_day") == dt.datetime(2026, 11, 27, 17, 0)
    assert due(at(2026, 11, 20, 9), 8, "calendar_days") == dt.datetime(2026, 11, 30, 17, 0)  # 28/11 Sat -> Mon
    assert due(at(2026, 1, 31, 9), 1, "months") == dt.datetime(2026, 3, 2, 17, 0)  # 28/2 is Saturday


def test_supplement_restart_counts_from_zero_again():
    # 24 Nov 2026 is Vietnam Cultural Day: Mon 23 + 5 working days = Tue 1 Dec.
    first = due(at(2026, 11, 23, 9), 5, "working_days")
    restarted = due(at(2026, 11, 26, 9), 5, "working_days")  # the complete dossier came back on Thursday
    assert first == dt.datetime(2026, 12, 1, 17, 0)
    assert restarted == dt.datetime(2026, 12, 3, 17, 0)


def test_step_deadlines_follow_their_shares():
    steps = [
        SimpleNamespace(name="Tiếp nhận", role="desk_officer", share=10),
        SimpleNamespace(name="Thẩm định", role="specialist", share=60),
        SimpleNamespace(name="Phê duyệt", role="leader", share=30),
    ]
    start = deadlines.clock_start(CAL, at(2026, 11, 23, 9), paper=False)
    result = deadlines.step_deadlines(CAL, start, 10, "working_days", steps)
    # 1, 7 and 10 working days after Mon 23 Nov, skipping the 24 Nov holiday.
    assert [local(s.due).date() for s in result] == [dt.date(2026, 11, 25), dt.date(2026, 12, 3), dt.date(2026, 12, 8)]


def test_extension_must_come_one_working_day_before():
    assert deadlines.last_day_for_extension(CAL, at(2026, 11, 30, 17)) == dt.date(2026, 11, 27)  # Mon -> Fri


def test_timeliness():
    assert deadlines.timeliness(at(2026, 11, 26, 10), at(2026, 11, 27, 17)) == "early"
    assert deadlines.timeliness(at(2026, 11, 27, 10), at(2026, 11, 27, 17)) == "on_time"
    assert deadlines.timeliness(at(2026, 11, 28, 10), at(2026, 11, 27, 17)) == "late"


moments = st.datetimes(min_value=dt.datetime(2025, 1, 1), max_value=dt.datetime(2029, 12, 31))
units = st.sampled_from(["working_days", "calendar_days", "months", "same_day", "working_hours"])


@settings(max_examples=300, deadline=None)
@given(received=moments, value=st.integers(min_value=0, max_value=40), unit=units, paper=st.booleans())
def test_due_at_never_falls_on_a_day_off(received, value, unit, paper):
    received = timezone.make_aware(received)
    result = deadlines.due_at(CAL, deadlines.clock_start(CAL, received, paper=paper), value, unit)
    assert CAL.is_working_day(timezone.localtime(result).date())
    assert result >= received or unit == "same_day"
