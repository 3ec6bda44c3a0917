"""The ordered parts of a version. They can change only while their version is a draft."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from procedures.constants import CHOICE_TYPES, FILE_TYPES, FieldType, StepRole, VersionStatus


def default_file_types():
    return ["pdf", "jpg", "png"]


class DraftOnly:
    """A part saved or deleted only while its version is a draft. `draft_via`: the foreign key to
    follow and, from the model it points to, the path to the version's status."""

    draft_via = ("version", "status")

    def _check_draft(self):
        field, path = self.draft_via
        parent = self._meta.get_field(field).related_model
        status = parent.objects.filter(pk=getattr(self, f"{field}_id")).values_list(path, flat=True).first()
        if status and status != VersionStatus.DRAFT:
            raise ValidationError(_("Phiên bản đã công bố không được sửa: hãy tạo bản nháp mới."))

    def save(self, *args, **kwargs):
        self._check_draft()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._check_draft()
        return super().delete(*args, **kwargs)


class VersionPart(DraftOnly, models.Model):
    version = models.ForeignKey("procedures.ProcedureVersion", on_delete=models.CASCADE, verbose_name=_("phiên bản"))
    order = models.PositiveIntegerField(_("thứ tự"), default=0)

    class Meta:
        abstract = True
        ordering = ["order", "id"]


class DossierComponent(VersionPart):
    version = models.ForeignKey(
        "procedures.ProcedureVersion", on_delete=models.CASCADE, related_name="components", verbose_name=_("phiên bản")
    )
    name = models.CharField(_("tên giấy tờ"), max_length=500)
    originals = models.PositiveSmallIntegerField(_("bản chính"), default=0)
    certified_copies = models.PositiveSmallIntegerField(_("bản sao chứng thực"), default=0)
    photocopies = models.PositiveSmallIntegerField(_("bản photo"), default=0)
    required = models.BooleanField(_("bắt buộc"), default=True)
    # The paper form the e-form stands for (a "Tờ khai"): filed online, its answers are the form, so
    # nobody is asked to upload a scan of what they just typed; at the counter the paper is received.
    replaced_by_eform = models.BooleanField(
        _("thay bằng tờ khai điện tử khi nộp trực tuyến"), default=False, db_default=False
    )
    accepted_types = models.JSONField(_("định dạng tệp chấp nhận"), default=default_file_types)
    max_size_mb = models.PositiveSmallIntegerField(_("dung lượng tối đa (MB)"), default=10)
    note = models.TextField(_("ghi chú"), blank=True)
    template_file = models.FileField(_("mẫu đơn"), upload_to="procedure-templates/", blank=True)
    history = HistoricalRecords()

    class Meta(VersionPart.Meta):
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        bad = [t for t in (self.accepted_types or []) if t not in FILE_TYPES]
        if bad or not self.accepted_types:
            raise ValidationError(
                {
                    "accepted_types": _("Định dạng không hợp lệ: %(bad)s. Chọn trong: %(ok)s.")
                    % {"bad": ", ".join(bad) or "—", "ok": ", ".join(FILE_TYPES)}
                }
            )
        if not 1 <= self.max_size_mb <= 50:
            raise ValidationError({"max_size_mb": _("Dung lượng tối đa từ 1 đến 50 MB.")})


