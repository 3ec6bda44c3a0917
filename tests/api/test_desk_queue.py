"""The staff queue endpoint: the desk page's tabs, counts, filters and keyset pages (the same
dossiers.queues functions), for staff only."""

import re

import pytest
from django.urls import reverse

from dossiers.services import filing
from portal.constants import Role
from tests.dossiers.conftest import ANSWERS, pdf
from tests.factories import AgencyFactory, MembershipFactory

pytestmark = pytest.mark.django_db

QUEUE = "/api/v1/desk/queue/"


def file_one(version, agency, citizen):
    from dossiers.services import uploads

    dossier = filing.dossier_start(version=version, actor=citizen, agency=agency)
    filing.dossier_save_answers(dossier=dossier, actor=citizen, raw=dict(ANSWERS))
    for component in list(version.components.all())[:2]:
        uploads.attachment_add(dossier=dossier, actor=citizen, component=component, upload=pdf())
    filing.dossier_set_delivery(dossier=dossier, actor=citizen, delivery="desk")
    dossier.refresh_from_db()
    return filing.dossier_submit(dossier=dossier, actor=citizen, declaration=True)


def test_the_desk_officer_gets_the_check_tab_with_its_counts(client, filed, staff):
    client.force_login(staff.desk)
    body = client.get(QUEUE).json()
    assert body["tab"] == "check" and body["next"] is None
    assert {"key": "check", "label": "Hồ sơ mới cần kiểm tra", "count": 1} in body["tabs"]
    [row] = body["results"]
    assert row["code"] == filed.code and row["stage"] == "checking" and row["applicant"] == "Nguyễn Văn Bố"
    assert row["url"].endswith(f"/api/v1/dossiers/{filed.code}/")
    assert client.get(row["url"]).json()["stage"] == "checking"


def test_every_tab_lists_what_the_desk_page_lists(client, filed, staff):
    for user in (staff.desk, staff.specialist, staff.leader):
        client.force_login(user)
        for tab in client.get(QUEUE).json()["tabs"]:
            api = [r["code"] for r in client.get(QUEUE, {"tab": tab["key"]}).json()["results"]]
            page = client.get(reverse("dossiers:desk_queue"), {"tab": tab["key"]}).content.decode()
            assert api == re.findall(r'<a href="/desk/dossiers/([^/]+)/">', page), (user, tab["key"])


def test_pages_follow_the_cursor_and_filters_apply(client, filed, staff, version, agency, citizen):
    for _ in range(26):
        file_one(version, agency, citizen)
    client.force_login(staff.desk)
    first = client.get(QUEUE, {"tab": "check"}).json()
    assert len(first["results"]) == 25 and first["next"]
    second = client.get(first["next"]).json()
    codes = [r["code"] for r in first["results"] + second["results"]]
    assert len(codes) == 27 == len(set(codes)) and second["next"] is None
    assert client.get(QUEUE, {"tab": "check", "channel": "in_person"}).json()["results"] == []
    assert [r["code"] for r in client.get(QUEUE, {"tab": "all", "q": filed.code}).json()["results"]] == [filed.code]


def test_bad_filters_are_named_and_bad_cursors_refused(client, filed, staff):
    client.force_login(staff.desk)
    wrong = client.get(QUEUE, {"tab": "to_approve", "status": "nope"})
    assert wrong.status_code == 400 and set(wrong.json()) == {"tab", "status"}
    assert client.get(QUEUE, {"cursor": "x"}).status_code == 404


def test_only_staff_see_a_queue_and_only_their_agencys(client, filed, citizen):
    assert client.get(QUEUE).status_code == 403
    client.force_login(citizen)
    refused = client.get(QUEUE)
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
    client.force_login(MembershipFactory(agency=AgencyFactory(code="H99.02"), role=Role.DESK_OFFICER).user)
    assert client.get(QUEUE, {"tab": "check"}).json()["results"] == []


@pytest.mark.parametrize("overdue", [False, True])
def test_a_row_written_out_is_what_its_declared_fields_give(client, filed, staff, overdue):
    """QueueRowSerializer writes a row out by hand for speed; the schema documents its declared
    fields, so the two must give the same JSON (a due date in the API's time zone, the urgency)."""
    from django.utils import timezone
    from rest_framework import serializers

    from dossiers import queues
    from dossiers.api.serializers import QueueRowSerializer
    from dossiers.models import Dossier

    due = timezone.timedelta(hours=-2) if overdue else timezone.timedelta(days=30)
    Dossier.objects.filter(pk=filed.pk).update(priority_at=timezone.now() + due)
    memberships = queues.staff_memberships(staff.desk)
    tab = queues.tabs_for(memberships)[0]
    [row], _next = queues.queue_page(user=staff.desk, memberships=memberships, tab=tab, filters=queues.Filters())
    now = timezone.now()
    context = {"now": now, "soon": queues.due_soon_limit(memberships, now), "detail": "https://x.vn/api/v1/dossiers/"}
    fast = QueueRowSerializer(row, context=context).data
    declared = serializers.Serializer.to_representation(QueueRowSerializer(context=context), row)
    assert fast == declared and set(fast) == set(QueueRowSerializer().fields)
    assert fast["urgency"] == ("overdue" if overdue else "") and fast["due_at"]
    client.force_login(staff.desk)
    assert client.get(QUEUE, {"tab": tab.key}).json()["results"][0] == {
        **fast,
        "url": fast["url"].replace("https://x.vn", "http://testserver"),
    }
