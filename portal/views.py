from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from portal import health, two_factor
from portal.contact_change import FIELDS as CONTACT_FIELDS
from portal.contact_change import contact_change_confirm, contact_change_request
from portal.exceptions import ApplicationError
from portal.forms import ProfileForm, RegistrationForm
from portal.links import landing_url, safe_next
from portal.registration import registration_activate, registration_start
from portal.selectors import inbox_for_user, memberships_for_user, personal_tokens_of
from portal.services import (
    notifications_mark_read,
    personal_token_create,
    personal_token_revoke,
    user_update_profile,
)


class LoginView(auth_views.LoginView):
    """The password step; without a `next` page staff land on their queue (landing_url)."""

    def get_default_redirect_url(self):
        return landing_url(self.request.user)


def home(request):
    return render(request, "portal/home.html")


def register(request):
    if request.user.is_authenticated:
        return redirect(safe_next(request) or "portal:home")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            registration_start(
                full_name=data["full_name"],
                national_id=data["national_id"],
                phone=data["phone"],
                email=data["email"],
                password=data["password1"],
                build_url=request.build_absolute_uri,
                next_url=safe_next(request),
            )
        except ApplicationError as exc:
            form.add_error(exc.field, exc.message)
        else:
            request.session["portal_registered_email"] = data["email"]
            return redirect("portal:register_sent")
    return render(request, "registration/register.html", {"form": form, "next": safe_next(request)})


def register_sent(request):
    """The one answer to every well-formed registration."""
    return render(
        request,
        "registration/register_sent.html",
        {
            "email": request.session.get("portal_registered_email", ""),
            "hours": settings.PORTAL_ACTIVATION_HOURS,
            "minutes": max(1, settings.PORTAL_RESET_MAIL_SECONDS // 60),
            "page_title": _("Kiểm tra email của bạn"),
        },
    )


def register_activate(request, token):
    """The emailed link: a page with one button (mail scanners open links), then the account is
    active and its owner logged in."""
    if request.method == "POST":
        try:
            user = registration_activate(token=token)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect("portal:register")
        login(request, user, backend="portal.auth_backends.IdentifierBackend")
        messages.success(request, _("Đã kích hoạt tài khoản. Chào mừng %(name)s!") % {"name": user.full_name})
        return redirect(safe_next(request) or "portal:home")
    return render(
        request,
        "registration/register_activate.html",
        {"next": safe_next(request), "page_title": _("Kích hoạt tài khoản")},
    )


@login_required
def profile(request):
    user = request.user
    before = {field: getattr(user, field) for field in CONTACT_FIELDS}
    form = ProfileForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in form.Meta.fields}
        changed = [f for f in CONTACT_FIELDS if (data[f] or None) != (before[f] or None)]
        data.update(before)  # email and phone change only through the confirmation link
        for field, value in before.items():  # the form wrote the new ones onto the instance
            setattr(user, field, value)
        try:
            with transaction.atomic():
                for field in changed:
                    contact_change_request(
                        user=user,
                        field=field,
                        value=form.cleaned_data[field],
                        password=form.cleaned_data["current_password"],
                        build_url=request.build_absolute_uri,
                    )
                user_update_profile(user=user, **data)
        except ApplicationError as exc:
            for field, value in before.items():
                setattr(user, field, value)
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Đã lưu thông tin cá nhân."))
            for field in changed:
                messages.info(
                    request,
                    _(
                        "Đã gửi liên kết xác nhận tới %(what)s mới. %(What)s cũ vẫn được dùng cho đến khi bạn mở liên "
                        "kết đó; chúng tôi cũng đã báo cho địa chỉ cũ."
                    )
                    % {
                        "what": _("email") if field == "email" else _("số điện thoại"),
                        "What": _("Email") if field == "email" else _("Số điện thoại"),
                    },
                )
            return redirect("portal:profile")
    return render(
        request,
        "portal/profile.html",
        {
            "form": form,
            "memberships": memberships_for_user(user=request.user),
            "recovery_codes_left": (
                two_factor.recovery_codes_left(user=user) if two_factor.two_factor_required(user=user) else None
            ),
        },
    )


@login_required
def contact_confirm(request, token):
    """The link sent to a new email or phone: a page with one button (no change on a mere GET)."""
    if request.method == "POST":
        try:
            field = contact_change_confirm(user=request.user, token=token)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Đã đổi email của tài khoản.") if field == "email" else _("Đã đổi số điện thoại của tài khoản."),
            )
        return redirect("portal:profile")
    return render(
        request, "portal/contact_confirm.html", {"token": token, "page_title": _("Xác nhận thông tin liên lạc mới")}
    )


@never_cache
@login_required
def app_tokens(request):
    """The citizen's tokens for a mobile app: make one (shown once, on this answer only), see the live
    ones, revoke one."""
    created = None
    if request.method == "POST":
        if "revoke" in request.POST:
            if personal_token_revoke(user=request.user, token_key=request.POST["revoke"][:25]):
                messages.success(request, _("Đã thu hồi khóa. Ứng dụng dùng khóa đó sẽ phải đăng nhập lại."))
            else:
                messages.error(request, _("Không tìm thấy khóa này (có thể đã thu hồi)."))
            return redirect("portal:app_tokens")
        try:
            _row, created = personal_token_create(user=request.user)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect("portal:app_tokens")
    return render(
        request,
        "portal/app_tokens.html",
        {
            "tokens": personal_tokens_of(user=request.user),
            "created": created,
            "staff": bool(memberships_for_user(user=request.user)),
        },
    )


@login_required
def inbox(request):
    from django.core.paginator import Paginator

    page = Paginator(inbox_for_user(user=request.user), 20).get_page(request.GET.get("page"))
    unread = [n.pk for n in page.object_list if n.read_at is None]
    response = render(request, "portal/inbox.html", {"page": page, "unread": set(unread)})
    notifications_mark_read(user=request.user, ids=unread)  # shown once as new, then read
    return response


@never_cache
@require_GET
def healthz(request):
    """Liveness probe: the process answers (nothing else is asked, so it stays fast)."""
    return JsonResponse(health.liveness())


@never_cache
@require_GET
def readyz(request):
    """Readiness probe: 503 while the database, the broker or every worker is down. The public answer
    is only ok or not; each part's report needs the health token or a superuser's login. The checks
    run at most once per HEALTHZ_CACHE_SECONDS in each process, so callers cannot tie up the site."""
    report = health.readiness_kept()
    status = 200 if report["ok"] else 503
    if not health.may_see_details(request):
        return JsonResponse({"ok": report["ok"]}, status=status)
    return JsonResponse(report, status=status, json_dumps_params={"ensure_ascii": False})


def rate_limited(request, exception=None):
    """django-ratelimit's refusal (RATELIMIT_VIEW): 429 with a way back, nothing else lost."""
    return render(request, "429.html", status=429)


def page_not_found(request, exception=None):
    if request.path.startswith("/api/"):  # an address no endpoint has: the API's JSON error shape
        return JsonResponse({"detail": str(_("Not found.")), "code": "not_found"}, status=404)
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors or database here: the failure may be the database itself.
    from django.http import HttpResponseServerError
    from django.template import loader

    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(_("A server error occurred.")), "code": "error"}, status=500)
    return HttpResponseServerError(loader.get_template("500.html").render({"request": None}))