class FormField(VersionPart):
    version = models.ForeignKey(
        "procedures.ProcedureVersion", on_delete=models.CASCADE, related_name="fields", verbose_name=_("phiên bản")
    )
    key = models.SlugField(_("mã trường"), max_length=60)
    label_vi = models.CharField(_("nhãn (tiếng Việt)"), max_length=255)
    label_en = models.CharField(_("nhãn (tiếng Anh)"), max_length=255, blank=True)
    field_type = models.CharField(_("kiểu"), max_length=20, choices=FieldType.choices, default=FieldType.TEXT)
    required = models.BooleanField(_("bắt buộc"), default=True)
    help_vi = models.CharField(_("hướng dẫn (tiếng Việt)"), max_length=500, blank=True)
    help_en = models.CharField(_("hướng dẫn (tiếng Anh)"), max_length=500, blank=True)
    choices = models.JSONField(
        _("lựa chọn"),
        default=list,
        blank=True,
        help_text=_('Danh sách {"value": "...", "label": {"vi": "...", "en": "..."}}'),
    )
    min_value = models.DecimalField(_("giá trị nhỏ nhất"), max_digits=14, decimal_places=2, null=True, blank=True)
    max_value = models.DecimalField(_("giá trị lớn nhất"), max_digits=14, decimal_places=2, null=True, blank=True)
    pattern = models.CharField(_("mẫu kiểm tra (regex)"), max_length=255, blank=True)
    section_vi = models.CharField(_("nhóm (tiếng Việt)"), max_length=255, blank=True)
    section_en = models.CharField(_("nhóm (tiếng Anh)"), max_length=255, blank=True)
    history = HistoricalRecords()

    class Meta(VersionPart.Meta):
        verbose_name = _("trường tờ khai")
        verbose_name_plural = _("trường tờ khai")
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="field_unique_key")]

    def __str__(self):
        return self.label_vi

    @property
    def label(self):
        return self.label_en if get_language() == "en" and self.label_en else self.label_vi

    @property
    def help(self):
        return self.help_en if get_language() == "en" and self.help_en else self.help_vi

    @property
    def section(self):
        return self.section_en if get_language() == "en" and self.section_en else self.section_vi

    def choice_pairs(self):
        english = get_language() == "en"
        return [
            (c["value"], (c["label"].get("en") if english else None) or c["label"]["vi"]) for c in self.choices or []
        ]

    def clean(self):
        super().clean()
        import re

        if self.field_type in CHOICE_TYPES:
            ok = (
                isinstance(self.choices, list)
                and self.choices
                and all(
                    isinstance(c, dict) and c.get("value") and isinstance(c.get("label"), dict) and c["label"].get("vi")
                    for c in self.choices
                )
            )
            if not ok:
                raise ValidationError({"choices": _("Trường lựa chọn cần ít nhất một lựa chọn có value và nhãn vi.")})
        elif self.choices:
            raise ValidationError({"choices": _("Chỉ trường lựa chọn mới có danh sách lựa chọn.")})
        if self.min_value is not None and self.max_value is not None and self.min_value > self.max_value:
            raise ValidationError({"max_value": _("Giá trị lớn nhất phải không nhỏ hơn giá trị nhỏ nhất.")})
        if self.pattern:
            try:
                re.compile(self.pattern)
            except re.error as exc:
                raise ValidationError({"pattern": _("Mẫu kiểm tra không hợp lệ: %(e)s") % {"e": exc}}) from exc


class ProcessingStep(VersionPart):
    version = models.ForeignKey(
        "procedures.ProcedureVersion",
        on_delete=models.CASCADE,
        related_name="processing_steps",
        verbose_name=_("phiên bản"),
    )
    name = models.CharField(_("tên bước"), max_length=255)
    role = models.CharField(_("vai trò xử lý"), max_length=20, choices=StepRole.choices)
    share = models.PositiveSmallIntegerField(_("tỷ lệ thời gian (%)"), default=0)
    history = HistoricalRecords()

    class Meta(VersionPart.Meta):
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("bước xử lý")

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.share > 100:
            raise ValidationError({"share": _("Tỷ lệ thời gian không quá 100%.")})


