from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken
from oauth2_provider.models import AccessToken, Application, Grant, IDToken, RefreshToken

from portal.models import (
    Agency,
    CalendarOverride,
    CommunityTeam,
    Desk,
    NationalSyncRecord,
    Notification,
    NotificationState,
    PartnerAccess,
    PersonalDataAccess,
    SmsMessage,
    StaffMembership,
    User,
    WebhookSubscription,
    WorkerHeartbeat,
)
from portal.models.partners import SCOPES as PARTNER_SCOPES
from portal.models.partners import WEBHOOK_EVENTS
from portal.notifications import notification_resend
from portal.selectors import user_is_catalog_admin, user_may_use_admin
from portal.services import calendar_override_delete, calendar_override_set, partner_issue, partner_revoke


class SuperuserOnlyMixin:
    """People, their roles and what was sent to them: superusers only. A catalog admin never sees a
    citizen's identity data."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request, *args):
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


class SuperuserEditsMixin(SuperuserOnlyMixin):
    """Public reference data (agencies, desks): superusers edit, catalog admins read."""

    def has_module_permission(self, request):
        return user_may_use_admin(user=request.user)

    def has_view_permission(self, request, obj=None):
        return user_may_use_admin(user=request.user)


class CatalogAdminEditsMixin:
    """The working-day calendar: kept by catalog admins (and superusers)."""

    def has_module_permission(self, request):
        return user_may_use_admin(user=request.user)

    def has_view_permission(self, request, obj=None):
        return user_may_use_admin(user=request.user)

    def has_add_permission(self, request, *args):
        return user_may_use_admin(user=request.user) and (
            request.user.is_superuser or user_is_catalog_admin(user=request.user)
        )

    def has_change_permission(self, request, obj=None):
        return self.has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self.has_add_permission(request)


class MembershipInline(admin.TabularInline):
    model = StaffMembership
    extra = 0
    autocomplete_fields = ["agency", "desk"]


@admin.register(User)
class UserAdmin(SuperuserOnlyMixin, DjangoUserAdmin):
    ordering = ["full_name"]
    list_display = ["full_name", "email", "national_id", "phone", "is_superuser", "is_active"]
    list_filter = ["is_superuser", "is_active", "memberships__role"]
    search_fields = ["full_name", "email", "national_id", "phone"]
    inlines = [MembershipInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            _("Thông tin cá nhân"),
            {"fields": ("full_name", "national_id", "phone", "address", "date_of_birth", "preferred_language")},
        ),
        (_("Quyền"), {"fields": ("is_active", "is_superuser", "groups", "user_permissions")}),
        (_("Thời điểm"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {"classes": ("wide",), "fields": ("email", "full_name", "national_id", "phone", "password1", "password2")},
        ),
    )


class DeskInline(admin.TabularInline):
    model = Desk
    extra = 0


@admin.register(Agency)
class AgencyAdmin(SuperuserEditsMixin, admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent", "is_active"]
    list_filter = ["level", "is_active"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]
    inlines = [DeskInline]
    list_select_related = ["parent"]
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "code",
                    "name",
                    "level",
                    "parent",
                    "address",
                    "phone",
                    "morning_start",
                    "morning_end",
                    "afternoon_start",
                    "afternoon_end",
                    "cutoff_time",
                    "is_active",
                )
            },
        ),
        (_("Tài khoản thu phí, lệ phí"), {"fields": ("bank_bin", "bank_account", "bank_account_name")}),
    )


@admin.register(Desk)
class DeskAdmin(SuperuserEditsMixin, admin.ModelAdmin):
    list_display = ["code", "name", "agency", "opens_saturday_morning", "is_active"]
    list_filter = ["is_active", "agency__level"]
    search_fields = ["code", "name", "agency__name"]
    autocomplete_fields = ["agency"]
    list_select_related = ["agency"]


@admin.register(CommunityTeam)
class CommunityTeamAdmin(SuperuserOnlyMixin, admin.ModelAdmin):
    list_display = ["name", "agency", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "agency__name", "agency__code"]
    autocomplete_fields = ["agency", "members"]
    list_select_related = ["agency"]


@admin.register(StaffMembership)
class StaffMembershipAdmin(SuperuserOnlyMixin, admin.ModelAdmin):
    list_display = ["user", "role", "agency", "desk"]
    list_filter = ["role"]
    search_fields = ["user__full_name", "user__email", "agency__name"]
    autocomplete_fields = ["user", "agency", "desk"]
    list_select_related = ["user", "agency", "desk"]


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(CatalogAdminEditsMixin, admin.ModelAdmin):
    list_display = ["date", "is_working_day", "note", "agency"]
    list_filter = ["is_working_day", "agency"]
    date_hierarchy = "date"
    autocomplete_fields = ["agency"]

    def save_model(self, request, obj, form, change):
        if change:
            # The date or scope may have changed: the old day is recomputed too.
            calendar_override_delete(override=CalendarOverride.objects.get(pk=obj.pk))
        saved = calendar_override_set(
            date=obj.date, is_working_day=obj.is_working_day, note=obj.note, agency=obj.agency
        )
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        calendar_override_delete(override=obj)

    def delete_queryset(self, request, queryset):
        for override in queryset:
            calendar_override_delete(override=override)


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(SuperuserOnlyMixin, admin.ModelAdmin):
    list_display = ["name", "seen_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(SuperuserOnlyMixin, admin.ModelAdmin):
    """Failed deliveries are visible here with their error; "resend" puts them back in the outbox."""

    list_display = ["created_at", "recipient", "channel", "event", "state", "attempts", "sent_at", "last_error"]
    list_filter = ["state", "channel", "event"]
    search_fields = ["recipient__full_name", "recipient__email", "subject", "idempotency_key"]
    list_select_related = ["recipient"]
    readonly_fields = [f.name for f in Notification._meta.fields]
    actions = ["resend"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Gửi lại thông báo đã chọn"))
    def resend(self, request, queryset):
        count = 0
        for notification in queryset.exclude(state=NotificationState.SENT):
            notification_resend(notification=notification)
            count += 1
        self.message_user(request, _("Đã đưa %(n)s thông báo vào hàng gửi lại.") % {"n": count})


@admin.register(SmsMessage)
class SmsMessageAdmin(SuperuserOnlyMixin, admin.ModelAdmin):
    list_display = ["created_at", "phone", "text"]
    search_fields = ["phone", "text"]
    readonly_fields = ["phone", "text", "notification", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class SuperuserReadOnlyMixin(SuperuserOnlyMixin):
    """Records the portal writes itself (the access log, payments): superusers read them, nobody edits."""

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(SuperuserReadOnlyMixin, admin.ModelAdmin):
    """Who among the staff read which citizen's data, and when: read-only, superusers only."""

    list_display = ["at", "actor", "reason", "subject", "dossier_code", "client_ip"]
    list_filter = ["reason"]
    search_fields = ["actor__email", "actor__full_name", "subject__national_id", "subject__full_name", "dossier_code"]
    list_select_related = ["actor", "subject"]
    date_hierarchy = "at"
    readonly_fields = [f.name for f in PersonalDataAccess._meta.fields]


