import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from dossiers.models import DossierEvent
from tests.conftest import unavailable
from tests.dossiers.conftest import run_to

pytestmark = pytest.mark.django_db


def test_every_transition_is_chained_and_verify_audit_passes(filed, staff, capsys):
    dossier = run_to(filed, "returned", staff)
    events = list(DossierEvent.objects.filter(dossier=dossier).order_by("id"))
    assert [e.action for e in events] == [
        "create",
        "submit",
        "accept",
        "assign",
        "appraise",
        "submit_for_approval",
        "approve",
        "return_result",
    ]
    assert events[0].prev_hash == "" and all(b.prev_hash == a.hash for a, b in zip(events, events[1:], strict=False))
    call_command("verify_audit")
    assert "All chains intact (8 events)" in capsys.readouterr().out


def test_changing_one_byte_is_found_and_named(filed, staff, capsys):
    run_to(filed, "appraising", staff)
    target = DossierEvent.objects.filter(dossier=filed, action="accept").get()
    with connection.cursor() as cursor:
        # Someone with the database superuser's power goes around the append-only trigger.
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("UPDATE dossiers_dossierevent SET note = %s WHERE id = %s", ["x", target.pk])
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")
    with pytest.raises(CommandError, match="1 broken chain"):
        call_command("verify_audit")
    assert f"event {target.pk}: content does not match its hash" in capsys.readouterr().err


def test_events_refuse_updates_in_the_orm(filed):
    event = DossierEvent.objects.filter(dossier=filed).first()
    event.note = "sửa"
    with pytest.raises(ValueError):
        event.save()


def test_postgresql_refuses_update_and_delete_of_events(filed):
    if connection.vendor != "postgresql":
        unavailable("needs PostgreSQL (set DATABASE_URL)")
    event = DossierEvent.objects.filter(dossier=filed).first()
    for sql in (
        "UPDATE dossiers_dossierevent SET note = 'x' WHERE id = %s",
        "DELETE FROM dossiers_dossierevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])


def _bypass(cursor):
    """Go around the append-only trigger, as the database's superuser could."""
    if connection.vendor == "postgresql":
        cursor.execute("SET LOCAL session_replication_role = replica")


def test_a_deleted_event_breaks_the_chain_at_the_next_one(filed, staff, capsys):
    """Issue 11, item 16: the prev_hash link check had no test that could see it broken."""
    run_to(filed, "appraising", staff)
    accept = DossierEvent.objects.get(dossier=filed, action="accept")
    after = DossierEvent.objects.filter(dossier=filed, id__gt=accept.pk).order_by("id").first()
    with connection.cursor() as cursor:
        _bypass(cursor)
        cursor.execute("DELETE FROM dossiers_dossierevent WHERE id = %s", [accept.pk])
    with pytest.raises(CommandError, match="1 broken chain"):
        call_command("verify_audit")
    assert f"event {after.pk}: prev_hash does not match" in capsys.readouterr().err


def test_a_changed_actor_is_found(filed, staff, capsys):
    """The actor is in the hash: nobody can put the step on someone else afterwards."""
    run_to(filed, "received", staff)
    accept = DossierEvent.objects.get(dossier=filed, action="accept")
    with connection.cursor() as cursor:
        _bypass(cursor)
        cursor.execute("UPDATE dossiers_dossierevent SET actor_id = %s WHERE id = %s", [staff.leader.pk, accept.pk])
    with pytest.raises(CommandError, match="1 broken chain"):
        call_command("verify_audit")
    assert f"event {accept.pk}: content does not match its hash" in capsys.readouterr().err
