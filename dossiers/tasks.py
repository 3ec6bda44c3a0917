from celery import shared_task
from django.utils import timezone

from dossiers.services.housekeeping import dossier_expire_drafts, drafts_warn_owners, submission_keys_purge


@shared_task(name="dossiers.tasks.expire_drafts")
def expire_drafts() -> int:
    """Warn owners of drafts about to expire, then delete those past DOSSIER_DRAFT_EXPIRY_DAYS; forget
    the API's day-old Idempotency-Keys."""
    submission_keys_purge(now=timezone.now())
    drafts_warn_owners(now=timezone.now())
    return dossier_expire_drafts(now=timezone.now())


@shared_task(name="dossiers.tasks.deadline_sweep")
def deadline_sweep() -> dict:
    from dossiers.sweeps import run_deadline_sweep

    result = run_deadline_sweep()
    return {"due_soon": result.due_soon, "overdue": result.overdue, "flagged": result.flagged}


@shared_task(name="dossiers.tasks.leader_digest")
def leader_digest() -> int:
    from dossiers.digest import send_leader_digests

    return send_leader_digests(now=timezone.now())


@shared_task(name="dossiers.tasks.recompute_due_dates", bind=True, acks_late=True)
def recompute_due_dates(self, day: str, agency_id: int | None = None) -> int:
    import datetime as dt

    from dossiers.services.recompute import dossier_recompute_due_dates

    return dossier_recompute_due_dates(day=dt.date.fromisoformat(day), agency_id=agency_id)


@shared_task(name="dossiers.tasks.recount_queue_counters")
def recount_queue_counters() -> int:
    """Nightly: rebuild the queue counters from the dossiers; a non-zero result is drift, logged."""
    import logging

    from dossiers.services.counters import recount_queue_counters as recount

    wrong = recount()
    if wrong:
        logging.getLogger(__name__).warning("queue counters: %s cells had drifted and were repaired", wrong)
    return wrong


@shared_task(name="dossiers.tasks.reconcile_figures")
def reconcile_figures(days: int = 35) -> dict:
    """Nightly: count yesterday's open dossiers past due, and rebuild the daily figures of the last
    `days` days from the dossiers, repairing any drift (logged by figures_reconcile)."""
    import datetime as dt

    from django.utils import timezone

    from dossiers.services.figures import figures_count_overdue, figures_reconcile

    yesterday = timezone.localdate() - dt.timedelta(days=1)
    overdue = figures_count_overdue(yesterday)
    wrong = figures_reconcile(yesterday - dt.timedelta(days=days - 1), yesterday)
    return {"day": yesterday.isoformat(), "overdue_open": overdue, "cells_repaired": wrong}


@shared_task(name="dossiers.tasks.sign_document")
def sign_document(pk: int) -> bool:
    """Sign an issued document left "being signed" (SIGNING_IN_TASK); a second run does nothing."""
    from dossiers.services.documents import document_sign

    return document_sign(pk=pk) is not None


@shared_task(name="dossiers.tasks.sign_pending_documents")
def sign_pending_documents() -> int:
    """Requeue documents whose signing task was lost (a broker down when they were issued)."""
    import datetime as dt

    from dossiers.services.documents import documents_pending

    return len(documents_pending(older_than=timezone.now() - dt.timedelta(minutes=2)))


@shared_task(name="dossiers.tasks.expire_payment_orders")
def expire_payment_orders() -> int:
    """Online payment orders nobody paid in time are closed; a late notice for one changes nothing."""
    from dossiers.services.payments import orders_expire

    return orders_expire()


@shared_task(name="dossiers.tasks.match_statement_lines")
def match_statement_lines() -> dict:
    """Bank statement lines imported for reconciliation are matched to the dossiers they pay."""
    from dossiers.services.reconciliation import statement_match

    return statement_match()
