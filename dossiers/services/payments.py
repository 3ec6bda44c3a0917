"""Fees and payments (status 6, "Yêu cầu thực hiện nghĩa vụ tài chính").

- Asking: the portal asks on submission (or on receipt at the counter) for a procedure that takes
  its fee then; the specialist or the leader asks after appraisal for the others. The amount is
  computed from the pinned version's fees, the answers and the exemptions granted, and frozen.
- Paying: online through a gateway (its signed callback decides), by bank transfer (a statement line
  matched by the reconciliation), or in cash at the desk. The first payment of the amount due moves
  the dossier back to where it waited; the appointment moves by the working days it waited.
- Every payment gets an e-receipt (an issued document, signed where the agency signs). Money that was
  not due (a second payment, or one that arrived after the dossier was withdrawn) is marked to be
  refunded, as is a paid fee when the dossier is refused, stopped or withdrawn; the desk records the
  refund.

Locks are taken in one order everywhere: the dossier, then its assessment, then an order."""

import dataclasses
import datetime as dt
import logging
import uuid

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers import deadlines
from dossiers.constants import CLOCK_STAGES, Action, FeeStatus, PayMethod, Stage
from dossiers.exceptions import ActionNotAllowed
from dossiers.models import Dossier, FeeAssessment, Payment, PaymentOrder
from dossiers.notify import notify_applicant
from dossiers.services.documents import form_issue
from dossiers.services.events import event_append
from dossiers.services.transitions import lock, transition, transition_allowed
from dossiers.workflow import DESK_OFFICER, LEADER
from portal.calendar import calendar_for
from portal.exceptions import ApplicationError
from portal.payments import gateways
from portal.templatetags.portal_tags import vnd

logger = logging.getLogger(__name__)
Due = FeeAssessment.State


class CallbackRefused(Exception):
    """A gateway's notice that changes nothing: an unknown order, an amount or currency that is not
    the order's, an order that expired or was cancelled."""


def money(amount: int) -> str:
    """15000 -> "15.000 đồng"."""
    return _("%(n)s đồng") % {"n": vnd(amount)}


def bill_for(dossier: Dossier, exemption_ids=()):
    """What the dossier's pinned version charges for its answers, with the exemptions granted."""
    from procedures.selectors import fees_due, version_with_parts

    return fees_due(version_with_parts(pk=dossier.version_id), dossier.answers or {}, exemption_ids)


def fees_of(dossier: Dossier) -> list[tuple[int, str]]:
    """The fees the dossier's version lists, as (id, "name: amount") choices."""
    from procedures.selectors import version_with_parts

    version = version_with_parts(pk=dossier.version_id)
    return [(fee.pk, f"{fee.name}: {money(fee.amount)}") for fee in version.fees.all() if fee.amount > 0]


def exemptions_of(dossier: Dossier) -> list[tuple[int, str]]:
    """The exemptions the dossier's version lists, as (id, "fee: category (percent %)") choices."""
    from procedures.selectors import version_with_parts

    version = version_with_parts(pk=dossier.version_id)
    return [
        (e.pk, f"{fee.name}: {e.category} ({e.percent} %)") for fee in version.fees.all() for e in fee.exemptions.all()
    ]


def asks_on_submission_version(version) -> bool:
    """Whether a version takes its fee when the dossier is filed (it charges, and says so)."""
    from procedures.constants import PaymentStage
    from procedures.selectors import version_charges

    return version.payment_stage == PaymentStage.ON_SUBMISSION and version_charges(version)


def asks_on_submission(dossier: Dossier) -> bool:
    from procedures.selectors import version_with_parts

    return asks_on_submission_version(version_with_parts(pk=dossier.version_id))


# --- asking -------------------------------------------------------------------------------------


