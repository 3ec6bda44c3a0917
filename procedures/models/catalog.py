from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.models import HistoricalRecords

from portal.labels import ChoiceLabels
from procedures.constants import Level, Method, OnlineLevel, PaymentStage, TimeUnit, VersionStatus

# Fields a service may change on a version that is no longer a draft (its life-cycle stamps).
LIFECYCLE_FIELDS = {"status", "published_at", "retired_at"}


class Sector(models.Model):
    code = models.CharField(_("mã lĩnh vực"), max_length=20, unique=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=255)

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Procedure(ChoiceLabels, models.Model):
    """The stable identity of a procedure. Everything a dossier depends on lives on its versions."""

    code = models.CharField(_("mã thủ tục"), max_length=30, unique=True)
    name = models.CharField(_("tên thủ tục"), max_length=500)
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="procedures", verbose_name=_("lĩnh vực"))
    level = models.CharField(_("cấp thực hiện"), max_length=10, choices=Level.choices)
    agencies = models.ManyToManyField(
        "portal.Agency", related_name="procedures", blank=True, verbose_name=_("cơ quan giải quyết")
    )
    # Normalised (lower case, no diacritics) copies for search; kept current by the services.
    search_name = models.CharField(max_length=600, blank=True, editable=False)
    search_text = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["code"]
        indexes = [models.Index(fields=["sector", "level"])]

    def __str__(self):
        return f"{self.code} · {self.name}"


class VersionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=VersionStatus.PUBLISHED)


