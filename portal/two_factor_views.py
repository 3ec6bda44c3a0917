"""The second step of a staff login: the code page, the first-login device setup and new recovery
codes. The rules live in portal.two_factor; portal.middleware.TwoFactorMiddleware sends staff here."""

import django_otp
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticDevice

from portal import two_factor
from portal.exceptions import ApplicationError
from portal.links import landing_url, safe_next


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Mã xác thực"),
        max_length=32,
        error_messages={"required": gettext_lazy("Vui lòng nhập mã xác thực.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True, "spellcheck": "false"}
        ),
    )


def _verified(request, device):
    """Mark the session as having passed the second factor, under a new session key."""
    request.session.cycle_key()
    django_otp.login(request, device)


def _continue(request):
    return redirect(safe_next(request) or landing_url(request.user))


def _demo_hint():
    from portal.demo.data import DEMO_TOTP_SECRET

    return DEMO_TOTP_SECRET if settings.PORTAL_DEMO_TOTP_ALLOWED else ""


@login_required
def two_factor_page(request):
    """After the password: six digits from the authenticator app, or a recovery code."""
    user = request.user
    if not two_factor.two_factor_required(user=user) or user.is_verified():
        return _continue(request)
    if not two_factor.has_device(user=user):
        return redirect(f"{reverse('portal:two_factor_setup')}?{request.GET.urlencode()}")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = two_factor.token_check(user=user, token=form.cleaned_data["token"])
        except ApplicationError as exc:
            form.add_error("token", exc.message)
        else:
            _verified(request, device)
            if isinstance(device, StaticDevice):
                messages.warning(
                    request,
                    _(
                        "Bạn vừa dùng một mã khôi phục; còn %(left)d mã. Nếu mất điện thoại, hãy báo quản trị viên "
                        "để gỡ thiết bị cũ, và tạo mã khôi phục mới trong trang Tài khoản."
                    )
                    % {"left": two_factor.recovery_codes_left(user=user)},
                )
            return _continue(request)
    return render(
        request,
        "registration/two_factor.html",
        {"form": form, "next": safe_next(request), "page_title": _("Xác thực hai bước"), "demo_secret": _demo_hint()},
    )


@login_required
def two_factor_setup(request):
    """A first staff login: scan the QR code (or type the key) into an authenticator app, give its
    first code, and keep the recovery codes shown once."""
    user = request.user
    if not two_factor.two_factor_required(user=user):
        return _continue(request)
    if two_factor.has_device(user=user):
        return redirect("portal:profile") if user.is_verified() else redirect("portal:two_factor")
    device = two_factor.device_for_setup(user=user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = two_factor.setup_confirm(user=user, device_id=device.pk, token=form.cleaned_data["token"])
        except ApplicationError as exc:
            form.add_error("token", exc.message)
        else:
            _verified(request, device)
            messages.success(request, _("Đã bật xác thực hai bước cho tài khoản."))
            return _codes_page(request, codes)
    return render(
        request,
        "registration/two_factor_setup.html",
        {
            "form": form,
            "next": safe_next(request),
            "qr": two_factor.qr_svg(device),
            "key": two_factor.base32_key(device),
            "page_title": _("Thiết lập xác thực hai bước"),
        },
    )


@require_POST
@login_required
def recovery_codes_renew(request):
    """New recovery codes from the account page, for a session that passed the second factor."""
    if not two_factor.two_factor_required(user=request.user) or not request.user.is_verified():
        return redirect("portal:profile")
    return _codes_page(request, two_factor.recovery_codes_renew(user=request.user))


def _codes_page(request, codes):
    return render(
        request,
        "registration/recovery_codes.html",
        {"codes": codes, "next": safe_next(request), "page_title": _("Mã khôi phục")},
    )
