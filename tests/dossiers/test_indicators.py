"""The indicators on hand-built datasets, moved through the real services: the daily figures kept
in each change's transaction, the formulas of dossiers/indicators.py, the public JSON feed, and the
nightly reconciliation that finds and repairs drift."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from dossiers.models import DailyFigures, Dossier
from dossiers.services import desk
from dossiers.services.figures import figures_count_overdue, figures_reconcile
from portal.cache import forget
from tests.dossiers.conftest import run_to
from tests.dossiers.test_one_supplement import answer, ask
from tests.dossiers.test_queue import make_filed

pytestmark = pytest.mark.django_db

KEYS = {
    "received",
    "received_online",
    "online_rate",
    "finished",
    "finished_on_time",
    "on_time_rate",
    "overdue_open",
    "avg_processing_days",
    "satisfaction_rate",
    "digitisation_rate",
    "e_result_rate",
    "reuse_rate",
    "online_payment_rate",
    "score_766",
}


def feed(client, **params):
    forget()  # the feed keeps its answer 30 seconds in the process
    response = client.get(reverse("dossiers:indicators_json"), params)
    assert response.status_code == 200, response.content
    return response.json()


def past_due(dossier):
    """The appointment moved two days back, as if the agency had let it pass."""
    Dossier.objects.filter(pk=dossier.pk).update(due_at=timezone.now() - dt.timedelta(days=2))
    dossier.refresh_from_db()
    return dossier


def test_on_time_late_and_the_feeds_keys(client, ready_draft, citizen, staff):
    on_time, late, open_one = make_filed(ready_draft, citizen, 3)
    run_to(on_time, "returned", staff)
    run_to(past_due(run_to(late, "awaiting_approval", staff)), "returned", staff)
    run_to(open_one, "received", staff)
    values = feed(client)
    assert set(values) == KEYS
    assert (values["received"], values["received_online"], values["online_rate"]) == (3, 3, 1.0)
    assert (values["finished"], values["finished_on_time"], values["on_time_rate"]) == (2, 1, 0.5)
    # Three dossiers of a fee-bearing procedure, none paid online (nothing was asked yet).
    assert values["overdue_open"] == 0 and values["online_payment_rate"] == 0.0
    # No rating, no complaint: satisfaction is 100 % less the late rate.
    assert values["satisfaction_rate"] == 0.5
    # The returned results carry the desk's scan of the paper result: e-result and digitised.
    assert (values["e_result_rate"], values["digitisation_rate"], values["reuse_rate"]) == (1.0, 1.0, 0.0)
    assert values["avg_processing_days"] is not None and values["avg_processing_days"] < 1
    assert 0 < values["score_766"] <= 100


def test_supplement_waiting_time_is_not_counted_against_the_agency(client, filed, staff, citizen, version):
    """Appraisal asks for a supplement; while the citizen takes their time the appointment passes. The
    complete dossier restarts the clock, so finishing now is on time."""
    component = version.components.first()
    dossier = run_to(filed, "appraising", staff)
    ask(dossier, staff.specialist, component)
    dossier = answer(past_due(Dossier.objects.get(pk=dossier.pk)), citizen, component)
    assert dossier.due_at > timezone.now()
    run_to(dossier, "returned", staff)
    values = feed(client)
    assert (values["finished"], values["finished_on_time"]) == (1, 1)


def test_more_than_one_supplement_request_counts_as_late(client, filed, staff, citizen, version):
    component = version.components.first()
    ask(filed, staff.desk, component)
    dossier = answer(filed, citizen, component)
    dossier = run_to(dossier, "appraising", staff)
    ask(dossier, staff.specialist, component)
    dossier = answer(Dossier.objects.get(pk=dossier.pk), citizen, component)
    run_to(dossier, "returned", staff)  # well before the appointment
    values = feed(client)
    assert (values["finished"], values["finished_on_time"], values["on_time_rate"]) == (1, 0, 0.0)


def test_open_dossiers_past_due_at_the_period_end_count_as_late(client, ready_draft, citizen, staff):
    done, stuck = make_filed(ready_draft, citizen, 2)
    run_to(done, "returned", staff)
    desk.dossier_accept(dossier=stuck, actor=staff.desk, now=timezone.now() - dt.timedelta(days=5))
    past_due(run_to(Dossier.objects.get(pk=stuck.pk), "appraising", staff))
    assert figures_count_overdue(timezone.localdate() - dt.timedelta(days=1)) == 1
    values = feed(client)
    assert (values["finished_on_time"], values["overdue_open"], values["on_time_rate"]) == (1, 1, 0.5)


def test_a_period_counts_what_happened_in_it(client, ready_draft, citizen, staff, agency):
    """Received on the evening of the last day of January (local time), finished today: January
    counts the receipt, this month the finish; a date range covers its last day whole."""
    january_evening = dt.datetime(2026, 1, 31, 22, 30, tzinfo=timezone.get_current_timezone())
    dossier = make_filed(ready_draft, citizen, 1)[0]
    desk.dossier_accept(dossier=dossier, actor=staff.desk, now=january_evening)
    run_to(Dossier.objects.get(pk=dossier.pk), "returned", staff)
    january = feed(client, agency=agency.code, **{"from": "2026-01-01", "to": "2026-01-31"})
    assert (january["received"], january["finished"]) == (1, 0)
    february = feed(client, **{"from": "2026-02-01", "to": "2026-02-28"})
    assert (february["received"], february["finished"]) == (0, 0)
    today = timezone.localdate().isoformat()
    now = feed(client, **{"from": today, "to": today})
    assert (now["received"], now["finished"]) == (0, 1)
    # The processing time runs from the clock's start (the next working morning) to today.
    assert now["avg_processing_days"] > 200


def test_ratings_count_towards_satisfaction(client, ready_draft, citizen, staff):
    from dossiers.services.citizen import dossier_rate

    happy, unhappy = (run_to(d, "returned", staff) for d in make_filed(ready_draft, citizen, 2))
    scores = {"timeliness": 5, "contacts": 5, "information_accuracy": 4, "staff_attitude": 5, "cost": 5}
    dossier_rate(dossier=happy, actor=citizen, overall="satisfied", **scores)
    dossier_rate(dossier=unhappy, actor=citizen, overall="dissatisfied", **{**scores, "staff_attitude": 1})
    values = feed(client)
    assert values["finished_on_time"] == 2
    assert values["satisfaction_rate"] == 0.5  # one of two finished dossiers rated "dissatisfied"
    cell = DailyFigures.objects.get(rated__gt=0)
    assert (cell.rated, cell.satisfied, cell.attitude_points) == (2, 1, 6)


def test_the_feed_refuses_bad_input_clearly(client):
    response = client.get(reverse("dossiers:indicators_json"), {"from": "31/01/2026"})
    assert response.status_code == 400 and "YYYY-MM-DD" in response.json()["errors"]["from"]
    response = client.get(reverse("dossiers:indicators_json"), {"from": "2026-02-01", "to": "2026-01-01"})
    assert response.status_code == 400 and "to" in response.json()["errors"]
    response = client.get(reverse("dossiers:indicators_json"), {"agency": "KHONG-CO"})
    assert response.status_code == 404


def test_an_agency_counts_its_subtree_only(client, ready_draft, citizen, staff, agency):
    from tests.factories import AgencyFactory

    run_to(make_filed(ready_draft, citizen, 1)[0], "received", staff)
    AgencyFactory(code="H99.99")
    assert feed(client, agency=agency.code)["received"] == 1
    assert feed(client, agency="H99.99")["received"] == 0


def test_reconciliation_finds_and_repairs_injected_drift(ready_draft, citizen, staff):
    dossiers = make_filed(ready_draft, citizen, 2)
    run_to(dossiers[0], "returned", staff)
    run_to(dossiers[1], "received", staff)
    today = timezone.localdate()
    assert figures_reconcile(today, today, repair=False) == 0
    cell = DailyFigures.objects.get(received__gt=0)
    DailyFigures.objects.filter(pk=cell.pk).update(received=7, finished_late=3)
    DailyFigures.objects.create(day=today, agency_id=cell.agency_id, procedure_id=cell.procedure_id, channel="post")
    DailyFigures.objects.filter(pk=DailyFigures.objects.latest("pk").pk).update(finished=4)
    Dossier.objects.filter(pk=dossiers[1].pk).update(counted=[])
    assert figures_reconcile(today, today) == 2
    assert figures_reconcile(today, today, repair=False) == 0
    cell.refresh_from_db()
    assert (cell.received, cell.finished, cell.finished_late) == (2, 1, 0)
    assert Dossier.objects.get(pk=dossiers[1].pk).counted != []


def test_the_public_page_and_the_home_summary(client, ready_draft, citizen, staff):
    run_to(make_filed(ready_draft, citizen, 1)[0], "returned", staff)
    forget()
    page = client.get(reverse("dossiers:statistics")).content.decode()
    assert 'id="by-agency"' in page and "UBND xã Thử Nghiệm" in page and "100,0\u00a0%" in page
    assert reverse("dossiers:statistics") in client.get(reverse("portal:home")).content.decode()
    home = client.get(reverse("portal:home")).content.decode()
    assert f"Năm {timezone.localdate().year}: 1 hồ sơ, 100,0\u00a0% trực tuyến, 100,0\u00a0% đúng hạn" in home
    response = client.get(reverse("dossiers:statistics"), {"year": "1990", "month": "13"})
    assert response.status_code == 400 and "is-invalid" in response.content.decode()


def test_the_processing_time_cuts_report_reads_the_catalogs_history(client, agency):
    """2024: 10 days; 2025: cut to 6; 2026: back up to 8 (not a cut); another procedure cut in 2025
    from 2 working hours (a quarter of a day) to same-day."""
    from procedures.constants import VersionStatus
    from procedures.models import ProcedureVersion
    from procedures.selectors import cuts_by_year, processing_time_cuts
    from tests.factories import ProcedureFactory, make_version

    tz = timezone.get_current_timezone()
    procedure = ProcedureFactory(name="Cấp giấy phép xây dựng")
    other = ProcedureFactory(name="Chứng thực bản sao")
    for proc, steps in (
        (procedure, [(2024, 10, "working_days"), (2025, 6, "working_days"), (2026, 8, "working_days")]),
        (other, [(2024, 2, "working_hours"), (2025, 0, "same_day")]),
    ):
        proc.agencies.add(agency)
        for i, (year, value, unit) in enumerate(steps):
            status = VersionStatus.PUBLISHED if i == len(steps) - 1 else VersionStatus.RETIRED
            version = make_version(proc, status=status, processing_time_value=value, processing_time_unit=unit)
            ProcedureVersion.objects.filter(pk=version.pk).update(published_at=dt.datetime(year, 6, 1, tzinfo=tz))
    ProcedureFactory().versions.create(number=1, status=VersionStatus.DRAFT, processing_time_value=1)  # never published
    cuts = processing_time_cuts()
    assert [(c.year, c.name, c.before, c.after) for c in cuts] == [
        (2025, "Cấp giấy phép xây dựng", 10, 6),
        (2025, "Chứng thực bản sao", 0.2, 0),
    ]
    assert [(y["year"], y["procedures"], y["before"], y["after"]) for y in cuts_by_year(cuts)] == [(2025, 2, 10.2, 6)]
    forget()
    page = client.get(reverse("dossiers:statistics")).content.decode()
    assert "Năm 2025: 2 thủ tục, từ 10,2 ngày xuống 6 ngày" in page


def test_recount_rebuilds_everything_after_a_bulk_load(client, ready_draft, citizen, staff):
    """A bulk load (the benchmark's) writes dossiers and nothing else: recount_figures builds what
    the live rules would have counted, and each dossier's record of it."""
    from dossiers.services.figures import recount_figures

    done, open_one = make_filed(ready_draft, citizen, 2)
    run_to(done, "returned", staff)
    run_to(open_one, "received", staff)
    before = feed(client)
    DailyFigures.objects.all().delete()
    Dossier.objects.update(counted=[])
    assert feed(client)["received"] == 0
    assert recount_figures() > 0
    assert feed(client) == before
    assert Dossier.objects.get(pk=done.pk).counted != []
    assert recount_figures() == 0


def test_the_766_score_by_hand():
    from dossiers.indicators import score_766

    score, groups = score_766(
        {
            "catalog_complete_rate": 0.5,  # 18 x 0.5 = 9
            "on_time_rate": 1.0,  # 20
            "e_result_rate": 1.0,  # 22/3
            "digitisation_rate": 0.4,  # half of the 80 % that earns 22/3
            "reuse_rate": 0.9,  # above 80 %: 22/3, no more
            "online_rate": 0.5,  # 11 at 50 %
            "online_payment_rate": None,  # nothing to measure: 0
            "satisfaction_rate": 0.45,  # half of 90 %: 9
        }
    )
    assert [points for _name, _max, points in groups] == [9.0, 20.0, 18.33, 11.0, 9.0]
    assert [maximum for _name, maximum, _points in groups] == [18, 20, 22, 22, 18]
    assert score == 67.33


def test_the_nightly_job_counts_yesterdays_overdue_and_repairs_the_last_weeks(ready_draft, citizen, staff):
    from dossiers.tasks import reconcile_figures

    dossier = make_filed(ready_draft, citizen, 1)[0]
    desk.dossier_accept(dossier=dossier, actor=staff.desk, now=timezone.now() - dt.timedelta(days=5))
    past_due(Dossier.objects.get(pk=dossier.pk))
    DailyFigures.objects.filter(received__gt=0).update(received=9)
    result = reconcile_figures()
    assert (result["overdue_open"], result["cells_repaired"]) == (1, 1)
    assert DailyFigures.objects.filter(received__gt=0).get().received == 1


def test_months_span_crosses_the_year_end():
    from dossiers.figures import months_span

    assert months_span(2026, 12, 1) == (dt.date(2026, 12, 1), dt.date(2026, 12, 31))
    assert months_span(2026, 10, 3) == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert months_span(2024, 2, 1) == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert months_span(2026, 1, 12) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
