"""Fees and payments of a dossier: what it must pay (frozen when payment is asked), the money that
came in (online, by bank transfer, in cash), the online checkouts at a gateway and the bank
statement lines the reconciliation matches. dossiers/services/payments.py changes them."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dossiers.constants import PayMethod
from portal.labels import ChoiceLabels


class FeeAssessment(ChoiceLabels, models.Model):
    """The dossier's financial obligation as it was asked: each fee line of its pinned version with
    the units and the exemption applied, and the total. Frozen: a later change of the catalog or of
    the answers does not change what the citizen was asked to pay."""

    class State(models.TextChoices):
        DUE = "due", _("Chờ nộp")
        PAID = "paid", _("Đã nộp")
        CANCELLED = "cancelled", _("Không còn phải nộp")

    dossier = models.OneToOneField("dossiers.Dossier", on_delete=models.CASCADE, related_name="fee")
    lines = models.JSONField(default=list)
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    state = models.CharField(max_length=10, choices=State.choices, default=State.DUE)
    requested_at = models.DateTimeField()
    # None: asked by the portal itself (the procedure asks for its fee on submission).
    requested_by = models.ForeignKey("portal.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    paid_at = models.DateTimeField(null=True, blank=True)
    # Working days the appointment moved for the time the agency waited for this payment.
    waited_days = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("khoản phải nộp")
        verbose_name_plural = _("khoản phải nộp")

    def __str__(self):
        return f"{self.dossier_id} · {self.amount}"


class Payment(ChoiceLabels, models.Model):
    """Money received for a dossier's fees. Every payment gets an e-receipt; one that was not due
    (a second payment, or one that arrived after the dossier was withdrawn) is to be refunded."""

    class State(models.TextChoices):
        RECEIVED = "received", _("Đã thu")
        REFUND_DUE = "refund_due", _("Chờ hoàn trả")
        REFUNDED = "refunded", _("Đã hoàn trả")

    assessment = models.ForeignKey(FeeAssessment, on_delete=models.PROTECT, related_name="payments")
    method = models.CharField(_("hình thức"), max_length=10, choices=PayMethod.choices)
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    # The gateway's name, "bank" for a statement line, "cash" at the desk; with `reference` it makes a
    # repeated notice of the same payment land on this row instead of a new one.
    source = models.CharField(max_length=40)
    reference = models.CharField(_("mã giao dịch"), max_length=120)
    received_at = models.DateTimeField()
    recorded_by = models.ForeignKey("portal.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    state = models.CharField(max_length=12, choices=State.choices, default=State.RECEIVED)
    refund_reason = models.CharField(_("lý do hoàn trả"), max_length=500, blank=True)
    refunded_at = models.DateTimeField(null=True, blank=True)
    refunded_by = models.ForeignKey("portal.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    refund_note = models.CharField(_("ghi chú hoàn trả"), max_length=500, blank=True)
    receipt = models.ForeignKey(
        "dossiers.IssuedDocument", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("khoản đã nộp")
        verbose_name_plural = _("khoản đã nộp")
        ordering = ["received_at", "id"]
        constraints = [models.UniqueConstraint(fields=["source", "reference"], name="payment_unique_reference")]
        # The desk's list of refunds to make reads only those.
        indexes = [models.Index(fields=["received_at"], condition=Q(state="refund_due"), name="payment_refund_due_idx")]

    def __str__(self):
        return f"{self.source}:{self.reference}"


class PaymentOrder(ChoiceLabels, models.Model):
    """One online checkout at a gateway: the citizen is sent to the gateway's page with
    `public_id` as the order and comes back to the return page; the gateway's signed callback
    decides. An order not paid by `expires_at` is expired and a late callback for it changes nothing."""

    class State(models.TextChoices):
        PENDING = "pending", _("Đang chờ thanh toán")
        PAID = "paid", _("Đã thanh toán")
        FAILED = "failed", _("Thanh toán không thành công")
        EXPIRED = "expired", _("Đã hết hạn")
        CANCELLED = "cancelled", _("Đã hủy")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    assessment = models.ForeignKey(FeeAssessment, on_delete=models.CASCADE, related_name="orders")
    gateway = models.CharField(max_length=40)
    amount = models.PositiveBigIntegerField()
    currency = models.CharField(max_length=3, default="VND")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey("portal.User", on_delete=models.PROTECT, related_name="+")
    expires_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    payment = models.ForeignKey(Payment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("lệnh thanh toán trực tuyến")
        verbose_name_plural = _("lệnh thanh toán trực tuyến")
        # The expiry job reads only the orders still open.
        indexes = [models.Index(fields=["expires_at"], condition=Q(state="pending"), name="payment_order_pending_idx")]

    def __str__(self):
        return str(self.public_id)


class StatementLine(ChoiceLabels, models.Model):
    """A credit line of an agency's bank statement, imported (CSV) for reconciliation: matched to the
    dossier whose code its content carries when the amount is the one due."""

    class State(models.TextChoices):
        UNMATCHED = "unmatched", _("Chưa đối soát được")
        MATCHED = "matched", _("Đã khớp hồ sơ")

    account = models.CharField(_("tài khoản"), max_length=19)
    reference = models.CharField(_("số tham chiếu của ngân hàng"), max_length=80)
    booked_on = models.DateField(_("ngày giao dịch"))
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    content = models.CharField(_("nội dung chuyển khoản"), max_length=500)
    imported_at = models.DateTimeField()
    imported_by = models.ForeignKey("portal.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, default=State.UNMATCHED)
    problem = models.CharField(_("lý do chưa khớp"), max_length=255, blank=True)
    payment = models.ForeignKey(Payment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("dòng sao kê ngân hàng")
        verbose_name_plural = _("dòng sao kê ngân hàng")
        ordering = ["-booked_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["account", "reference"], name="statement_line_unique")]
        indexes = [models.Index(fields=["imported_at"], condition=Q(state="unmatched"), name="statement_unmatched_idx")]

    def __str__(self):
        return f"{self.account}:{self.reference}"
