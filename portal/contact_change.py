"""Changing the email or phone of an account: the password is asked again, nothing changes until a
link sent to the new address is opened by the logged-in owner, and the old address is told at once
(a stolen session alone cannot move an account's reset address to the thief's)."""

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from portal.exceptions import ApplicationError
from portal.validators import normalize_phone

SALT = "portal.contact-change"
FIELDS = ("email", "phone")


def _fingerprint(user) -> str:
    """Changes with the account's password and its current contacts: an older link stops working."""
    return salted_hmac(SALT, f"{user.pk}|{user.password}|{user.email}|{user.phone}").hexdigest()[:20]


def contact_change_request(*, user, field: str, value: str, password: str, build_url) -> None:
    """Check the password, then send the confirmation link to the new `field` value and a notice to
    the old one. `build_url(path)` makes the link absolute for the current site."""
    if field not in FIELDS:
        raise ApplicationError(_("Không thể đổi thông tin này."), code="tampered")
    if not user.check_password(password or ""):
        raise ApplicationError(
            _("Mật khẩu hiện tại không đúng. Cần mật khẩu để đổi email hoặc số điện thoại."),
            field="current_password",
            code="wrong_password",
        )
    value = value.strip().lower() if field == "email" else normalize_phone(value)
    from portal.models import User

    if User.objects.filter(**{field: value}).exclude(pk=user.pk).exists():
        # The same words as Django's unique check the profile form already ran (no new disclosure).
        raise ApplicationError(_("Thông tin này đã được dùng cho một tài khoản khác."), field=field, code="taken")
    token = signing.dumps({"u": user.pk, "f": field, "v": value, "k": _fingerprint(user)}, salt=SALT)
    link = build_url(reverse("portal:contact_confirm", args=[token]))
    hours = settings.PORTAL_CONTACT_CHANGE_HOURS
    if field == "email":
        send_mail(
            _("Xác nhận email mới cho tài khoản Cổng Dịch vụ công"),
            _("Mở liên kết sau trong %(h)s giờ (khi đã đăng nhập) để dùng email này cho tài khoản: %(link)s")
            % {"h": hours, "link": link},
            None,
            [value],
        )
    else:
        from portal.sms import get_backend

        get_backend().send(
            value, _("Cong DVC: mo lien ket sau de xac nhan so dien thoai moi: %(link)s") % {"link": link}
        )
    _tell_old_address(user, field)


def _tell_old_address(user, field: str) -> None:
    notice = _(
        "Có yêu cầu đổi %(what)s của tài khoản Cổng Dịch vụ công của bạn. Nếu không phải bạn, hãy đổi mật khẩu "
        "ngay và liên hệ tổng đài hỗ trợ."
    ) % {"what": _("email") if field == "email" else _("số điện thoại")}
    if user.email:
        send_mail(_("Yêu cầu đổi thông tin liên lạc"), notice, None, [user.email])
    if user.phone:
        from portal.sms import get_backend

        get_backend().send(user.phone, notice)


@transaction.atomic
def contact_change_confirm(*, user, token: str) -> str:
    """Apply the change the link carries, for the account that asked; returns the field changed."""
    from portal.models import User

    try:
        data = signing.loads(token, salt=SALT, max_age=settings.PORTAL_CONTACT_CHANGE_HOURS * 3600)
    except signing.BadSignature:
        raise ApplicationError(_("Liên kết xác nhận không hợp lệ hoặc đã hết hạn."), code="bad_link") from None
    current = User.objects.select_for_update().get(pk=user.pk)
    if data.get("u") != current.pk or data.get("k") != _fingerprint(current) or data.get("f") not in FIELDS:
        raise ApplicationError(_("Liên kết xác nhận không hợp lệ hoặc đã hết hạn."), code="bad_link")
    field, value = data["f"], data["v"]
    if User.objects.filter(**{field: value}).exclude(pk=current.pk).exists():
        raise ApplicationError(_("Thông tin này đã được dùng cho một tài khoản khác."), code="taken")
    setattr(current, field, value)
    current.full_clean(exclude=["password"])
    current.save(update_fields=[field])
    return field
