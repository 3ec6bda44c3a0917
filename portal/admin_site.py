"""The admin site: who may open it is decided by `portal.selectors.user_may_use_admin`, not by the
account's is_staff flag, and it has no login form of its own (people log in through the portal's
login, where staff give their second factor)."""

import functools

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse


class PortalAdminSite(admin.AdminSite):
    def has_permission(self, request):
        from portal.selectors import user_may_use_admin  # not at import: this module is an app config

        # The second factor too: TwoFactorMiddleware already sends an unverified session to the code
        # page; this holds even where the admin is mounted without that middleware.
        is_verified = getattr(request.user, "is_verified", None)
        return user_may_use_admin(user=request.user) and bool(is_verified and is_verified())

    def login(self, request, extra_context=None):
        if request.user.is_authenticated:
            raise PermissionDenied
        return redirect_to_login(request.GET.get("next") or reverse("admin:index"), reverse("portal:login"))


def admin_user_required(view):
    """For the catalog pages outside /admin/ (a version's preview): the admin's own rule, a login
    for anonymous visitors and a refusal for everyone else."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        from portal.selectors import user_may_use_admin

        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("portal:login"))
        if not user_may_use_admin(user=request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
