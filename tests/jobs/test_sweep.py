"""The deadline sweep and the calendar-change job on constructed data, across Tết and an override."""

import datetime as dt

import pytest
from django.utils import timezone

from dossiers.models import Dossier
from dossiers.sweeps import run_deadline_sweep
from portal.models import Notification
from tests.dossiers.conftest import run_to

pytestmark = pytest.mark.django_db


def at(y, m, d, h=9):
    return timezone.make_aware(dt.datetime(y, m, d, h))


def set_due(dossier, due):
    Dossier.objects.filter(pk=dossier.pk).update(due_at=due, priority_at=due)


def test_due_soon_reminds_the_assignee_once(filed, staff, enqueued):
    dossier = run_to(filed, "appraising", staff)
    now = at(2026, 12, 3, 9)
    set_due(dossier, at(2026, 12, 4, 17))  # within one working day
    first = run_deadline_sweep(now=now)
    second = run_deadline_sweep(now=now)
    assert first.due_soon == 2 and second.due_soon == 0  # in-app and email, once
    rows = Notification.objects.filter(event="dossier_due_soon")
    assert {(n.recipient, n.channel) for n in rows} == {(staff.specialist, "in_app"), (staff.specialist, "email")}
    assert dossier.code in rows.first().subject


def test_overdue_escalates_to_the_leader(filed, staff, enqueued):
    dossier = run_to(filed, "appraising", staff)
    set_due(dossier, at(2026, 12, 1, 17))
    result = run_deadline_sweep(now=at(2026, 12, 3, 9))
    recipients = set(
        Notification.objects.filter(event="dossier_overdue", channel="in_app").values_list(
            "recipient__full_name", flat=True
        )
    )
    assert result.overdue == 4 and recipients == {"Chuyên Viên", "Lãnh Đạo"}


def test_not_yet_due_or_finished_dossiers_are_left_alone(filed, staff, enqueued):
    dossier = run_to(filed, "appraising", staff)
    set_due(dossier, at(2026, 12, 20, 17))
    assert run_deadline_sweep(now=at(2026, 12, 3, 9)).due_soon == 0
    set_due(dossier, at(2026, 12, 1, 17))
    run_to(Dossier.objects.get(pk=dossier.pk), "returned", staff)
    assert run_deadline_sweep(now=at(2026, 12, 3, 9)).overdue == 0


def test_a_new_appointment_gets_new_reminders(filed, staff, enqueued):
    dossier = run_to(filed, "appraising", staff)
    set_due(dossier, at(2026, 12, 4, 17))
    run_deadline_sweep(now=at(2026, 12, 3, 9))
    set_due(dossier, at(2026, 12, 8, 17))  # moved after an apology letter
    assert run_deadline_sweep(now=at(2026, 12, 7, 9)).due_soon == 2


def test_last_day_for_an_apology_letter_is_flagged(filed, staff, enqueued):
    dossier = run_to(filed, "appraising", staff)
    set_due(dossier, at(2026, 12, 7, 17))  # Monday: the letter must be out by Friday 4 December
    assert run_deadline_sweep(now=at(2026, 12, 3, 9)).flagged == 0
    assert run_deadline_sweep(now=at(2026, 12, 4, 9)).flagged == 1
    assert Dossier.objects.get(pk=dossier.pk).extension_flagged_at is not None


@pytest.mark.parametrize(("own_agency", "reminders"), [(True, 2), (False, 0)])
def test_the_sweep_reads_the_agencys_own_calendar(filed, staff, agency, enqueued, own_agency, reminders):
    """Issue 11, item 8: Friday 4 December is a day off for this agency only, so its next working
    day after Thursday is Monday, and a dossier due on Monday is due soon there (not elsewhere)."""
    from portal.models import CalendarOverride
    from tests.factories import AgencyFactory

    dossier = run_to(filed, "appraising", staff)
    set_due(dossier, at(2026, 12, 7, 17))
    whose = agency if own_agency else AgencyFactory(code="H99.02")
    CalendarOverride.objects.create(agency=whose, date=dt.date(2026, 12, 4), is_working_day=False, note="Nghỉ")
    assert run_deadline_sweep(now=at(2026, 12, 3, 9)).due_soon == reminders


def test_an_override_of_a_parent_agency_reaches_its_communes_in_the_sweep(filed, staff, agency, enqueued):
    from portal.models import CalendarOverride
    from tests.factories import AgencyFactory

    district = AgencyFactory(code="H99")
    agency.parent = district
    agency.save(update_fields=["parent"])
    dossier = run_to(filed, "appraising", staff)
    set_due(dossier, at(2026, 12, 7, 17))
    CalendarOverride.objects.create(agency=district, date=dt.date(2026, 12, 4), is_working_day=False, note="Nghỉ")
    assert run_deadline_sweep(now=at(2026, 12, 3, 9)).due_soon == 2


