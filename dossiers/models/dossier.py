import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dossiers.constants import (
    IN_PROGRESS_STAGES,
    RESUPPLIED,
    STATUS_EXPLANATIONS,
    Channel,
    Delivery,
    FeeStatus,
    FilerRelation,
    Outcome,
    PayMethod,
    Stage,
    Status,
)
from portal.labels import ChoiceLabels


class Dossier(ChoiceLabels, models.Model):
    """A citizen's dossier, from draft to result. It pins the procedure version it was filed under."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(_("mã hồ sơ"), max_length=40, unique=True, null=True, blank=True)
    lookup_key = models.CharField(_("mã tra cứu"), max_length=8, blank=True)
    version = models.ForeignKey(
        "procedures.ProcedureVersion",
        on_delete=models.PROTECT,
        related_name="dossiers",
        verbose_name=_("phiên bản thủ tục"),
    )
    applicant = models.ForeignKey(
        "portal.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dossiers",
        verbose_name=_("người yêu cầu"),
    )
    applicant_snapshot = models.JSONField(_("thông tin người yêu cầu"), default=dict)
    filer = models.ForeignKey(
        "portal.User", on_delete=models.PROTECT, related_name="filed_dossiers", verbose_name=_("người nộp")
    )
    filer_relation = models.CharField(
        _("quan hệ người nộp"), max_length=20, choices=FilerRelation.choices, default=FilerRelation.SELF
    )
    agency = models.ForeignKey(
        "portal.Agency", on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("cơ quan")
    )
    desk = models.ForeignKey(
        "portal.Desk",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dossiers",
        verbose_name=_("bộ phận một cửa"),
    )
    channel = models.CharField(_("kênh nộp"), max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    status = models.CharField(_("trạng thái"), max_length=24, choices=Status.choices, default=Status.DRAFT)
    stage = models.CharField(_("bước xử lý"), max_length=24, choices=Stage.choices, default=Stage.DRAFT)
    previous_stage = models.CharField(max_length=24, choices=Stage.choices, blank=True)
    stage_entered_at = models.DateTimeField(null=True, blank=True)
    assignee = models.ForeignKey(
        "portal.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_dossiers",
        verbose_name=_("chuyên viên xử lý"),
    )
    outcome = models.CharField(_("kết quả giải quyết"), max_length=10, choices=Outcome.choices, blank=True)
    appraisal_note = models.TextField(_("ý kiến thẩm định"), blank=True)
    result_note = models.TextField(_("nội dung kết quả"), blank=True)
    returned_via = models.CharField(_("hình thức trả kết quả"), max_length=255, blank=True)
    answers = models.JSONField(_("nội dung tờ khai"), default=dict, blank=True)
    delivery = models.CharField(_("cách nhận kết quả"), max_length=10, choices=Delivery.choices, blank=True)
    delivery_address = models.CharField(_("địa chỉ nhận kết quả"), max_length=500, blank=True)
    declaration_accepted = models.BooleanField(default=False)
    last_step = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("ngày nộp"), null=True, blank=True)
    received_at = models.DateTimeField(_("ngày tiếp nhận"), null=True, blank=True)
    clock_started_at = models.DateTimeField(_("thời điểm bắt đầu tính thời hạn"), null=True, blank=True)
    due_at = models.DateTimeField(_("ngày hẹn trả"), null=True, blank=True)
    finished_at = models.DateTimeField(_("ngày có kết quả"), null=True, blank=True)
    returned_at = models.DateTimeField(_("ngày trả kết quả"), null=True, blank=True)
    # Queue order: the appointment once received, before that the desk's own check-by time.
    priority_at = models.DateTimeField(null=True, blank=True)
    # Set by the deadline sweep on the last day an apology letter (Form 04) may be issued.
    extension_flagged_at = models.DateTimeField(null=True, blank=True)
    # Normalised code, applicant name and CCCD for the desk's search (no case, no diacritics).
    search_text = models.CharField(max_length=400, blank=True)
    # Fees (dossiers/models/payments.py): where the obligation stands and how it was paid, kept here so
    # the pages and the figures know without reading the payments.
    fee_status = models.CharField(
        _("phí, lệ phí"), max_length=10, choices=FeeStatus.choices, blank=True, default="", db_default=""
    )
    paid_via = models.CharField(
        _("hình thức nộp phí"), max_length=10, choices=PayMethod.choices, blank=True, default="", db_default=""
    )
    # Working days added to the appointment for the time the agency waited for the citizen's payment
    # (a recomputation of the appointment adds them again; a clock restart clears them).
    payment_wait_days = models.PositiveSmallIntegerField(default=0, db_default=0)
    # What this dossier last added to DailyFigures (dossiers/figures.py), so a change adds the difference.
    counted = models.JSONField(default=list, db_default=[], blank=True)

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["filer", "-updated_at"]),
            models.Index(fields=["applicant", "-updated_at"]),
            models.Index(fields=["agency", "status", "due_at"]),
            models.Index(fields=["agency", "stage", "priority_at", "id"], name="dossier_queue_idx"),
            models.Index(fields=["assignee", "stage", "due_at"]),
            models.Index(fields=["stage", "due_at"], name="dossier_sweep_idx"),
            models.Index(fields=["agency", "submitted_at", "id"], name="dossier_register_idx"),
            # The indicators' drill-down: the dossiers received, or finished, in a period.
            models.Index(fields=["agency", "received_at", "id"], name="dossier_received_idx"),
            models.Index(fields=["agency", "finished_at", "id"], name="dossier_finished_idx"),
            # The queue tabs that span many stages read one index in order (see dossiers/queues.py). It
            # carries the search text (PostgreSQL), so that a search's windows over the history read
            # the index alone: 0.1 ms instead of 0.35 for a window of 250 rows at 1,000,000 dossiers.
            models.Index(
                fields=["agency", "priority_at", "id"],
                condition=~Q(stage=Stage.DRAFT),
                include=["search_text"],
                name="dossier_history_idx",
            ),
            models.Index(
                fields=["agency", "priority_at", "id"],
                condition=Q(stage__in=IN_PROGRESS_STAGES),
                name="dossier_in_progress_idx",
            ),
            models.Index(
                fields=["agency", "priority_at", "id"],
                condition=RESUPPLIED,
                name="dossier_resupplied_idx",
            ),
            # A specialist's own tab, in order, however many dossiers the agency has open.
            models.Index(fields=["assignee", "stage", "priority_at", "id"], name="dossier_assignee_queue_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=Status.DRAFT) | Q(code__isnull=False),
                name="dossier_filed_has_code",
                violation_error_message=_("Hồ sơ đã nộp phải có mã hồ sơ."),
            ),
            # The queues page by (priority_at, id): every filed dossier has its place in that order.
            models.CheckConstraint(
                condition=Q(status=Status.DRAFT) | Q(priority_at__isnull=False),
                name="dossier_filed_has_priority",
                violation_error_message=_("Hồ sơ đã nộp phải có thời điểm ưu tiên xử lý."),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[Status.RECEIVED, Status.PROCESSING, Status.RESULT_READY, Status.RETURNED])
                | (Q(received_at__isnull=False) & Q(due_at__isnull=False)),
                name="dossier_received_has_dates",
                violation_error_message=_("Hồ sơ đã tiếp nhận phải có thời điểm tiếp nhận và ngày hẹn trả."),
            ),
        ]

    def __str__(self):
        return self.code or f"{_('Bản nháp')} {str(self.public_id)[:8]}"

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT

    @property
    def status_explanation(self) -> str:
        return STATUS_EXPLANATIONS.get(self.status, "")

    @property
    def applicant_name(self) -> str:
        return self.applicant_snapshot.get("full_name", "")


class DossierSequence(models.Model):
    """The last sequence number given to dossiers of one agency on one receiving day."""

    agency = models.ForeignKey("portal.Agency", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "day"], name="sequence_unique_agency_day")]

    def __str__(self):
        return f"{self.agency_id}:{self.day}:{self.last}"
