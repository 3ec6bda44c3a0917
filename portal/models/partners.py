import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# What a partner system may be allowed (OAuth2 scopes), named in OAUTH2_PROVIDER["SCOPES"] too.
SCOPES = {
    "catalog:read": _("Đọc danh mục thủ tục"),
    "dossiers:read": _("Đọc hồ sơ của các cơ quan được giao"),
    "status:sync": _("Đồng bộ trạng thái hồ sơ"),
    "exchange": _("Trao đổi hồ sơ liên thông"),
}


class PartnerAccess(models.Model):
    """What one OAuth2 client (a partner system: the national portal, another agency's software) may
    do: its scopes, the agencies whose dossiers it reaches, its request rate, and the officer
    answerable for it (named in the personal-data access log for what it reads). Revoking it refuses
    its tokens at once and issues no new one."""

    application = models.OneToOneField(
        settings.OAUTH2_PROVIDER_APPLICATION_MODEL,
        on_delete=models.CASCADE,
        related_name="partner",
        verbose_name=_("ứng dụng"),
    )
    scopes = models.JSONField(_("quyền (scope)"), default=list, help_text=_("Một hoặc nhiều: ") + ", ".join(SCOPES))
    agencies = models.ManyToManyField(
        "portal.Agency",
        related_name="+",
        blank=True,
        verbose_name=_("cơ quan"),
        help_text=_("Hồ sơ của các cơ quan này (không chọn: chỉ đọc danh mục)."),
    )
    rate = models.CharField(
        _("giới hạn yêu cầu"), max_length=20, default="600/min", help_text=_("Ví dụ 600/min, 20/s, 10000/day.")
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("cán bộ phụ trách")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("hệ thống đối tác")
        verbose_name_plural = _("hệ thống đối tác")

    def __str__(self):
        return str(self.application.name)

    def allows(self, scope: str) -> bool:
        return self.revoked_at is None and scope in self.scopes


# What a partner may subscribe to (portal.webhooks sends them).
WEBHOOK_EVENTS = {
    "submitted": _("Hồ sơ được nộp"),
    "received": _("Hồ sơ được tiếp nhận"),
    "status_changed": _("Trạng thái hồ sơ thay đổi"),
    "result_ready": _("Có kết quả"),
    "returned": _("Đã trả kết quả"),
}


def new_webhook_secret() -> str:
    return secrets.token_urlsafe(32)


class WebhookSubscription(models.Model):
    """A partner system's address for events of its agencies' dossiers. Each delivery is a row of the
    outbox (portal.Notification, channel webhook), signed with this secret."""

    partner = models.ForeignKey(PartnerAccess, on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(_("địa chỉ nhận"), max_length=500)
    events = models.JSONField(_("sự kiện"), default=list, help_text=_("Một hoặc nhiều: ") + ", ".join(WEBHOOK_EVENTS))
    secret = models.CharField(_("khóa ký HMAC"), max_length=100, default=new_webhook_secret, editable=False)
    is_active = models.BooleanField(_("đang nhận"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("đăng ký webhook")
        verbose_name_plural = _("đăng ký webhook")

    def __str__(self):
        return self.url
