"""Many citizens submitting to one agency at the same moment, on PostgreSQL with real threads."""

import threading
import uuid

import pytest
from django.db import connection, connections

from dossiers.models import Attachment, Dossier
from dossiers.services import filing
from tests.conftest import unavailable

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def require_postgres():
    if connection.vendor != "postgresql":
        unavailable("needs PostgreSQL (set DATABASE_URL)")


def clone_ready_draft(draft, n):
    files = list(Attachment.objects.filter(dossier=draft))
    clones = []
    for _ in range(n):
        copy = Dossier.objects.get(pk=draft.pk)
        copy.pk, copy.public_id = None, uuid.uuid4()
        copy.save()
        for f in files:
            Attachment.objects.create(
                **{
                    **{
                        k.attname: getattr(f, k.attname)
                        for k in Attachment._meta.concrete_fields
                        if k.attname not in ("id", "public_id", "dossier_id")
                    },
                    "dossier_id": copy.pk,
                }
            )
        clones.append(copy)
    return clones


def test_fifty_concurrent_submissions_get_fifty_consecutive_codes(require_postgres, ready_draft, citizen):
    drafts = [ready_draft, *clone_ready_draft(ready_draft, 49)]
    barrier = threading.Barrier(len(drafts))
    codes, errors = [], []

    def submit(dossier):
        try:
            barrier.wait(timeout=30)
            codes.append(filing.dossier_submit(dossier=dossier, actor=citizen, declaration=True).code)
        except Exception as exc:  # collected and asserted below
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(d,)) for d in drafts]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    numbers = sorted(int(code.rsplit("-", 1)[1]) for code in codes)
    assert numbers == list(range(1, 51))
    assert len(set(codes)) == 50


def test_concurrent_double_submit_of_one_draft_files_once(require_postgres, ready_draft, citizen):
    barrier = threading.Barrier(8)
    codes = []

    def submit():
        try:
            barrier.wait(timeout=30)
            codes.append(filing.dossier_submit(dossier=ready_draft, actor=citizen, declaration=True).code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(codes) == 8 and len(set(codes)) == 1
    assert Dossier.objects.exclude(status="draft").count() == 1


def test_two_officers_acting_at_once_one_wins_and_one_event_is_written(require_postgres, filed, staff):
    """Two desk officers click "accept" and "refuse" on the same dossier at the same moment."""
    from dossiers.services import desk
    from portal.constants import Role
    from portal.exceptions import ApplicationError
    from tests.factories import MembershipFactory

    second_officer = MembershipFactory(agency=filed.agency, role=Role.DESK_OFFICER).user
    barrier = threading.Barrier(2)
    outcomes = []

    def accept():
        try:
            barrier.wait(timeout=30)
            desk.dossier_accept(dossier=filed, actor=staff.desk, expected_stage="checking")
            outcomes.append("accepted")
        except ApplicationError as exc:
            outcomes.append(exc.message)
        finally:
            connections.close_all()

    def refuse():
        try:
            barrier.wait(timeout=30)
            desk.dossier_refuse(dossier=filed, actor=second_officer, reason="Thiếu giấy tờ", expected_stage="checking")
            outcomes.append("refused")
        except ApplicationError as exc:
            outcomes.append(exc.message)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept), threading.Thread(target=refuse)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    winners = [o for o in outcomes if o in ("accepted", "refused")]
    losers = [o for o in outcomes if o not in ("accepted", "refused")]
    assert len(winners) == 1 and len(losers) == 1
    assert "vừa được người khác cập nhật" in losers[0]
    filed.refresh_from_db()
    assert filed.events.filter(action__in=["accept", "refuse"]).count() == 1


def test_the_loser_sees_a_message_not_a_500(require_postgres, client, filed, staff):
    from dossiers.services import desk

    client.force_login(staff.desk)
    desk.dossier_accept(dossier=filed, actor=staff.desk)  # someone else was faster
    response = client.post(
        f"/desk/dossiers/{filed.code}/act/refuse/",
        {"refuse-expected_stage": "checking", "refuse-reason": "Thiếu"},
        follow=True,
    )
    assert response.status_code == 200
    assert "vừa được người khác cập nhật" in response.content.decode()


def test_locking_a_dossier_leaves_its_agency_and_version_unlocked(require_postgres, ready_draft, citizen):
    """A dossier's row lock must not extend to the rows it joins: locking the agency row made every
    draft save and submission of an agency wait for each other, and deadlock with the key-share
    locks that inserts referencing the agency or version take (seen in `make bench`)."""
    from django.db import transaction

    from dossiers.services.transitions import lock
    from portal.models import Agency
    from procedures.models import ProcedureVersion

    holding, release, outcome = threading.Event(), threading.Event(), {}

    def hold():
        try:
            with transaction.atomic():
                lock(ready_draft)
                holding.set()
                release.wait(timeout=30)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert holding.wait(timeout=30)
        with transaction.atomic():
            for model, pk in ((Agency, ready_draft.agency_id), (ProcedureVersion, ready_draft.version_id)):
                try:
                    model.objects.select_for_update(nowait=True).get(pk=pk)
                    outcome[model.__name__] = "free"
                except Exception as exc:  # DatabaseError: could not obtain lock
                    outcome[model.__name__] = repr(exc)
    finally:
        release.set()
        holder.join(timeout=30)
    assert outcome == {"Agency": "free", "ProcedureVersion": "free"}