# Two-factor devices (django-otp): superusers only, to remove a lost phone's device or recovery codes
# so the staff member sets up anew at the next login. Nobody reads a device's secret or QR code here
# (OTP_ADMIN_HIDE_SENSITIVE_DATA).
for _model, _admin_class in ((TOTPDevice, TOTPDeviceAdmin), (StaticDevice, StaticDeviceAdmin)):
    admin.site.unregister(_model)
    admin.site.register(_model, type(_admin_class.__name__, (SuperuserOnlyMixin, _admin_class), {}))


# Partner systems are issued and revoked here only (superusers): django-oauth-toolkit's own admin
# pages would let an application be made without its PartnerAccess, or show token rows.
# App tokens likewise: their owners make and revoke them on their own page.
for _model in (Application, AccessToken, RefreshToken, Grant, IDToken, AuthToken):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


class PartnerAccessForm(forms.ModelForm):
    """A client with `exchange` replies to its agencies' tasks as its responsible officer, who must
    therefore be staff of each of them."""

    def clean(self):
        data = super().clean()
        scopes = data.get("scopes", self.instance.scopes if self.instance.pk else [])
        officer, agencies = data.get("responsible"), data.get("agencies")
        if "exchange" in (scopes or []) and officer is not None and agencies is not None:
            from portal.selectors import staff_memberships_of

            theirs = {m.agency_id for m in staff_memberships_of(user=officer)}
            missing = [a.name for a in agencies if a.pk not in theirs]
            if missing:
                self.add_error(
                    "responsible",
                    _("Với quyền exchange, cán bộ phụ trách phải là cán bộ của: %(a)s.") % {"a": ", ".join(missing)},
                )
        return data


