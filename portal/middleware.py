"""Middleware of the portal: headers every response carries, and the session's idle and absolute
time limits."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

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
