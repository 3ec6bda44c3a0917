from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.constants import AgencyLevel

# ASCII only: a VietQR payload (portal/payments/vietqr.py) carries these as they are.
validate_bank_bin = RegexValidator(
    r"^[0-9]{6}\Z", _("Mã ngân hàng (BIN NAPAS) gồm đúng 6 chữ số."), code="invalid_bank_bin"
)
validate_bank_account = RegexValidator(
    r"^[0-9A-Za-z]{1,19}\Z",
    _("Số tài khoản chỉ gồm chữ số và chữ cái không dấu, tối đa 19 ký tự."),
    code="invalid_bank_account",
)
BANK_FIELDS = ("bank_bin", "bank_account", "bank_account_name")


class Agency(models.Model):
    """A node in the tree of agencies: province -> (district ->) commune, or a department inside one.

    Office hours and the paper cut-off are per agency; blank means the portal default
    (settings.PORTAL_DEFAULT_OFFICE_HOURS)."""

    code = models.CharField(
        _("mã cơ quan"), max_length=32, unique=True, help_text=_("Mã dùng trong mã hồ sơ, ví dụ H15.50.05.13")
    )
    name = models.CharField(_("tên cơ quan"), max_length=255)
    level = models.CharField(_("cấp"), max_length=12, choices=AgencyLevel.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("cơ quan cấp trên"),
    )
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    morning_start = models.TimeField(_("giờ bắt đầu buổi sáng"), null=True, blank=True)
    morning_end = models.TimeField(_("giờ kết thúc buổi sáng"), null=True, blank=True)
    afternoon_start = models.TimeField(_("giờ bắt đầu buổi chiều"), null=True, blank=True)
    afternoon_end = models.TimeField(_("giờ kết thúc buổi chiều"), null=True, blank=True)
    cutoff_time = models.TimeField(
        _("giờ chốt tiếp nhận hồ sơ giấy"),
        null=True,
        blank=True,
        help_text=_("Hồ sơ giấy nhận sau giờ này được chuyển vào ngày làm việc kế tiếp (mặc định 15:00)."),
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    # The account citizens transfer fees to (VietQR): all three or none.
    bank_bin = models.CharField(
        _("mã ngân hàng (BIN NAPAS)"),
        max_length=6,
        blank=True,
        validators=[validate_bank_bin],
        help_text=_("6 chữ số, ví dụ 970415 (VietinBank)."),
    )
    bank_account = models.CharField(
        _("số tài khoản thu phí"), max_length=19, blank=True, validators=[validate_bank_account]
    )
    bank_account_name = models.CharField(_("tên chủ tài khoản"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("cơ quan")
        verbose_name_plural = _("cơ quan")
        ordering = ["code"]
        indexes = [models.Index(fields=["parent", "code"])]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        node, seen = self.parent, set()
        while node is not None:
            if node.pk == self.pk and self.pk is not None or node.pk in seen:
                raise ValidationError({"parent": _("Cơ quan cấp trên không được tạo thành vòng lặp.")})
            seen.add(node.pk)
            node = node.parent
        sessions = [self.morning_start, self.morning_end, self.afternoon_start, self.afternoon_end]
        if any(sessions) and not all(sessions):
            raise ValidationError(_("Nhập đủ bốn mốc giờ làm việc hoặc để trống cả bốn."))
        if all(sessions) and not (sessions[0] < sessions[1] <= sessions[2] < sessions[3]):
            raise ValidationError(
                _("Giờ làm việc phải theo thứ tự: sáng bắt đầu < sáng kết thúc ≤ chiều bắt đầu < chiều kết thúc.")
            )
        missing = [field for field in BANK_FIELDS if not getattr(self, field)]
        if missing and len(missing) < len(BANK_FIELDS):
            message = _("Nhập đủ mã ngân hàng, số tài khoản và tên chủ tài khoản, hoặc để trống cả ba.")
            raise ValidationError(dict.fromkeys(missing, message))

    def ancestors(self):
        """This agency and its ancestors, nearest first."""
        chain, node = [], self
        while node is not None and len(chain) < 32:
            chain.append(node)
            node = node.parent
        return chain


class Desk(models.Model):
    """A one-stop desk (Bộ phận Một cửa) of an agency."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="desks", verbose_name=_("cơ quan"))
    code = models.CharField(_("mã bộ phận"), max_length=40, unique=True)
    name = models.CharField(_("tên bộ phận"), max_length=255)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    opens_saturday_morning = models.BooleanField(_("làm việc sáng thứ Bảy"), default=False)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("bộ phận một cửa")
        verbose_name_plural = _("bộ phận một cửa")
        ordering = ["agency__code", "code"]

    def __str__(self):
        return self.name
