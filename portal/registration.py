"""Online registration that tells nobody in the browser whether a CCCD, phone or email already has an
account: every well-formed registration gets the same answer ("check your email"), and what happened
is said only in a mail to the address typed in (its owner is the person registering or the
account's own holder).

- Nothing matches: an inactive account, `registration_pending`, and an activation link (signed,
  PORTAL_ACTIVATION_HOURS, bound to the account's state so it works once).
- The email belongs to a pending account: the link is sent again.
- The email belongs to an account: a mail saying so, with the login and reset links.
- The CCCD or phone belongs to another account: a mail saying no account could be made with these
  details, and a notice to that account's holder.
A pending account older than the link's lifetime is removed when its CCCD, phone or email is
registered again, so a mistyped email does not hold a CCCD for ever; an account a superuser
deactivated is never pending and never removed. At most one mail per address per
PORTAL_RESET_MAIL_SECONDS, however many registrations name it."""

import datetime as dt

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from portal.exceptions import ApplicationError
from portal.models import User
from portal.validators import normalize_phone

SALT = "portal.registration"


def _fingerprint(user) -> str:
    """Changes when the account is activated (or its password changes): a used link stops working."""
    return salted_hmac(SALT, f"{user.pk}|{user.password}|{user.registration_pending}|{user.is_active}").hexdigest()[:20]


def _mail_once(address: str, subject: str, body: str) -> None:
    if cache.add(f"register-mail:{address}", 1, settings.PORTAL_RESET_MAIL_SECONDS):
        send_mail(subject, body, None, [address])


def _activation_mail(user, build_url, next_url: str) -> None:
    token = signing.dumps({"u": user.pk, "k": _fingerprint(user)}, salt=SALT)
    link = build_url(reverse("portal:register_activate", args=[token]))
    if next_url:
        link += "?" + urlencode({"next": next_url})
    _mail_once(
        user.email,
        _("Kích hoạt tài khoản Cổng Dịch vụ công"),
        _(
            "Chào %(name)s,\n\nMở liên kết sau trong %(h)s giờ để kích hoạt tài khoản của bạn:\n%(link)s\n\n"
            "Nếu bạn không đăng ký, hãy bỏ qua thư này: tài khoản sẽ không được tạo."
        )
        % {"name": user.full_name, "h": settings.PORTAL_ACTIVATION_HOURS, "link": link},
    )


@transaction.atomic
def registration_start(
    *, full_name: str, national_id: str, phone: str, email: str, password: str, build_url, next_url: str = ""
) -> None:
    """Take a well-formed registration; returns nothing, whatever exists (see the module's text).
    A password the validators refuse raises ApplicationError before anything is looked up."""
    email, phone, national_id = email.strip().lower(), normalize_phone(phone), national_id.strip()
    candidate = User(full_name=full_name.strip(), national_id=national_id, phone=phone, email=email)
    try:
        validate_password(password, candidate)
    except ValidationError as exc:
        raise ApplicationError(" ".join(exc.messages), field="password1", code="weak_password") from exc
    # Hash in every case, so the answer takes as long whether or not the details are taken.
    candidate.set_password(password)
    same = Q(email__iexact=email) | Q(national_id=national_id) | Q(phone=phone)
    expired = timezone.now() - dt.timedelta(hours=settings.PORTAL_ACTIVATION_HOURS)
    User.objects.filter(same, registration_pending=True, is_active=False, date_joined__lt=expired).delete()
    matches = list(User.objects.select_for_update().filter(same))
    by_email = next((u for u in matches if (u.email or "").lower() == email), None)
    login_url, reset_url = build_url(reverse("portal:login")), build_url(reverse("portal:password_reset"))
    if by_email is not None and by_email.registration_pending and len(matches) == 1:
        _activation_mail(by_email, build_url, next_url)  # registered again before activating
    elif by_email is not None:
        _mail_once(
            email,
            _("Bạn đã có tài khoản Cổng Dịch vụ công"),
            _(
                "Có người vừa đăng ký tài khoản với email này, nhưng email đã có tài khoản. Nếu là bạn, hãy đăng "
                "nhập: %(login)s, hoặc lấy lại mật khẩu: %(reset)s. Nếu không phải bạn, hãy bỏ qua thư này."
            )
            % {"login": login_url, "reset": reset_url},
        )
    elif matches:
        _mail_once(
            email,
            _("Chưa tạo được tài khoản Cổng Dịch vụ công"),
            _(
                "Chúng tôi không tạo được tài khoản với thông tin bạn vừa nhập. Nếu bạn đã có tài khoản, hãy đăng "
                "nhập: %(login)s, hoặc lấy lại mật khẩu: %(reset)s. Nếu chưa, hãy mang CCCD đến Bộ phận Một cửa "
                "gần nhất để được hỗ trợ."
            )
            % {"login": login_url, "reset": reset_url},
        )
        for holder in matches:
            if holder.email:
                _mail_once(
                    holder.email,
                    _("Có người đăng ký bằng thông tin của bạn"),
                    _(
                        "Có người vừa đăng ký tài khoản Cổng Dịch vụ công bằng số CCCD hoặc số điện thoại của tài "
                        "khoản bạn. Không có tài khoản mới nào được tạo. Nếu đó không phải bạn, hãy liên hệ tổng đài "
                        "hỗ trợ."
                    ),
                )
    else:
        candidate.is_active, candidate.registration_pending = False, True
        candidate.full_clean()
        candidate.save()
        _activation_mail(candidate, build_url, next_url)


@transaction.atomic
def registration_activate(*, token: str) -> User:
    """Activate the account the link names, once, within its lifetime."""
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.PORTAL_ACTIVATION_HOURS * 3600)
    except signing.BadSignature:
        data = {}
    user = User.objects.select_for_update().filter(pk=data.get("u")).first() if data else None
    if user is None or not user.registration_pending or data.get("k") != _fingerprint(user):
        raise ApplicationError(_("Liên kết kích hoạt không hợp lệ, đã hết hạn hoặc đã được dùng."), code="bad_link")
    user.is_active, user.registration_pending = True, False
    user.save(update_fields=["is_active", "registration_pending"])
    return user
