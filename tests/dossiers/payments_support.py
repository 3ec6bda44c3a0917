"""Helpers of the payment tests: a procedure that charges, a dossier waiting for its fee, and the
sandbox gateway's signed notices as its "bank" would post them."""

from dossiers.models import PaymentOrder
from dossiers.services import payments
from portal.payments.gateways import SandboxGateway


def charge(version, *, stage="after_appraisal", amount=15000):
    """Make the test's published version charge `amount` (its one fee) and ask for it at `stage`."""
    from procedures.models import FeeItem

    version.status = "draft"  # a published version is read-only: back to draft for the change
    version.save(update_fields=["status"])
    FeeItem.objects.filter(version=version).update(amount=amount)
    version.payment_stage = stage
    version.save(update_fields=["payment_stage"])
    version.status = "published"
    version.save(update_fields=["status"])
    return version


def give_account(agency, *, bank_bin="970436", account="0011004455667", name="UBND XA THU NGHIEM"):
    type(agency).objects.filter(pk=agency.pk).update(bank_bin=bank_bin, bank_account=account, bank_account_name=name)
    agency.refresh_from_db()
    return agency


def waiting_for_fee(dossier, staff):
    """A filed dossier taken to appraisal and asked for its fee by the specialist."""
    from tests.dossiers.conftest import run_to

    dossier = run_to(dossier, "appraising", staff)
    return payments.payment_request(dossier=dossier, actor=staff.specialist, expected_stage="appraising")


def notice(order: PaymentOrder, *, amount=None, status="paid", ref="TXN-1", currency="VND"):
    body = SandboxGateway.notice_body(
        str(order.public_id), order.amount if amount is None else amount, ref, status=status, currency=currency
    )
    return body, {"X-Sandbox-Signature": SandboxGateway.sign(body)}


def post_notice(client, order, **kwargs):
    body, headers = notice(order, **kwargs)
    return client.post(
        "/payments/callback/sandbox/",
        data=body,
        content_type="application/json",
        headers=headers,
    )
