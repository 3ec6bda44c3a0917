import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CCCD_PATTERN = re.compile(r"^\d{12}$")
PHONE_PATTERN = re.compile(r"^(0|\+84)\d{9,10}$")


def validate_national_id(value: str) -> None:
    """CCCD (căn cước công dân): exactly 12 digits."""
    if not CCCD_PATTERN.match(value or ""):
        raise ValidationError(
            _("Số CCCD phải gồm đúng 12 chữ số (bạn đã nhập %(count)s ký tự)."),
            code="invalid_national_id",
            params={"count": len(value or "")},
        )


def normalize_phone(value: str) -> str:
    """One spelling per number: separators dropped, the +84 country code written as the leading 0
    (so +84912345678 and 0912345678 are one number, and cannot belong to two accounts)."""
    value = re.sub(r"[\s.\-()]", "", value or "")
    if value.startswith("+84") and len(value) > 3:
        value = "0" + value[3:]
    return value


def validate_phone(value: str) -> None:
    if not PHONE_PATTERN.match(normalize_phone(value)):
        raise ValidationError(
            _("Số điện thoại không hợp lệ: nhập 10 chữ số bắt đầu bằng 0, ví dụ 0912345678."),
            code="invalid_phone",
        )


class MinimumLengthValidator:
    """Django's rule with a message of our own: Django's Vietnamese catalogue lacks this one."""

    def __init__(self, min_length=8):
        self.min_length = min_length

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(self.get_error_message(), code="password_too_short")

    def get_error_message(self):
        return _("Mật khẩu quá ngắn: cần ít nhất %(min_length)d ký tự.") % {"min_length": self.min_length}

    def get_help_text(self):
        return _("Mật khẩu cần ít nhất %(min_length)d ký tự.") % {"min_length": self.min_length}
