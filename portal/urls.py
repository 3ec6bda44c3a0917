from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, reverse_lazy
from django_ratelimit.decorators import ratelimit

from portal import two_factor_views, views
from portal.client_ip import rate
from portal.forms import LoginForm, PortalPasswordResetForm


def per_address(setting, group):
    """Refuse (429) a client address's POSTs past the setting's rate: spraying many accounts'
    passwords, creating accounts or sending reset mails from one address."""
    return ratelimit(key="ip", rate=rate(setting), method="POST", block=True, group=group)


handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"

portal_patterns = [
    path("", views.home, name="home"),
    path("accounts/register/", per_address("PORTAL_RATE_REGISTER", "register")(views.register), name="register"),
    path("accounts/register/sent/", views.register_sent, name="register_sent"),
    path("accounts/register/activate/<str:token>/", views.register_activate, name="register_activate"),
    path(
        "accounts/login/",
        per_address("PORTAL_RATE_LOGIN", "login")(
            views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True)
        ),
        name="login",
    ),
    path(
        "accounts/two-factor/",
        per_address("PORTAL_RATE_TWO_FACTOR", "two_factor")(two_factor_views.two_factor_page),
        name="two_factor",
    ),
    path(
        "accounts/two-factor/setup/",
        per_address("PORTAL_RATE_TWO_FACTOR", "two_factor")(two_factor_views.two_factor_setup),
        name="two_factor_setup",
    ),
    path(
        "accounts/two-factor/recovery-codes/",
        two_factor_views.recovery_codes_renew,
        name="two_factor_recovery_codes",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/profile/", views.profile, name="profile"),
    path("accounts/app-tokens/", views.app_tokens, name="app_tokens"),
    path("accounts/profile/confirm/<str:token>/", views.contact_confirm, name="contact_confirm"),
    path(
        "accounts/password/change/",
        auth_views.PasswordChangeView.as_view(success_url=reverse_lazy("portal:password_change_done")),
        name="password_change",
    ),
    path("accounts/password/change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path(
        "accounts/password/reset/",
        per_address("PORTAL_RATE_PASSWORD_RESET", "password_reset")(
            auth_views.PasswordResetView.as_view(
                form_class=PortalPasswordResetForm,
                success_url=reverse_lazy("portal:password_reset_done"),
                email_template_name="registration/password_reset_email.txt",
                subject_template_name="registration/password_reset_subject.txt",
            )
        ),
        name="password_reset",
    ),
    path("accounts/password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(success_url=reverse_lazy("portal:password_reset_complete")),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("notifications/", views.inbox, name="inbox"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
]

urlpatterns = [
    path("", include((portal_patterns, "portal"))),
    path("procedures/", include("procedures.urls")),
    path("", include("dossiers.urls")),
    path("payments/", include("dossiers.payment_urls")),
    path("api/", include("portal.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "Quản trị Cổng Dịch vụ công"
admin.site.site_title = "Quản trị Cổng Dịch vụ công"
