"""Reads of a dossier's fees for its pages and printouts: the frozen bill, the payments with their
receipts, and the bank transfer a citizen can make (VietQR). Nothing here is read for a dossier
that was never asked to pay (`Dossier.fee_status` blank)."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from dossiers.constants import FeeStatus
from dossiers.models import FeeAssessment, Payment, PaymentOrder
from portal.payments import gateways, vietqr


@dataclass(frozen=True)
class Transfer:
    """A bank transfer to the agency's fee account for the amount due, with the dossier code as its
    content: the VietQR payload, its QR code and the same details typed out."""

    bank_bin: str
    account: str
    account_name: str
    amount: int
    content: str
    payload: str

    def qr_svg(self) -> str:
        return vietqr.qr_svg(self.payload)


@dataclass(frozen=True)
class FeePanel:
    assessment: FeeAssessment
    payments: list
    transfer: Transfer | None
    open_order: PaymentOrder | None
    # A gateway is configured: the "pay online" button is offered.
    online: bool = False

    @property
    def due(self) -> bool:
        return self.assessment.state == FeeAssessment.State.DUE

    @property
    def refunds_due(self) -> list:
        return [p for p in self.payments if p.state == Payment.State.REFUND_DUE]


def transfer_content(dossier) -> str:
    """ "HS" and the code's letters and digits: what the VietQR asks the bank to carry, and what the
    reconciliation looks for in a statement line (dossiers/services/reconciliation.py)."""
    return vietqr.transfer_content(dossier.code)


def transfer_for(dossier, assessment: FeeAssessment) -> Transfer | None:
    """The VietQR transfer of the amount due, or None when the agency has no fee account."""
    agency = dossier.agency
    if not (agency.bank_bin and agency.bank_account):
        return None
    content = transfer_content(dossier)
    payload = vietqr.payload(
        bin=agency.bank_bin, account=agency.bank_account, amount=assessment.amount, content=content
    )
    return Transfer(agency.bank_bin, agency.bank_account, agency.bank_account_name, assessment.amount, content, payload)


def fee_panel(dossier) -> FeePanel | None:
    """What a dossier page shows of its fees (two or three queries), None when none were asked."""
    if dossier.fee_status == FeeStatus.NONE:
        return None
    assessment = FeeAssessment.objects.filter(dossier=dossier).first()
    if assessment is None:
        return None
    payments = list(Payment.objects.filter(assessment=assessment).select_related("receipt").order_by("pk"))
    due = assessment.state == FeeAssessment.State.DUE
    order = (
        PaymentOrder.objects.filter(assessment=assessment, state=PaymentOrder.State.PENDING).order_by("-id").first()
        if due
        else None
    )
    online = settings.PAYMENT_DEFAULT_GATEWAY in gateways.gateway_names()
    return FeePanel(assessment, payments, transfer_for(dossier, assessment) if due else None, order, online)


def payment_of_receipt(dossier, index: int) -> Payment | None:
    """The dossier's `index`-th payment (1: the first), whose receipt is receipt number `index`."""
    payments = list(Payment.objects.filter(assessment__dossier=dossier).order_by("pk"))
    return payments[index - 1] if 1 <= index <= len(payments) else None


def line_text(line: dict) -> str:
    """One frozen fee line as the notice and the pages write it."""
    text = line["name"]
    if line.get("quantity", 1) != 1:
        text += _(" × %(n)s") % {"n": line["quantity"]}
    if line.get("exemption_category"):
        text += _(" (miễn %(p)s %%: %(c)s)") % {
            "p": line.get("exemption_percent", 100),
            "c": line["exemption_category"],
        }
    return text
