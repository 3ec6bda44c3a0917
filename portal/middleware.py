"""Middleware of the portal: headers every response carries, and the session's idle and absolute
time limits."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_otp.middleware import OTPMiddleware
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.prepared import Prepared
from portal.selectors import user_is_staff_member

SEEN_EVERY_SECONDS = 60  # the session is written at most this often to note that its user is active


def stamp_session(sender, request, user, **kwargs):
    """At login (the user_logged_in signal): the session's start and last activity, written with the
    login itself, so the next page does not write the session again."""
    now = int(time.time())
    request.session["portal_started"] = request.session["portal_seen"] = now


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response, and `Cache-Control: private, no-store` on every response
    to a logged-in user: their pages and files carry personal data, and no shared cache or browser
    history may keep them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PORTAL_PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
            response.headers.pop("Expires", None)
        return response


class SessionLimitsMiddleware:
    """Log out a session idle longer than PORTAL_IDLE_STAFF_SECONDS (staff) or
    PORTAL_IDLE_CITIZEN_SECONDS (citizens), or older than PORTAL_SESSION_MAX_SECONDS however
    active, and send the person to the login page with a message and the page they asked for."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            session, now = request.session, int(time.time())
            started, seen = session.get("portal_started"), session.get("portal_seen")
            if started is None:
                session["portal_started"] = started = now
            idle = (
                settings.PORTAL_IDLE_STAFF_SECONDS
                if user_is_staff_member(user=user)
                else settings.PORTAL_IDLE_CITIZEN_SECONDS
            )
            if (seen is not None and now - seen > idle) or now - started > settings.PORTAL_SESSION_MAX_SECONDS:
                logout(request)
                messages.info(
                    request, _("Phiên làm việc đã hết hạn để bảo vệ tài khoản của bạn. Vui lòng đăng nhập lại.")
                )
                return redirect_to_login(request.get_full_path() if request.method == "GET" else "/")
            if seen is None or now - seen >= SEEN_EVERY_SECONDS:
                session["portal_seen"] = now
        return self.get_response(request)


# The session's second-factor device, by kind (portal/prepared.py).
_DEVICES = {
    model.model_label(): Prepared(lambda pk, model=model: model.objects.filter(id=pk))
    for model in (TOTPDevice, StaticDevice)
}


class SecondFactorMiddleware(OTPMiddleware):
    """django-otp's middleware (request.user.is_verified() and otp_device), reading the session's
    device by a query compiled once per process: it runs on every staff page."""

    def _device_from_persistent_id(self, persistent_id: str):
        label, _sep, device_id = self._normalize_persistent_id(persistent_id).rpartition("/")
        prepared = _DEVICES.get(label)
        if prepared is None:
            return super()._device_from_persistent_id(persistent_id)
        try:
            found = prepared(int(device_id))
        except ValueError:
            return None
        return found[0] if found else None


def _is_api(view_func) -> bool:
    """A view of the API (a DRF view: its endpoints and its schema), which answers in JSON."""
    from rest_framework.views import APIView

    return isinstance(getattr(view_func, "cls", None), type) and issubclass(view_func.cls, APIView)


# What a staff member reaches between the password and the second factor.
BEFORE_SECOND_FACTOR = {
    "portal:two_factor",
    "portal:two_factor_setup",
    "portal:logout",
    "portal:healthz",
    "portal:readyz",
    "set_language",
}


class TwoFactorMiddleware:
    """Staff and superusers who gave their password but not yet their second factor reach only the
    code page (or the device setup on a first login), logout and the language switch: every other
    page, file, action and the admin sends them there, with the page they asked for kept."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from portal import two_factor

        user = request.user
        if not user.is_authenticated or user.is_verified() or not two_factor.two_factor_required(user=user):
            return None
        if request.resolver_match.view_name in BEFORE_SECOND_FACTOR:
            return None
        step = "portal:two_factor" if two_factor.has_device(user=user) else "portal:two_factor_setup"
        target = reverse(step)
        if _is_api(view_func):  # an API client gets the refusal, not a page to go to
            message = _("Cần xác thực hai lớp: nhập mã xác thực trên cổng trước khi dùng API.")
            return JsonResponse({"detail": str(message), "code": "second_factor_required"}, status=403)
        if request.method == "GET" and not getattr(request, "htmx", False):
            target += "?" + urlencode({"next": request.get_full_path()})
        if getattr(request, "htmx", False):
            from django_htmx.http import HttpResponseClientRedirect

            return HttpResponseClientRedirect(target)
        return redirect(target)


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Vietnamese unless the person chose English with the language switch (its cookie): a browser
    set to English does not decide for a Vietnamese public service. An API client (under /api/)
    asks for its language with Accept-Language, as API clients do."""

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen not in dict(settings.LANGUAGES) and request.path.startswith("/api/"):
            chosen = translation.get_language_from_request(request)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