@transaction.atomic
def payment_request(
    *, dossier: Dossier, actor, exemption_ids=(), fee_ids=None, expected_stage=None, now=None
) -> Dossier:
    """Ask for the dossier's fees: the amount is computed now and frozen; status 6 until paid.
    `actor` None is the portal asking on submission. `fee_ids`: the fees of the version that apply to
    this case (a catalog lists fees that exclude each other, "land only" or "with a house"); all of
    them when None."""
    from procedures.constants import PaymentStage
    from procedures.selectors import version_with_parts

    now = now or timezone.now()
    current = lock(dossier)
    transition_allowed(current, actor, Action.REQUEST_PAYMENT, expected_stage)
    if current.fee_status in (FeeStatus.DUE, FeeStatus.PAID):
        raise ApplicationError(_("Hồ sơ đã được yêu cầu nộp phí, lệ phí."), code="already_asked")
    version = version_with_parts(pk=current.version_id)
    if actor is not None and version.payment_stage != PaymentStage.AFTER_APPRAISAL:
        raise ApplicationError(_("Thủ tục này thu phí, lệ phí khi nộp hồ sơ, không phải sau thẩm định."))
    bill = bill_for(current, exemption_ids)
    lines = [line for line in bill.lines if fee_ids is None or line.fee_id in set(fee_ids)]
    total = sum(line.amount for line in lines)
    if fee_ids is not None and not lines:
        raise ApplicationError(_("Chọn ít nhất một khoản phí, lệ phí phải nộp."), field="fees")
    if total <= 0:
        raise ApplicationError(
            _("Không có khoản nào phải nộp: thủ tục không thu phí hoặc người dân được miễn toàn bộ."),
            code="nothing_due",
        )

    def asked(d):
        FeeAssessment.objects.create(
            dossier=d,
            lines=[dataclasses.asdict(line) for line in lines],
            amount=total,
            requested_at=now,
            requested_by=actor,
        )
        d.fee_status = FeeStatus.DUE
        return ["fee_status"]

    moved = transition(
        dossier=current,
        actor=actor,
        action=Action.REQUEST_PAYMENT,
        note=money(total),
        data={"amount": total},
        changes=asked,
        expected_stage=expected_stage,
    )
    notify_applicant(moved, "payment_requested", occurrence=moved.last_event.pk)
    form_issue(dossier=moved, number="fee", actor=actor)
    return moved


def payment_request_on_submission(dossier: Dossier, exemption_ids=()) -> Dossier:
    """After a dossier is filed online or received at the counter: a procedure that takes its fee
    then asks for it at once (the desk checks, or the counter goes on, once it is paid), less the
    exemptions the applicant claims. Claimed exempt in full, nothing is asked; the claim is on the
    dossier's history for the desk to check against the papers."""
    if not asks_on_submission(dossier):
        return dossier
    claimed = [label for pk, label in exemptions_of(dossier) if pk in set(exemption_ids)]
    if claimed:
        event_append(
            dossier=dossier,
            actor=None,
            action=Action.CLAIM_EXEMPTION,
            from_status=dossier.status,
            note="; ".join(claimed),
            data={"exemptions": [int(pk) for pk in exemption_ids]},
        )
    if bill_for(dossier, exemption_ids).total <= 0:
        return dossier
    return payment_request(dossier=dossier, actor=None, exemption_ids=exemption_ids)


# --- receiving ------------------------------------------------------------------------------------


def _shift_due(d: Dossier, now) -> int:
    """Move the appointment by the working days the agency waited for the payment (counted from the
    day it was asked to the day it came); returns them. Before the clock runs nothing moves."""
    if d.previous_stage not in CLOCK_STAGES or d.due_at is None or d.stage_entered_at is None:
        return 0
    cal = calendar_for(d.agency)
    days = max(0, cal.working_days_between(timezone.localdate(d.stage_entered_at), timezone.localdate(now)))
    if days:
        d.due_at = d.priority_at = deadlines.shift_working_days(cal, d.due_at, days)
        d.payment_wait_days += days
    return days


def _refund_reason(current: Dossier, assessment: FeeAssessment, amount: int) -> str:
    if assessment.state == Due.PAID:
        return _("Hồ sơ đã nộp đủ phí trước đó: khoản này nộp thừa.")
    if current.stage != Stage.AWAITING_PAYMENT or assessment.state != Due.DUE:
        return _("Hồ sơ không còn chờ nộp phí (đã rút, dừng xử lý hoặc không được tiếp nhận).")
    return _("Số tiền không đúng khoản phải nộp (%(due)s).") % {"due": money(assessment.amount)}