def test_every_agencys_calendar_in_one_pass_is_its_own_calendar():
    from portal.calendar import calendar_for, calendars_by_agency
    from portal.models import Agency, CalendarOverride
    from tests.factories import AgencyFactory

    province = AgencyFactory(code="T")
    district = AgencyFactory(code="T.H", parent=province, cutoff_time=dt.time(16, 0))
    commune = AgencyFactory(code="T.H.X", parent=district)
    CalendarOverride.objects.create(date=dt.date(2026, 12, 4), is_working_day=False, note="Cả nước")
    CalendarOverride.objects.create(agency=province, date=dt.date(2026, 12, 5), is_working_day=True, note="Làm bù")
    CalendarOverride.objects.create(agency=district, date=dt.date(2026, 12, 4), is_working_day=True, note="Vẫn làm")
    CalendarOverride.objects.create(agency=commune, date=dt.date(2026, 12, 5), is_working_day=False, note="Xã nghỉ")
    everyone = calendars_by_agency()
    for agency in Agency.objects.all():
        one = calendar_for(agency)
        assert (everyone[agency.pk].overrides, everyone[agency.pk].hours) == (one.overrides, one.hours), agency.code


def test_sweep_enqueues_the_email_deliveries_after_commit(
    filed, staff, monkeypatch, django_capture_on_commit_callbacks
):
    from portal import tasks

    stamps = []
    monkeypatch.setattr(tasks.deliver_pending_since, "delay", lambda stamp: stamps.append(stamp))
    dossier = run_to(filed, "appraising", staff)
    set_due(dossier, at(2026, 12, 4, 17))
    with django_capture_on_commit_callbacks(execute=True):
        run_deadline_sweep(now=at(2026, 12, 3, 9))
    assert len(stamps) == 1


# --- calendar changes ---------------------------------------------------------------------------


def test_an_override_moves_the_appointments_it_affects_and_tells_the_citizen(
    filed, staff, citizen, enqueued, django_capture_on_commit_callbacks
):
    from dossiers.services import desk
    from dossiers.services.recompute import dossier_recompute_due_dates
    from portal.services import calendar_override_set

    dossier = desk.dossier_accept(dossier=filed, actor=staff.desk, now=at(2026, 2, 12, 9))  # before Tết
    assert timezone.localtime(dossier.due_at).date() == dt.date(2026, 2, 26)  # 5 working days across Tết
    with django_capture_on_commit_callbacks(execute=False):
        calendar_override_set(date=dt.date(2026, 2, 23), is_working_day=False, note="Nghỉ bù Tết")
    assert dossier_recompute_due_dates(day=dt.date(2026, 2, 23)) == 1
    dossier.refresh_from_db()
    assert timezone.localtime(dossier.due_at).date() == dt.date(2026, 2, 27)
    assert dossier.events.last().action == "calendar_change"
    assert Notification.objects.filter(recipient=citizen, event="dossier_due_moved", channel="in_app").exists()
    # Nothing else moves when recomputed again.
    assert dossier_recompute_due_dates(day=dt.date(2026, 2, 23)) == 0


def test_an_override_does_not_move_a_dossier_whose_result_is_ready(filed, staff, citizen, enqueued):
    """Issue 11, item 6: only open dossiers move; one with its result ready is finished."""
    from dossiers.services import desk
    from dossiers.services.recompute import dossier_recompute_due_dates
    from portal.services import calendar_override_set
    from tests.dossiers.conftest import run_to

    dossier = desk.dossier_accept(dossier=filed, actor=staff.desk, now=at(2026, 2, 12, 9))
    dossier = run_to(dossier, "result_ready", staff)
    due = dossier.due_at
    calendar_override_set(date=dt.date(2026, 2, 23), is_working_day=False, note="Nghỉ bù Tết")
    assert dossier_recompute_due_dates(day=dt.date(2026, 2, 23)) == 0
    dossier.refresh_from_db()
    assert dossier.due_at == due and dossier.events.last().action != "calendar_change"
    assert not Notification.objects.filter(recipient=citizen, event="dossier_due_moved").exists()


def test_an_override_outside_the_counting_period_moves_nothing(filed, staff, enqueued):
    from dossiers.services import desk
    from dossiers.services.recompute import dossier_recompute_due_dates
    from portal.services import calendar_override_set

    desk.dossier_accept(dossier=filed, actor=staff.desk, now=at(2026, 2, 12, 9))
    calendar_override_set(date=dt.date(2026, 3, 20), is_working_day=False, note="Không liên quan")
    assert dossier_recompute_due_dates(day=dt.date(2026, 3, 20)) == 0


def test_saving_an_override_schedules_the_job_after_commit(monkeypatch, django_capture_on_commit_callbacks):
    from portal.celery import app
    from portal.services import calendar_override_set

    sent = []
    monkeypatch.setattr(app, "send_task", lambda name, args: sent.append((name, args)))
    with django_capture_on_commit_callbacks(execute=True):
        calendar_override_set(date=dt.date(2026, 12, 5), is_working_day=True, note="Làm bù")
    assert sent == [("dossiers.tasks.recompute_due_dates", ["2026-12-05", None])]
