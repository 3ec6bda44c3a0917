"""The leader dashboard: who may read it, the breakdowns, the dossiers behind each figure (the same
rules as the figures), the exports and the year's targets."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from dossiers.models import Dossier, IndicatorTarget
from dossiers.services import desk
from dossiers.services.figures import figures_count_overdue
from dossiers.views.indicators import FIGURE_LABELS
from portal.cache import forget
from portal.constants import Role
from tests.dossiers.conftest import run_to
from tests.dossiers.test_indicators import past_due
from tests.dossiers.test_one_supplement import answer, ask
from tests.dossiers.test_queue import make_filed
from tests.factories import AgencyFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "dossiers:desk_indicators"


def period(**more):
    """The last 30 days: the history below spans six days, whatever the date the tests run on."""
    today = timezone.localdate()
    return {"period": "custom", "start": (today - dt.timedelta(days=30)).isoformat(), "end": today.isoformat(), **more}


@pytest.fixture
def history(ready_draft, citizen, staff, version):
    """On time, late by the appointment, late by two supplement requests, open past due, open in time."""
    on_time, late, twice, stuck, fresh = make_filed(ready_draft, citizen, 5)
    run_to(on_time, "returned", staff)
    run_to(past_due(run_to(late, "awaiting_approval", staff)), "returned", staff)
    component = version.components.first()
    ask(twice, staff.desk, component)
    dossier = run_to(answer(twice, citizen, component), "appraising", staff)
    ask(dossier, staff.specialist, component)
    run_to(answer(Dossier.objects.get(pk=dossier.pk), citizen, component), "returned", staff)
    desk.dossier_accept(dossier=stuck, actor=staff.desk, now=timezone.now() - dt.timedelta(days=6))
    past_due(Dossier.objects.get(pk=stuck.pk))
    run_to(fresh, "received", staff)
    figures_count_overdue(timezone.localdate() - dt.timedelta(days=1))
    forget()


def test_only_leaders_and_superusers_read_it(client, staff, agency):
    assert client.get(reverse(URL)).status_code == 302
    for person in (UserFactory(), staff.desk, staff.specialist):
        client.force_login(person)
        assert client.get(reverse(URL)).status_code == 403
    client.force_login(staff.leader)
    assert client.get(reverse(URL)).status_code == 200
    client.force_login(UserFactory(is_superuser=True))
    assert client.get(reverse(URL)).status_code == 200


def test_the_figures_and_the_dossiers_behind_each(client, history, staff):
    client.force_login(staff.leader)
    response = client.get(reverse(URL), period())
    total = response.context["total"]
    assert (total["received"], total["finished"], total["finished_on_time"], total["overdue_open"]) == (5, 3, 1, 1)
    expected = {"received": 5, "finished": 3, "finished_on_time": 1, "finished_late": 2, "overdue_open": 1}
    for figure in FIGURE_LABELS:
        listed = client.get(reverse("dossiers:desk_indicator_dossiers", args=[figure]), period())
        assert listed.status_code == 200
        assert listed.context["page"].paginator.count == expected[figure], figure
        codes = {d.code for d in listed.context["page"].object_list}
        assert all(reverse("dossiers:desk_dossier", args=[code]) in listed.content.decode() for code in codes)


def test_breakdowns(client, history, staff, agency, version):
    client.force_login(staff.leader)
    for by, label in (
        ("agency", agency.name),
        ("procedure", version.procedure.name),
        ("sector", version.procedure.sector.name),
        ("channel", "Trực tuyến"),
        ("desk", agency.desks.get().name),
    ):
        rows = client.get(reverse(URL), period(by=by)).context["rows"]
        assert [(str(r["label"]).split(" (")[0], r["values"]["received"]) for r in rows] == [(label, 5)], by


def test_another_agencys_leader_sees_none_of_it(client, history, agency):
    other = AgencyFactory(code="H98.01")
    leader = MembershipFactory(agency=other, role=Role.LEADER).user
    client.force_login(leader)
    assert client.get(reverse(URL), period()).context["total"]["received"] == 0
    response = client.get(reverse(URL), period(agency=agency.code))
    assert response.status_code == 400 and response.context["total"]["received"] == 0
    listed = client.get(reverse("dossiers:desk_indicator_dossiers", args=["received"]), period(agency=agency.code))
    assert listed.context["page"].paginator.count == 0
    assert client.get(reverse("dossiers:desk_indicator_dossiers", args=["nothing"])).status_code == 403


def test_a_bad_period_says_what_is_wrong_and_keeps_the_input(client, staff):
    client.force_login(staff.leader)
    response = client.get(reverse(URL), {"period": "custom", "start": "2026-05-01", "end": "2026-04-01"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ngày kết thúc phải sau ngày bắt đầu" in html and 'value="2026-05-01"' in html


def test_exports(client, history, staff, agency):
    from openpyxl import load_workbook

    agency.name = "=HYPERLINK(1)"
    agency.save()
    forget()
    client.force_login(staff.leader)
    response = client.get(reverse(URL), period(export="csv"))
    assert response["Content-Type"].startswith("text/csv") and "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["Cơ quan", "Tiếp nhận"] and rows[1][:2] == ["'=HYPERLINK(1)", "5"]
    response = client.get(reverse(URL), period(export="xlsx", by="agency"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[2]][:2] == ["'=HYPERLINK(1)", 5]


def test_targets_beside_the_actual_figures(client, history, staff, agency):
    year = timezone.localdate().year
    IndicatorTarget.objects.create(agency=agency, year=year, indicator="online_rate", percent=55)
    IndicatorTarget.objects.create(agency=agency, year=year, indicator="on_time_rate", percent=95)
    client.force_login(staff.leader)
    targets = client.get(reverse(URL), {"period": "year"}).context["targets"]
    assert [(t["label"], t["met"]) for t in targets] == [
        ("Tỷ lệ giải quyết đúng hạn", False),
        ("Tỷ lệ hồ sơ trực tuyến", True),
    ]


def test_community_teams_count_the_filings_their_members_made_for_citizens(client, history, staff, agency, citizen):
    from dossiers.constants import FilerRelation
    from portal.models import CommunityTeam

    helper, idle = UserFactory(), UserFactory()
    busy_team = CommunityTeam.objects.create(agency=agency, name="Tổ thôn 1")
    busy_team.members.set([helper])
    CommunityTeam.objects.create(agency=agency, name="Tổ thôn 2").members.set([idle])
    CommunityTeam.objects.create(agency=AgencyFactory(code="H97.01"), name="Tổ xã khác").members.set([helper])
    filed = list(Dossier.objects.filter(applicant=citizen).order_by("pk")[:3])
    # Her own dossier (filed for herself, or for family) is not the team's work.
    Dossier.objects.filter(pk=filed[2].pk).update(filer=helper, filer_relation=FilerRelation.FAMILY)
    Dossier.objects.filter(pk=filed[0].pk).update(filer=helper, filer_relation=FilerRelation.COMMUNITY_HELPER)
    Dossier.objects.filter(pk=filed[1].pk).update(
        filer=helper, filer_relation=FilerRelation.COMMUNITY_HELPER, submitted_at=timezone.now() - dt.timedelta(days=90)
    )
    client.force_login(staff.leader)
    teams = client.get(reverse(URL), period()).context["teams"]
    assert [(t["name"], t["members"], t["filings"]) for t in teams] == [("Tổ thôn 1", 1, 1), ("Tổ thôn 2", 1, 0)]


def test_each_breakdown_row_drills_down_to_its_own_dossiers(client, history, staff, version, ready_draft, citizen):
    from procedures.models import Procedure
    from tests.factories import make_version

    # A second procedure's dossier, so a row's list is not simply everything.
    other = make_version(
        Procedure.objects.create(code="9.999999", name="Thủ tục khác", sector=version.procedure.sector)
    )
    other.procedure.agencies.add(Dossier.objects.first().agency)
    moved = Dossier.objects.filter(stage="received").first()
    Dossier.objects.filter(pk=moved.pk).update(version=other)
    from dossiers.services.figures import recount_figures

    recount_figures()
    forget()
    client.force_login(staff.leader)
    for by in ("procedure", "sector", "desk", "channel"):
        for row in client.get(reverse(URL), period(by=by)).context["rows"]:
            listed = client.get(
                reverse("dossiers:desk_indicator_dossiers", args=["received"]), period(part=row["part"])
            )
            assert listed.context["page"].paginator.count == row["values"]["received"], (by, row["label"])
    procedure_rows = client.get(reverse(URL), period(by="procedure")).context["rows"]
    assert sorted(r["values"]["received"] for r in procedure_rows) == [1, 4]
    missing = reverse("dossiers:desk_indicator_dossiers", args=["received"])
    assert client.get(missing, period(part="nothing:1")).status_code == 404
    assert client.get(missing, period(part="channel:carrier-pigeon")).status_code == 404


def test_the_trend_shows_twelve_months_ending_with_the_periods_own(client, history, staff):
    client.force_login(staff.leader)
    today = timezone.localdate()
    html = client.get(reverse(URL), period()).content.decode()
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert svg.count("<g><title>") == 12
    first = dt.datetime.combine(today.replace(day=1), dt.time.min, tzinfo=timezone.get_current_timezone())
    this_month = Dossier.objects.filter(received_at__gte=first).count()
    assert this_month and f"{today:%m/%Y}: {this_month} ({this_month} trực tuyến)" in svg
    assert 'aria-labelledby="trend-title trend-desc"' in svg