def _receive(*, current: Dossier, method: str, amount: int, source: str, reference: str, actor, at) -> Payment:
    """Record money received for the locked dossier `current`; the same (source, reference) twice is
    the same payment. The payment of the amount due while the dossier waits for it moves the
    dossier on; any other is kept and marked to be refunded."""
    existing = Payment.objects.filter(source=source, reference=reference).first()
    if existing is not None:
        return existing
    assessment = FeeAssessment.objects.select_for_update().get(dossier=current)
    payment = Payment(
        assessment=assessment,
        method=method,
        amount=amount,
        source=source,
        reference=reference,
        received_at=at,
        recorded_by=actor,
    )
    settles = current.stage == Stage.AWAITING_PAYMENT and assessment.state == Due.DUE and amount == assessment.amount
    if not settles:
        payment.state, payment.refund_reason = Payment.State.REFUND_DUE, _refund_reason(current, assessment, amount)
        payment.save()
        event_append(
            dossier=current,
            actor=actor,
            action=Action.REFUND_DUE,
            from_status=current.status,
            note=f"{money(amount)} · {payment.get_method_display()} · {payment.refund_reason}",
            data={"payment": payment.pk, "amount": amount},
        )
        _receipt(current, payment, actor)
        return payment
    payment.save()
    now = timezone.now()
    waited = 0

    def paid(d):
        nonlocal waited
        waited = _shift_due(d, now)
        d.fee_status, d.paid_via = FeeStatus.PAID, method
        return ["fee_status", "paid_via", "due_at", "priority_at", "payment_wait_days"]

    previous_due = current.due_at
    moved = transition(
        dossier=current,
        actor=actor,
        action=Action.RECORD_PAYMENT if method == PayMethod.CASH else Action.PAY,
        note=f"{money(amount)} · {payment.get_method_display()} · {reference}",
        data={"payment": payment.pk, "amount": amount, "method": method},
        changes=paid,
    )
    assessment.state, assessment.paid_at, assessment.waited_days = Due.PAID, at, waited
    assessment.save(update_fields=["state", "paid_at", "waited_days"])
    if waited:
        event_append(
            dossier=moved,
            actor=None,
            action=Action.PAYMENT_WAIT,
            from_status=moved.status,
            note=_("%(old)s → %(new)s (%(n)s ngày làm việc chờ nộp phí)")
            % {
                "old": f"{timezone.localtime(previous_due):%d/%m/%Y}",
                "new": f"{timezone.localtime(moved.due_at):%d/%m/%Y}",
                "n": waited,
            },
            data={"previous_due_at": previous_due.isoformat(), "new_due_at": moved.due_at.isoformat(), "days": waited},
        )
    notify_applicant(moved, "payment_received", occurrence=moved.last_event.pk)
    _receipt(moved, payment, actor)
    return payment


def _receipt(dossier: Dossier, payment: Payment, actor) -> None:
    """The e-receipt (biên lai điện tử) of one payment, kept as an issued document."""
    index = Payment.objects.filter(assessment_id=payment.assessment_id, pk__lte=payment.pk).count()
    payment.receipt = form_issue(dossier=dossier, number="receipt", actor=actor, index=index)
    payment.save(update_fields=["receipt"])


@transaction.atomic
def payment_record_cash(*, dossier: Dossier, actor, amount: int, expected_stage=None) -> Payment:
    """The desk officer takes the fee in cash at the counter."""
    current = lock(dossier)
    transition_allowed(current, actor, Action.RECORD_PAYMENT, expected_stage)
    assessment = FeeAssessment.objects.get(dossier=current)
    if amount != assessment.amount:
        raise ApplicationError(
            _("Số tiền thu phải đúng số phải nộp: %(due)s.") % {"due": money(assessment.amount)}, field="amount"
        )
    reference = f"{current.code}/{uuid.uuid4().hex[:8].upper()}"
    return _receive(
        current=current,
        method=PayMethod.CASH,
        amount=amount,
        source="cash",
        reference=reference,
        actor=actor,
        at=timezone.now(),
    )