class FeeItem(VersionPart):
    version = models.ForeignKey(
        "procedures.ProcedureVersion", on_delete=models.CASCADE, related_name="fees", verbose_name=_("phiên bản")
    )
    name = models.CharField(_("tên khoản phí"), max_length=255)
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"), default=0)
    quantity_field = models.SlugField(
        _("tính theo trường"),
        max_length=60,
        blank=True,
        default="",
        db_default="",
        help_text=_(
            "Để trống nếu là khoản thu cố định. Nếu thu theo số bản, số trang…: nhập mã một trường kiểu Số của tờ "
            "khai phiên bản này; số tiền là mức thu cho mỗi đơn vị."
        ),
    )
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    history = HistoricalRecords()

    # The version's fields as {key: field type} for the quantity_field check: None reads the stored
    # ones; the admin gives the fields as posted beside the fee, so one added in the same save counts.
    field_kinds: dict[str, str] | None = None

    class Meta(VersionPart.Meta):
        verbose_name = _("phí, lệ phí")
        verbose_name_plural = _("phí, lệ phí")

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if not self.quantity_field or self.version_id is None:
            return
        kinds = self.field_kinds
        if kinds is None:
            kinds = dict(FormField.objects.filter(version_id=self.version_id).values_list("key", "field_type"))
        problem = quantity_field_problem(self.quantity_field, kinds)
        if problem:
            raise ValidationError({"quantity_field": problem})


def quantity_field_problem(key: str, kinds: dict) -> str | None:
    """Why `key` cannot count a fee's units, given the version's fields as {key: field type}; None when
    it can (a number field of the same version)."""
    if key not in kinds:
        return _("Tờ khai của phiên bản này không có trường mã “%(key)s”: nhập mã một trường kiểu Số.") % {"key": key}
    if kinds[key] != FieldType.NUMBER:
        return _("Trường “%(key)s” không phải kiểu Số: phí tính theo đơn vị cần một trường kiểu Số.") % {"key": key}
    return None


PERCENT_RANGE = _("Tỷ lệ miễn, giảm là một số nguyên từ 1 đến 100.")


class FeeExemption(DraftOnly, models.Model):
    """Who pays less of a fee, and by which law. It changes only while its fee's version is a draft."""

    fee = models.ForeignKey(FeeItem, on_delete=models.CASCADE, related_name="exemptions", verbose_name=_("khoản phí"))
    category = models.CharField(
        _("đối tượng được miễn, giảm"), max_length=255, help_text=_("Ví dụ: Người thuộc hộ nghèo.")
    )
    percent = models.PositiveSmallIntegerField(
        _("tỷ lệ miễn, giảm (%)"),
        default=100,
        validators=[MinValueValidator(1, PERCENT_RANGE), MaxValueValidator(100, PERCENT_RANGE)],
        help_text=_("100 là miễn toàn bộ, 50 là giảm một nửa."),
    )
    reason = models.CharField(_("căn cứ pháp lý"), max_length=500, help_text=_("Ví dụ: Khoản 1 Điều 11 Luật Hộ tịch."))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("miễn, giảm phí")
        verbose_name_plural = _("miễn, giảm phí")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__gte=1, percent__lte=100),
                name="exemption_percent_1_to_100",
                violation_error_message=PERCENT_RANGE,
            )
        ]

    def __str__(self):
        return f"{self.category} ({self.percent}%)"

    draft_via = ("fee", "version__status")


class FormTemplate(VersionPart):
    version = models.ForeignKey(
        "procedures.ProcedureVersion", on_delete=models.CASCADE, related_name="templates", verbose_name=_("phiên bản")
    )
    name = models.CharField(_("tên mẫu"), max_length=255)
    file = models.FileField(_("tệp"), upload_to="procedure-templates/")
    filename = models.CharField(_("tên tệp khi tải về"), max_length=255, blank=True)
    history = HistoricalRecords()

    class Meta(VersionPart.Meta):
        verbose_name = _("mẫu đơn, tờ khai")
        verbose_name_plural = _("mẫu đơn, tờ khai")

    def __str__(self):
        return self.name

    @property
    def download_name(self) -> str:
        return self.filename or self.file.name.rsplit("/", 1)[-1]
