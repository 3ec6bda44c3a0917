"""`load_demo --history` (make run): a year of dossiers in the seed district's proportions, whose
figures are what the live rules would have counted, with intact event chains; loaded once."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from dossiers import demo_history
from dossiers.audit import verify_chains
from dossiers.indicators import indicators
from dossiers.models import Dossier
from dossiers.selectors import figures_sum
from dossiers.services.counters import recount_queue_counters
from dossiers.services.figures import figures_reconcile

pytestmark = pytest.mark.django_db


def test_a_year_of_history_in_the_seed_proportions(monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(demo_history, "DOSSIERS", 800)
    out = StringIO()
    call_command("load_demo", "--quiet-logins", "--history", stdout=out)
    assert "Demo history: 800 dossiers" in out.getvalue()
    history = Dossier.objects.filter(applicant__email__startswith="lichsu.")
    assert history.count() == 800
    today = timezone.localdate()
    assert history.filter(submitted_at__date__gte=today - dt.timedelta(days=366)).count() == 800
    sums, online, overdue = figures_sum(agency_ids=None, start=None, end=None)
    values = indicators(sums, received_online=online, overdue_open=overdue)
    assert 0.88 <= values["online_rate"] <= 0.97
    assert values["on_time_rate"] >= 0.9 and values["satisfaction_rate"] >= 0.85
    assert values["reuse_rate"] > 0 and values["e_result_rate"] > 0.9
    # Fees of online dossiers are mostly paid online; cash at the desk for the rest.
    assert 0.6 <= values["online_payment_rate"] <= 0.9
    checked, breaks = verify_chains()
    assert checked > 4 * 800 and breaks == []
    assert figures_reconcile(dt.date(2000, 1, 1), dt.date(2100, 1, 1), repair=False) == 0
    assert recount_queue_counters() == 0
    from dossiers.constants import FilerRelation
    from portal.models import CommunityTeam
    from procedures.selectors import processing_time_cuts

    assert CommunityTeam.objects.count() == 10
    assert history.filter(filer_relation=FilerRelation.COMMUNITY_HELPER).count() > 10
    assert sorted({c.year for c in processing_time_cuts()}) == [2025, 2026] and len(processing_time_cuts()) == 7
    out = StringIO()
    call_command("load_demo", "--quiet-logins", "--history", stdout=out)
    assert "Demo history" not in out.getvalue() and history.count() == 800
