"""Staff two-factor login on django-otp: who must give a second factor, the authenticator-app (TOTP)
device a staff member sets up once, the recovery codes that stand in for a lost phone, and the check
of a code at login. Views call these; django-otp keeps the devices and the session's verification.

Every staff account (any membership) and every superuser gives a code after the password, for the
portal's pages and the admin alike. A first login sets the device up (the password holder enrols,
as in django-two-factor-auth); a lost device is removed by a superuser in the admin, and the next
login sets a new one up."""

import base64
import binascii
import re

import segno
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.exceptions import ApplicationError
from portal.selectors import user_is_staff_member

APP_DEVICE_NAME = "Ứng dụng xác thực"
RECOVERY_DEVICE_NAME = "Mã khôi phục"
_TOTP_SHAPE = re.compile(r"^\d{6}$")


def two_factor_required(*, user) -> bool:
    """Staff (any membership) and superusers give a second factor; citizens do not."""
    return bool(user.is_authenticated and (user.is_superuser or user_is_staff_member(user=user)))


def has_device(*, user) -> bool:
    """Whether the account has set up its authenticator app (else the next step is the setup)."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def recovery_codes_left(*, user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def base32_key(device: TOTPDevice) -> str:
    """The secret as an authenticator app asks for it when typed by hand."""
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def hex_key(secret_base32: str) -> str:
    """A base32 secret (as printed for the demo) as django-otp stores it."""
    try:
        return binascii.hexlify(base64.b32decode(secret_base32.upper() + "=" * (-len(secret_base32) % 8))).decode()
    except (binascii.Error, ValueError) as exc:
        raise ValueError(f"not a base32 secret: {secret_base32!r}") from exc


def is_demo_device(device) -> bool:
    from portal.demo.data import DEMO_TOTP_SECRET

    return isinstance(device, TOTPDevice) and device.key == hex_key(DEMO_TOTP_SECRET)


def qr_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// address as an inline SVG QR code (no image request, no other host)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=4, border=2, dark="#000", light="#fff")


@transaction.atomic
def device_for_setup(*, user) -> TOTPDevice:
    """The account's unconfirmed app device, made once so a reload shows the same QR code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


def _throttled(device):
    allowed, details = device.verify_is_allowed()
    if allowed:
        return None
    return ApplicationError(
        _("Bạn đã nhập sai nhiều lần. Vui lòng đợi một lát rồi thử lại với mã mới."), field="token", code="throttled"
    )


def _clean(token: str) -> str:
    return re.sub(r"[\s-]", "", token or "").lower()


def setup_confirm(*, user, device_id: int, token: str) -> tuple[TOTPDevice, list[str]]:
    """The first code from the app confirms the device; the account then gets its recovery codes,
    shown once. Returns the device (to mark the session verified) and the codes. A wrong code is
    refused after the transaction commits, so the device's failure count (its throttle) is kept."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(pk=device_id, user=user, confirmed=False).first()
        if device is None:
            raise ApplicationError(
                _("Thiết lập đã hết hiệu lực. Vui lòng tải lại trang và quét mã mới."), field="token"
            )
        refusal = _throttled(device)
        if refusal is None and device.verify_token(_clean(token)):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()  # one app per account
            return device, recovery_codes_renew(user=user)
    raise refusal or ApplicationError(
        _("Mã không đúng. Hãy nhập 6 chữ số đang hiện trong ứng dụng (mã đổi sau mỗi 30 giây)."), field="token"
    )


@transaction.atomic
def recovery_codes_renew(*, user) -> list[str]:
    """A new set of recovery codes; the old ones stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _n in range(settings.PORTAL_RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def token_check(*, user, token: str):
    """The device that accepts this code: six digits go to the authenticator app, anything else is a
    recovery code (used once). Raises ApplicationError with a message for the form, after the
    transaction commits, so each failure counts towards the device's throttle."""
    token = _clean(token)
    if not token:
        raise ApplicationError(_("Vui lòng nhập mã xác thực."), field="token")
    model = TOTPDevice if _TOTP_SHAPE.match(token) else StaticDevice
    with transaction.atomic():
        for device in model.objects.select_for_update().filter(user=user, confirmed=True).order_by("id"):
            if not settings.PORTAL_DEMO_TOTP_ALLOWED and is_demo_device(device):
                continue  # the published demo secret opens nothing in production
            if refusal := _throttled(device):
                break
            if device.verify_token(token):
                return device
        else:
            refusal = None
    if refusal:
        raise refusal
    if model is StaticDevice:
        raise ApplicationError(_("Mã khôi phục không đúng hoặc đã được dùng."), field="token")
    raise ApplicationError(
        _("Mã xác thực không đúng hoặc đã hết hạn. Hãy nhập 6 chữ số đang hiện trong ứng dụng."), field="token"
    )


def demo_device_set(*, user, secret: str) -> int:
    """A demo account's confirmed app device with the published demo secret (load_demo only, and
    refused at login in production). Returns 1 when it made the device, 0 when it was there."""
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return 0
    TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, key=hex_key(secret), confirmed=True)
    return 1
