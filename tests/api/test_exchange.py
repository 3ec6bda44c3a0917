"""Inter-agency exchange (liên thông) with a consulted agency's system: an `exchange` token lists the
tasks sent to its agency, reads one with the dossier it concerns (logged), and replies; the reply goes
through the same service and transition table as a specialist's, as the client's responsible officer."""

import pytest
from django.urls import reverse

from dossiers.constants import Stage
from dossiers.services import desk
from portal.constants import Role
from portal.models import PartnerAccess, PersonalDataAccess
from portal.services import partner_issue
from tests.api.test_partners import bearer, token_for
from tests.dossiers.conftest import run_to
from tests.factories import AgencyFactory, MembershipFactory

pytestmark = pytest.mark.django_db

TASKS = "/api/v1/partner/tasks/"
JSON = "application/json"


@pytest.fixture
def consulted():
    return AgencyFactory(code="H99.TN", name="Phòng Tài nguyên và Môi trường")


def exchange_token(client, agency, scopes=("exchange",), officer=None):
    officer = officer or MembershipFactory(agency=agency, role=Role.SPECIALIST).user
    _access, client_id, secret = partner_issue(
        name="Phần mềm một cửa của phòng", scopes=list(scopes), agencies=[agency], rate="600/min", responsible=officer
    )
    return token_for(client, client_id, secret).json()["access_token"]


def forwarded(filed, staff, *agencies):
    dossier = run_to(filed, "appraising", staff)
    tasks = [(agency, f"Xác minh thửa đất ({agency.code})", dossier.due_at.date()) for agency in agencies]
    return desk.dossier_forward(dossier=dossier, actor=staff.specialist, tasks=tasks)


def test_a_consulted_agency_lists_reads_and_replies_and_the_dossier_returns_to_appraisal(
    client, filed, staff, consulted
):
    dossier = forwarded(filed, staff, consulted)
    token = exchange_token(client, consulted)
    listed = client.get(TASKS, **bearer(token))
    assert listed.status_code == 200
    (task,) = listed.json()["results"]
    assert (task["dossier"]["code"], task["agency"]["code"], task["reply"]) == (dossier.code, "H99.TN", "")
    assert "applicant" not in task["dossier"]  # the list carries no personal data

    detail = client.get(f"{TASKS}{task['id']}/", **bearer(token))
    assert detail.status_code == 200 and detail.json()["dossier"]["applicant"]["national_id"] == "017095001111"
    entry = PersonalDataAccess.objects.get()
    assert (entry.reason, entry.dossier_code, entry.actor) == (
        "partner_api",
        dossier.code,
        PartnerAccess.objects.get().responsible,
    )

    replied = client.post(
        f"{TASKS}{task['id']}/reply/", {"reply": "Thửa đất đúng hiện trạng."}, content_type=JSON, **bearer(token)
    )
    assert replied.status_code == 200, replied.content
    assert replied.json()["reply"] == "Thửa đất đúng hiện trạng." and replied.json()["replied_at"]
    dossier.refresh_from_db()
    assert dossier.stage == Stage.APPRAISING
    event = dossier.events.order_by("-id").first()
    assert (event.action, event.actor) == ("record_reply", PartnerAccess.objects.get().responsible)
    assert "Thửa đất đúng hiện trạng." in event.note and not event.public

    # Replied: no longer open, listed with state=all, and a second reply is a conflict.
    assert client.get(TASKS, **bearer(token)).json()["results"] == []
    assert len(client.get(f"{TASKS}?state=all", **bearer(token)).json()["results"]) == 1
    again = client.post(f"{TASKS}{task['id']}/reply/", {"reply": "Lần hai"}, content_type=JSON, **bearer(token))
    assert again.status_code == 409 and again.json()["code"] == "conflict"


def test_with_two_agencies_consulted_the_dossier_waits_for_both(client, filed, staff, consulted):
    other = AgencyFactory(code="H99.TC", name="Chi cục Thuế")
    dossier = forwarded(filed, staff, consulted, other)
    token = exchange_token(client, consulted)
    (task,) = client.get(TASKS, **bearer(token)).json()["results"]
    assert (
        client.post(f"{TASKS}{task['id']}/reply/", {"reply": "Đồng ý"}, content_type=JSON, **bearer(token)).status_code
        == 200
    )
    dossier.refresh_from_db()
    assert dossier.stage == Stage.WAITING_OTHER_AGENCY
    # The other agency's task is not this client's to see or answer.
    theirs = dossier.agency_tasks.get(agency=other)
    assert client.get(f"{TASKS}{theirs.pk}/", **bearer(token)).status_code == 404
    assert (
        client.post(f"{TASKS}{theirs.pk}/reply/", {"reply": "Giả mạo"}, content_type=JSON, **bearer(token)).status_code
        == 404
    )
    assert dossier.agency_tasks.get(agency=other).reply == ""