@transaction.atomic
def payment_record_transfer(*, dossier_id: int, amount: int, reference: str, at) -> Payment:
    """A bank statement line matched to the dossier (the reconciliation)."""
    current = lock(Dossier(pk=dossier_id))
    return _receive(
        current=current,
        method=PayMethod.TRANSFER,
        amount=amount,
        source="bank",
        reference=reference,
        actor=None,
        at=at,
    )


# --- online ----------------------------------------------------------------------------------------


def return_url(order: PaymentOrder) -> str:
    path = reverse("payments:returned", kwargs={"order_id": order.public_id})
    return settings.PORTAL_BASE_URL.rstrip("/") + path


@transaction.atomic
def order_start(*, dossier: Dossier, actor, gateway_name: str = "", now=None) -> tuple[PaymentOrder, str]:
    """The owner pays online: an order at the gateway (an open one is reused, so a double click makes
    one order) and the address of the gateway's page."""
    from dossiers.selectors import is_owner

    now = now or timezone.now()
    gateway_name = gateway_name or settings.PAYMENT_DEFAULT_GATEWAY
    gateway = gateways.gateway(gateway_name)
    current = lock(dossier)
    if not is_owner(dossier=current, user=actor):
        raise ActionNotAllowed(_("Chỉ người nộp hồ sơ mới thanh toán được phí của hồ sơ."), code="forbidden")
    if current.stage != Stage.AWAITING_PAYMENT or current.fee_status != FeeStatus.DUE:
        raise ApplicationError(_("Hồ sơ không ở trạng thái chờ nộp phí."), code="not_due")
    assessment = FeeAssessment.objects.select_for_update().get(dossier=current)
    margin = dt.timedelta(minutes=2)
    order = (
        assessment.orders.filter(
            state=PaymentOrder.State.PENDING,
            gateway=gateway_name,
            amount=assessment.amount,
            created_by=actor,
            expires_at__gt=now + margin,
        )
        .order_by("-created_at")
        .first()
    )
    if order is None:
        order = PaymentOrder.objects.create(
            assessment=assessment,
            gateway=gateway_name,
            amount=assessment.amount,
            created_at=now,
            created_by=actor,
            expires_at=now + dt.timedelta(minutes=settings.PAYMENT_ORDER_MINUTES),
        )
    info = gateways.OrderInfo(
        order_id=str(order.public_id),
        amount=order.amount,
        currency=order.currency,
        description=_("Phí, lệ phí hồ sơ %(code)s") % {"code": current.code},
        expires_at=order.expires_at,
    )
    return order, gateway.checkout(info, return_url(order)).url


def callback_receive(*, gateway_name: str, body: bytes, headers, now=None) -> PaymentOrder:
    """A gateway tells us how an order went. Raises gateways.UnknownGateway, ForgedCallback (a
    signature that does not hold), BadCallback (malformed) or CallbackRefused; each changes nothing.
    A repeated notice of a paid order returns it unchanged."""
    now = now or timezone.now()
    notice = gateways.gateway(gateway_name).parse_callback(body, headers)
    try:
        order_id = uuid.UUID(str(notice.order_id))
    except ValueError as exc:
        raise CallbackRefused("unknown order") from exc
    found = (
        PaymentOrder.objects.filter(public_id=order_id, gateway=gateway_name)
        .values_list("pk", "assessment__dossier_id")
        .first()
    )
    if found is None:
        raise CallbackRefused("unknown order")
    with transaction.atomic():
        current = lock(Dossier(pk=found[1]))
        order = PaymentOrder.objects.select_for_update().get(pk=found[0])
        if notice.currency != order.currency or notice.amount != order.amount:
            logger.warning(
                "payment callback for order %s: amount %s %s, expected %s %s",
                order.public_id,
                notice.amount,
                notice.currency,
                order.amount,
                order.currency,
            )
            raise CallbackRefused("amount")
        if order.state == PaymentOrder.State.PAID:
            if order.payment is not None and order.payment.reference == notice.transaction_ref:
                return order  # the same notice again
        elif order.state != PaymentOrder.State.PENDING or now > order.expires_at:
            raise CallbackRefused("expired")
        if not notice.paid:
            if order.state == PaymentOrder.State.PENDING:
                order.state, order.closed_at = PaymentOrder.State.FAILED, now
                order.save(update_fields=["state", "closed_at"])
            return order
        payment = _receive(
            current=current,
            method=PayMethod.ONLINE,
            amount=notice.amount,
            source=gateway_name,
            reference=notice.transaction_ref,
            actor=None,
            at=notice.paid_at or now,
        )
        if order.state == PaymentOrder.State.PENDING:
            order.state, order.closed_at, order.payment = PaymentOrder.State.PAID, now, payment
            order.save(update_fields=["state", "closed_at", "payment"])
        return order


