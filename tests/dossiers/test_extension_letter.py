"""Issue 11, item 4: Form 04 (apology and new date) is the agency's letter: a specialist may draft it,
only a leader issues it, and the printed letter carries the issuing leader's name."""

import datetime as dt
import io

import pypdf
import pytest
from django.urls import reverse
from django.utils import timezone

from dossiers.exceptions import ActionNotAllowed
from dossiers.models import ExtensionLetter
from dossiers.services import desk
from portal.models import Notification
from tests.dossiers.conftest import run_to

pytestmark = pytest.mark.django_db


def later_working_day(dossier, days=7):
    day = timezone.localtime(dossier.due_at).date() + dt.timedelta(days=days)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


@pytest.fixture
def appraising(filed, staff):
    return run_to(filed, "appraising", staff)


def test_a_specialist_cannot_issue_form_04(appraising, staff):
    with pytest.raises(ActionNotAllowed):
        desk.dossier_issue_extension(
            dossier=appraising, actor=staff.specialist, new_date=later_working_day(appraising), reason="Chờ xác minh"
        )
    assert not ExtensionLetter.objects.exists()


def test_a_draft_changes_nothing_for_the_citizen_and_the_leader_issues_it(client, appraising, staff, citizen):
    due = appraising.due_at
    new_day = later_working_day(appraising)
    told_before = Notification.objects.filter(recipient=citizen).count()
    desk.dossier_draft_extension(dossier=appraising, actor=staff.specialist, new_date=new_day, reason="Chờ xác minh")
    appraising.refresh_from_db()
    assert appraising.due_at == due and Notification.objects.filter(recipient=citizen).count() == told_before
    assert not appraising.events.get(action="draft_extension").public

    client.force_login(staff.leader)
    page = client.get(reverse("dossiers:desk_dossier", args=[appraising.code]))
    form = {a: f for a, _label, f in page.context["forms"]}["issue_extension"]
    assert form.initial["reason"] == "Chờ xác minh" and form.initial["new_date"] == new_day.isoformat()
    client.post(
        reverse("dossiers:desk_act", args=[appraising.code, "issue_extension"]),
        {
            "issue_extension-expected_stage": "appraising",
            "issue_extension-new_date": new_day.isoformat(),
            "issue_extension-reason": "Chờ xác minh",
        },
    )
    letter = ExtensionLetter.objects.get(dossier=appraising)
    assert (letter.issued_by, letter.drafted_by) == (staff.leader, staff.specialist)
    pdf = client.get(reverse("dossiers:desk_form", args=[appraising.code, "04"])).content
    text = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Lãnh Đạo" in text and "Chuyên Viên" not in text


def test_a_draft_follows_the_same_rules(appraising, staff):
    with pytest.raises(Exception, match="sau ngày hẹn cũ"):
        desk.dossier_draft_extension(
            dossier=appraising,
            actor=staff.specialist,
            new_date=timezone.localtime(appraising.due_at).date(),
            reason="x",
        )
    with pytest.raises(ActionNotAllowed):
        desk.dossier_draft_extension(
            dossier=appraising, actor=staff.leader, new_date=later_working_day(appraising), reason="x"
        )
