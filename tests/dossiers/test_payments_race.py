"""A payment's callback racing the citizen's withdrawal, on PostgreSQL with real threads: whichever
takes the dossier's lock first, the money is kept and the dossier stays whole."""

import threading

import pytest
from django.db import connection, connections

from dossiers.constants import FeeStatus, Stage
from dossiers.models import Dossier, Payment
from dossiers.services import citizen as citizen_services
from dossiers.services import payments
from tests.conftest import unavailable
from tests.dossiers.payments_support import charge, notice, waiting_for_fee

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def version(version):
    return charge(version)


@pytest.mark.parametrize("attempt", range(3))
def test_payment_racing_a_withdrawal(attempt, filed, staff, citizen):
    if connection.vendor != "postgresql":
        unavailable("needs PostgreSQL (set DATABASE_URL)")
    due = waiting_for_fee(filed, staff)
    order, _url = payments.order_start(dossier=due, actor=citizen)
    body, headers = notice(order, ref=f"TXN-RACE-{attempt}")
    barrier = threading.Barrier(2)
    errors = []

    def pay():
        try:
            barrier.wait(timeout=30)
            payments.callback_receive(gateway_name="sandbox", body=body, headers=headers)
        except Exception as exc:  # asserted below
            errors.append(repr(exc))
        finally:
            connections.close_all()

    def withdraw():
        try:
            barrier.wait(timeout=30)
            citizen_services.dossier_request_withdrawal(dossier=due, actor=citizen, reason="Đổi ý")
        except Exception as exc:  # asserted below
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=pay), threading.Thread(target=withdraw)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    dossier = Dossier.objects.get(pk=due.pk)
    payment = Payment.objects.get(assessment__dossier=dossier)
    assert dossier.stage == Stage.WITHDRAWAL_REQUESTED
    if dossier.fee_status == FeeStatus.PAID:
        # The payment came first: the dossier went back to appraisal, then was withdrawn from there.
        assert dossier.previous_stage == Stage.APPRAISING and payment.state == Payment.State.RECEIVED
    else:
        # The withdrawal came first: the money arrived for a dossier no longer waiting for it.
        assert dossier.previous_stage == Stage.AWAITING_PAYMENT and payment.state == Payment.State.REFUND_DUE
    assert payment.receipt_id is not None
