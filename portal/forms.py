from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from portal.models import User
from portal.validators import normalize_phone, validate_national_id, validate_phone


def _required(message):
    return {"required": message}


class RegistrationForm(forms.Form):
    full_name = forms.CharField(
        label=_("Họ và tên"),
        max_length=150,
        error_messages=_required(_("Vui lòng nhập họ và tên.")),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    national_id = forms.CharField(
        label=_("Số CCCD"),
        max_length=20,
        validators=[validate_national_id],
        help_text=_("12 chữ số in trên thẻ căn cước công dân."),
        error_messages=_required(_("Vui lòng nhập số CCCD.")),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=20,
        validators=[validate_phone],
        error_messages=_required(_("Vui lòng nhập số điện thoại.")),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("Email"),
        error_messages={
            **_required(_("Vui lòng nhập email.")),
            "invalid": _("Email không hợp lệ, ví dụ: ten@example.com."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password1 = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        error_messages=_required(_("Vui lòng nhập mật khẩu.")),
        help_text=_(
            "Ít nhất 12 ký tự, không toàn chữ số, không phải mật khẩu phổ biến, không quá giống thông tin cá nhân."
        ),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Nhập lại mật khẩu"),
        strip=False,
        error_messages=_required(_("Vui lòng nhập lại mật khẩu.")),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    # Format only: whether a CCCD, phone or email has an account is never said on this page
    # (portal.registration answers every well-formed registration the same way).
    def clean_national_id(self):
        return self.cleaned_data["national_id"].strip()

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_phone(self):
        return normalize_phone(self.cleaned_data["phone"])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password2") and cleaned["password1"] != cleaned["password2"]:
            self.add_error("password2", _("Hai mật khẩu không khớp nhau."))
        return cleaned


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("CCCD, email hoặc số điện thoại"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        "invalid_login": _(
            "Thông tin đăng nhập hoặc mật khẩu không đúng. Lưu ý: sau 5 lần sai, tài khoản bị tạm khóa. "
            "Nếu bạn vừa đăng ký, hãy mở liên kết kích hoạt trong email trước."
        ),
        "inactive": _("Tài khoản này đã bị khóa."),
    }


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = [
            "full_name",
            "phone",
            "email",
            "address",
            "date_of_birth",
            "preferred_language",
            "notify_by_email",
            "notify_by_sms",
            "notify_in_app",
        ]
        widgets = {
            "date_of_birth": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "preferred_language": forms.Select(choices=[("vi", "Tiếng Việt"), ("en", "English")]),
        }

    current_password = forms.CharField(
        label=_("Mật khẩu hiện tại"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Chỉ cần khi đổi email hoặc số điện thoại: thay đổi có hiệu lực khi bạn mở liên kết xác nhận."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("full_name", "phone", "email"):
            self.fields[name].required = True


class PortalPasswordResetForm(PasswordResetForm):
    email = forms.EmailField(
        label=_("Email đã đăng ký"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )

    def get_users(self, email):
        """At most one reset mail per account per PORTAL_RESET_MAIL_SECONDS, however often it is
        asked for (the page answers the same either way)."""
        for user in super().get_users(email):
            if cache.add(f"reset-mail:{user.pk}", 1, timeout=settings.PORTAL_RESET_MAIL_SECONDS):
                yield user