def test_refusals(client, filed, staff, consulted):
    forwarded(filed, staff, consulted)
    task = filed.agency_tasks.get()
    url = f"{TASKS}{task.pk}/reply/"
    # No token, a token without the scope, another agency's client.
    assert client.get(TASKS, secure=True).status_code == 401
    reader = exchange_token(client, consulted, scopes=("dossiers:read",))
    assert client.get(TASKS, **bearer(reader)).status_code == 403
    assert client.post(url, {"reply": "x"}, content_type=JSON, **bearer(reader)).status_code == 403
    stranger = exchange_token(client, AgencyFactory(code="H99.XX"))
    assert client.get(TASKS, **bearer(stranger)).json()["results"] == []
    assert client.post(url, {"reply": "x"}, content_type=JSON, **bearer(stranger)).status_code == 404
    # An empty reply and an unknown state are field errors; nothing is recorded.
    token = exchange_token(client, consulted)
    empty = client.post(url, {"reply": "  "}, content_type=JSON, **bearer(token))
    assert empty.status_code == 400 and "reply" in empty.json()
    assert client.get(f"{TASKS}?state=late", **bearer(token)).status_code == 400
    task.refresh_from_db()
    assert task.replied_at is None


def test_a_client_whose_officer_is_not_staff_of_the_agency_cannot_reply(client, filed, staff, consulted):
    forwarded(filed, staff, consulted)
    task = filed.agency_tasks.get()
    outsider = MembershipFactory(agency=AgencyFactory(code="H99.YY"), role=Role.LEADER).user
    token = exchange_token(client, consulted, officer=outsider)
    refused = client.post(f"{TASKS}{task.pk}/reply/", {"reply": "Đồng ý"}, content_type=JSON, **bearer(token))
    assert refused.status_code == 403
    task.refresh_from_db()
    assert task.replied_at is None


def test_the_consulted_agencys_staff_reply_only_to_their_own_task(filed, staff, consulted):
    """The service's rule, whoever calls it: the lead agency's specialist records any reply; staff of a
    consulted agency only their agency's task, and nobody else any."""
    from dossiers.exceptions import ActionNotAllowed

    other = AgencyFactory(code="H99.TC")
    dossier = forwarded(filed, staff, consulted, other)
    mine, theirs = dossier.agency_tasks.get(agency=consulted), dossier.agency_tasks.get(agency=other)
    officer = MembershipFactory(agency=consulted, role=Role.SPECIALIST).user
    with pytest.raises(ActionNotAllowed):
        desk.dossier_record_reply(dossier=dossier, actor=officer, task=theirs, reply="Không phải việc của tôi")
    nobody = MembershipFactory(agency=AgencyFactory(code="H99.ZZ"), role=Role.SPECIALIST).user
    with pytest.raises(ActionNotAllowed):
        desk.dossier_record_reply(dossier=dossier, actor=nobody, task=mine, reply="Người ngoài")
    desk.dossier_record_reply(dossier=dossier, actor=officer, task=mine, reply="Đúng")
    desk.dossier_record_reply(dossier=dossier, actor=staff.specialist, task=theirs, reply="Bản giấy: đồng ý")
    dossier.refresh_from_db()
    assert dossier.stage == Stage.APPRAISING
    assert sorted(dossier.agency_tasks.values_list("reply", flat=True)) == ["Bản giấy: đồng ý", "Đúng"]


def test_the_admin_refuses_an_exchange_client_whose_officer_is_not_staff_of_its_agency(client, consulted):
    from tests.factories import UserFactory

    root = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(root)
    outsider = MembershipFactory(agency=AgencyFactory(code="H99.YY"), role=Role.LEADER).user
    form = {
        "name": "Phần mềm của phòng",
        "scopes": ["exchange"],
        "agencies": [consulted.pk],
        "rate": "600/min",
        "responsible": outsider.pk,
    }
    page = client.post(reverse("admin:portal_partneraccess_add"), form)
    assert page.status_code == 200 and "phải là cán bộ của: Phòng Tài nguyên và Môi trường" in page.content.decode()
    assert not PartnerAccess.objects.exists()
    officer = MembershipFactory(agency=consulted, role=Role.SPECIALIST).user
    issued = client.post(reverse("admin:portal_partneraccess_add"), {**form, "responsible": officer.pk})
    assert issued.status_code == 302 and PartnerAccess.objects.get().scopes == ["exchange"]
