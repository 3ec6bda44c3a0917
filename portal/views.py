from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from portal import health
from portal.exceptions import ApplicationError
from portal.forms import ProfileForm, RegistrationForm
from portal.selectors import inbox_for_user, memberships_for_user
from portal.services import notifications_mark_read, user_register, user_update_profile


def home(request):
    return render(request, "portal/home.html")


def _safe_next(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return ""


def register(request):
    if request.user.is_authenticated:
        return redirect(_safe_next(request) or "portal:home")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = user_register(
                full_name=data["full_name"],
                national_id=data["national_id"],
                phone=data["phone"],
                email=data["email"],
                password=data["password1"],
            )
        except ApplicationError as exc:
            form.add_error(exc.field, exc.message)
        else:
            login(request, user, backend="portal.auth_backends.IdentifierBackend")
            messages.success(request, _("Đăng ký thành công. Chào mừng %(name)s!") % {"name": user.full_name})
            return redirect(_safe_next(request) or "portal:home")
    return render(request, "registration/register.html", {"form": form, "next": _safe_next(request)})


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            user_update_profile(user=request.user, **{f: form.cleaned_data[f] for f in form.Meta.fields})
        except ApplicationError as exc:
            form.add_error(exc.field, exc.message)
        else:
            messages.success(request, _("Đã lưu thông tin cá nhân."))
            return redirect("portal:profile")
    return render(
        request,
        "portal/profile.html",
        {
            "form": form,
            "memberships": memberships_for_user(user=request.user),
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
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors or database here: the failure may be the database itself.
    from django.http import HttpResponseServerError
    from django.template import loader

    return HttpResponseServerError(loader.get_template("500.html").render({"request": None}))