class ProcedureVersion(ChoiceLabels, models.Model):
    """Everything a dossier is filed under. Draft -> published -> retired; once published, the
    content never changes (save() refuses it), so dossiers keep their rules and deadlines."""

    procedure = models.ForeignKey(
        Procedure, on_delete=models.PROTECT, related_name="versions", verbose_name=_("thủ tục")
    )
    number = models.PositiveIntegerField(_("phiên bản số"))
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    description = models.TextField(_("mô tả"), blank=True)
    applicants = models.TextField(_("đối tượng thực hiện"), blank=True)
    steps = models.TextField(_("trình tự thực hiện"), blank=True)
    accepts_in_person = models.BooleanField(_("nộp trực tiếp"), default=True)
    accepts_post = models.BooleanField(_("nộp qua bưu chính"), default=False)
    accepts_online = models.BooleanField(_("nộp trực tuyến"), default=True)
    conditions = models.TextField(_("yêu cầu, điều kiện"), blank=True)
    result = models.TextField(_("kết quả thực hiện"), blank=True)
    result_document = models.BooleanField(
        _("kết quả là văn bản"),
        default=True,
        db_default=True,
        help_text=_(
            "Bỏ chọn khi kết quả không phải văn bản trao cho người dân (ví dụ: thông tin được cập nhật vào cơ sở dữ "
            "liệu). Khi có chọn, hồ sơ chỉ được phê duyệt và trả khi đã có tệp kết quả chính thức."
        ),
    )
    legal_basis = models.TextField(_("căn cứ pháp lý"), blank=True)
    processing_time_value = models.DecimalField(
        _("thời hạn giải quyết"), max_digits=7, decimal_places=2, default=Decimal("0")
    )
    processing_time_unit = models.CharField(
        _("đơn vị thời hạn"), max_length=16, choices=TimeUnit.choices, default=TimeUnit.WORKING_DAYS
    )
    online_level = models.CharField(
        _("mức độ trực tuyến"), max_length=10, choices=OnlineLevel.choices, default=OnlineLevel.FULL
    )
    partial_reason = models.TextField(_("lý do chỉ trực tuyến một phần"), blank=True)
    payment_stage = models.CharField(
        _("thời điểm nộp phí"),
        max_length=20,
        choices=PaymentStage.choices,
        default=PaymentStage.AFTER_APPRAISAL,
        db_default=PaymentStage.AFTER_APPRAISAL,
        help_text=_("Thủ tục không thu phí, lệ phí (mọi khoản bằng 0) không bao giờ yêu cầu nộp phí."),
    )
    change_note = models.CharField(_("ghi chú thay đổi"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        "portal.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("người tạo")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(_("ngày áp dụng"), null=True, blank=True)
    retired_at = models.DateTimeField(_("ngày hết hiệu lực"), null=True, blank=True)
    history = HistoricalRecords()

    objects = VersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("phiên bản thủ tục")
        verbose_name_plural = _("phiên bản thủ tục")
        ordering = ["procedure__code", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="version_unique_number"),
            models.UniqueConstraint(
                fields=["procedure"],
                condition=Q(status=VersionStatus.PUBLISHED),
                name="version_one_published",
                violation_error_message=_("Mỗi thủ tục chỉ có một phiên bản đang áp dụng."),
            ),
            models.UniqueConstraint(
                fields=["procedure"],
                condition=Q(status=VersionStatus.DRAFT),
                name="version_one_draft",
                violation_error_message=_("Thủ tục này đã có một bản nháp."),
            ),
            models.CheckConstraint(
                condition=Q(processing_time_value__gte=0),
                name="version_time_not_negative",
                violation_error_message=_("Thời hạn giải quyết không được âm."),
            ),
            models.CheckConstraint(
                condition=Q(accepts_in_person=True) | Q(accepts_post=True) | Q(accepts_online=True),
                name="version_has_a_method",
                violation_error_message=_("Chọn ít nhất một cách thức nộp hồ sơ."),
            ),
        ]

    def __str__(self):
        return f"{self.procedure.code} v{self.number} ({self.get_status_display()})"

    @property
    def is_draft(self):
        return self.status == VersionStatus.DRAFT

    @property
    def methods(self) -> list[str]:
        flags = [
            (Method.IN_PERSON, self.accepts_in_person),
            (Method.POST, self.accepts_post),
            (Method.ONLINE, self.accepts_online),
        ]
        return [m.value for m, on in flags if on]

    @property
    def processing_time_text(self) -> str:
        """The processing time in plain words, e.g. "5 ngày làm việc" or "Giải quyết trong ngày"."""
        unit, value = self.processing_time_unit, Decimal(str(self.processing_time_value))
        if unit == TimeUnit.SAME_DAY:
            return str(_("Giải quyết trong ngày"))
        whole = value == value.to_integral_value()
        n = formats.number_format(int(value) if whole else value)
        count = int(value) if whole else 2
        templates = {
            TimeUnit.WORKING_DAYS: ngettext("%(n)s ngày làm việc", "%(n)s ngày làm việc", count),
            TimeUnit.WORKING_HOURS: ngettext("%(n)s giờ làm việc", "%(n)s giờ làm việc", count),
            TimeUnit.CALENDAR_DAYS: ngettext("%(n)s ngày", "%(n)s ngày", count),
            TimeUnit.MONTHS: ngettext("%(n)s tháng", "%(n)s tháng", count),
        }
        return templates[unit] % {"n": n}

    @property
    def total_fee(self) -> int:
        return sum(fee.amount for fee in self.fees.all())

    @property
    def can_file_online(self) -> bool:
        return self.accepts_online and self.status == VersionStatus.PUBLISHED

    def clean(self):
        super().clean()
        if self.online_level == OnlineLevel.PARTIAL and not self.partial_reason.strip():
            raise ValidationError({"partial_reason": _("Nêu lý do khi thủ tục chỉ trực tuyến một phần.")})
        if self.processing_time_unit == TimeUnit.SAME_DAY and self.processing_time_value:
            raise ValidationError({"processing_time_value": _("Thủ tục giải quyết trong ngày có thời hạn 0.")})

    def save(self, *args, **kwargs):
        if self.pk and not self._is_lifecycle_only(kwargs.get("update_fields")):
            stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored and stored != VersionStatus.DRAFT:
                raise ValidationError(_("Phiên bản đã công bố không được sửa: hãy tạo bản nháp mới."))
        super().save(*args, **kwargs)

    @staticmethod
    def _is_lifecycle_only(update_fields) -> bool:
        return update_fields is not None and set(update_fields) <= LIFECYCLE_FIELDS

    def delete(self, *args, **kwargs):
        if self.status != VersionStatus.DRAFT:
            raise ValidationError(_("Chỉ xóa được bản nháp."))
        return super().delete(*args, **kwargs)