def orders_expire(now=None) -> int:
    """Close the online orders nobody paid in time (a periodic job)."""
    now = now or timezone.now()
    return PaymentOrder.objects.filter(state=PaymentOrder.State.PENDING, expires_at__lte=now).update(
        state=PaymentOrder.State.EXPIRED, closed_at=now
    )


# --- refunds -----------------------------------------------------------------------------------------


def refunds_on_finish(dossier: Dossier, actor, why: str) -> None:
    """The dossier was refused, stopped or withdrawn (in the caller's transaction, the dossier
    locked): a fee still due is no longer due and its open orders close; a fee paid is to be refunded."""
    if dossier.fee_status == FeeStatus.DUE:
        FeeAssessment.objects.filter(dossier=dossier).update(state=Due.CANCELLED)
        PaymentOrder.objects.filter(assessment__dossier=dossier, state=PaymentOrder.State.PENDING).update(
            state=PaymentOrder.State.CANCELLED, closed_at=timezone.now()
        )
        dossier.fee_status = FeeStatus.CANCELLED
        dossier.save(update_fields=["fee_status"])
        return
    if dossier.fee_status != FeeStatus.PAID:
        return
    for payment in Payment.objects.filter(assessment__dossier=dossier, state=Payment.State.RECEIVED):
        payment.state, payment.refund_reason = Payment.State.REFUND_DUE, why
        payment.save(update_fields=["state", "refund_reason"])
        event_append(
            dossier=dossier,
            actor=actor,
            action=Action.REFUND_DUE,
            from_status=dossier.status,
            note=f"{money(payment.amount)} · {why}",
            data={"payment": payment.pk, "amount": payment.amount},
        )


REFUNDERS = {DESK_OFFICER, LEADER}


@transaction.atomic
def refund_record(*, dossier: Dossier, payment_id: int, actor, note: str) -> Payment:
    """The desk paid back a payment marked to be refunded (how: a transfer, cash)."""
    from dossiers.selectors import roles_for

    current = lock(dossier)
    if not REFUNDERS & roles_for(dossier=current, user=actor):
        raise ActionNotAllowed(_("Chỉ cán bộ một cửa và lãnh đạo cơ quan mới ghi nhận hoàn trả phí."))
    note = (note or "").strip()
    if not note:
        raise ApplicationError(_("Ghi cách hoàn trả (ví dụ: chuyển khoản lại, số giao dịch …)."), field="note")
    payment = Payment.objects.select_for_update().filter(pk=payment_id, assessment__dossier=current).first()
    if payment is None:
        raise ApplicationError(_("Khoản nộp không thuộc hồ sơ này."))
    if payment.state != Payment.State.REFUND_DUE:
        raise ApplicationError(_("Khoản nộp này không ở trạng thái chờ hoàn trả."), code="not_refund_due")
    payment.state, payment.refunded_at, payment.refunded_by = Payment.State.REFUNDED, timezone.now(), actor
    payment.refund_note = note[:500]
    payment.save(update_fields=["state", "refunded_at", "refunded_by", "refund_note"])
    event_append(
        dossier=current,
        actor=actor,
        action=Action.REFUND,
        from_status=current.status,
        note=f"{money(payment.amount)} · {payment.refund_note}",
        data={"payment": payment.pk, "amount": payment.amount},
    )
    return payment