class PartnerIssueForm(PartnerAccessForm):
    name = forms.CharField(label=_("Tên hệ thống"), max_length=255)
    scopes = forms.MultipleChoiceField(
        label=_("Quyền (scope)"), choices=list(PARTNER_SCOPES.items()), widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = PartnerAccess
        fields = ["name", "scopes", "agencies", "rate", "responsible"]

    def clean_rate(self):
        from rest_framework.throttling import SimpleRateThrottle

        rate = self.cleaned_data["rate"].strip()
        try:
            SimpleRateThrottle.parse_rate(None, rate)
        except (ValueError, KeyError, IndexError) as error:
            raise forms.ValidationError(_("Viết như 600/min, 20/s hoặc 10000/day.")) from error
        return rate


@admin.register(PartnerAccess)
class PartnerAccessAdmin(SuperuserOnlyMixin, admin.ModelAdmin):
    """Issue a client (its secret is shown once, on the next page), see what each may do, revoke one."""

    list_display = ["application", "client_id", "scope_list", "rate", "responsible", "created_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["application__name", "application__client_id"]
    list_select_related = ["application", "responsible"]
    filter_horizontal = ["agencies"]
    actions = ["revoke"]

    form = PartnerAccessForm

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = PartnerIssueForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["name", "scopes", "agencies", "rate", "responsible"]
        return ["application", "client_id", "scopes", "agencies", "rate", "responsible", "created_at", "revoked_at"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["application", "client_id", "scopes", "created_at", "revoked_at"]

    @admin.display(description=_("Mã ứng dụng (client_id)"))
    def client_id(self, access):
        return access.application.client_id

    @admin.display(description=_("Quyền"))
    def scope_list(self, access):
        return ", ".join(access.scopes)

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        data = form.cleaned_data
        access, client_id, secret = partner_issue(
            name=data["name"], scopes=data["scopes"], agencies=[], rate=data["rate"], responsible=data["responsible"]
        )
        obj.pk, obj.application_id, obj.created_at = access.pk, access.application_id, access.created_at
        obj._state.adding = False
        self.message_user(
            request,
            _(
                "Đã cấp cho “%(name)s”: client_id %(id)s, client_secret %(secret)s. Hãy chép ngay: mật khẩu này "
                "chỉ hiện một lần."
            )
            % {"name": data["name"], "id": client_id, "secret": secret},
            messages.WARNING,
        )

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: the access log keeps naming the client's officer

    @admin.action(description=_("Thu hồi các hệ thống đã chọn"))
    def revoke(self, request, queryset):
        count = 0
        for access in queryset.filter(revoked_at__isnull=True):
            partner_revoke(access=access)
            count += 1
        self.message_user(request, _("Đã thu hồi %(n)s hệ thống; khóa truy cập của chúng hết hiệu lực.") % {"n": count})


class WebhookForm(forms.ModelForm):
    events = forms.MultipleChoiceField(
        label=_("Sự kiện"), choices=list(WEBHOOK_EVENTS.items()), widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = WebhookSubscription
        fields = ["partner", "url", "events", "is_active"]

    def clean_url(self):
        from portal.webhooks import address_refused

        url = self.cleaned_data["url"]
        refused = address_refused(url)
        if refused:
            raise forms.ValidationError(refused)
        return url


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(SuperuserOnlyMixin, admin.ModelAdmin):
    """A partner's webhook address and events. The signing secret is made here and shown to
    superusers; the deliveries are in "Thông báo" (channel webhook), where "resend" replays one."""

    form = WebhookForm
    list_display = ["url", "partner", "event_list", "is_active", "created_at"]
    list_filter = ["is_active"]
    list_select_related = ["partner__application"]
    readonly_fields = ["secret", "created_at"]

    @admin.display(description=_("Sự kiện"))
    def event_list(self, subscription):
        return ", ".join(subscription.events)


@admin.register(NationalSyncRecord)
class NationalSyncRecordAdmin(SuperuserOnlyMixin, admin.ModelAdmin):
    """What the recording sync backend kept: each status change as it would reach the national portal."""

    list_display = ["recorded_at", "__str__"]
    readonly_fields = ["payload", "recorded_at"]
    date_hierarchy = "recorded_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
