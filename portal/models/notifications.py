from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationChannel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("Tin nhắn SMS")
    IN_APP = "in_app", _("Thông báo trên cổng")
    WEBHOOK = "webhook", _("Webhook của hệ thống đối tác")
    NATIONAL = "national", _("Đồng bộ Cổng Dịch vụ công quốc gia")


class NotificationState(models.TextChoices):
    PENDING = "pending", _("Chờ gửi")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Gửi lỗi")


class Notification(models.Model):
    """The outbox: created in the transaction of the event that causes it, delivered by a task
    enqueued after commit. The idempotency key makes the same message for the same event unique."""

    # Empty for the national portal's status sync, which is no person's.
    recipient = models.ForeignKey(
        "portal.User", on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    channel = models.CharField(_("kênh"), max_length=10, choices=NotificationChannel.choices)
    event = models.CharField(_("sự kiện"), max_length=60)
    subject = models.CharField(_("tiêu đề"), max_length=255)
    body = models.TextField(_("nội dung"))
    link = models.CharField(_("đường dẫn"), max_length=255, blank=True)
    idempotency_key = models.CharField(max_length=200, unique=True)
    state = models.CharField(
        _("trạng thái"), max_length=10, choices=NotificationState.choices, default=NotificationState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("thời điểm gửi"), null=True, blank=True)
    read_at = models.DateTimeField(_("thời điểm đọc"), null=True, blank=True)
    # While a worker delivers, others leave the notification alone until the lease runs out.
    lease_until = models.DateTimeField(null=True, blank=True)
    # A webhook delivery's subscription (its recipient is the partner's responsible officer).
    webhook = models.ForeignKey(
        "portal.WebhookSubscription", on_delete=models.CASCADE, null=True, blank=True, related_name="deliveries"
    )

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["recipient", "channel", "read_at"]),
            models.Index(fields=["state"]),
            # The inbox, newest first, a page at a time (the page and the API's keyset).
            models.Index(fields=["recipient", "channel", "-created_at", "-id"], name="notification_inbox_idx"),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} → {self.recipient}: {self.subject}"


class SmsMessage(models.Model):
    """What the default SMS backend "sends": recorded here for admins to read. A real gateway is a
    backend class of its own (settings.SMS_BACKEND)."""

    phone = models.CharField(_("số điện thoại"), max_length=20)
    text = models.TextField(_("nội dung"))
    notification = models.OneToOneField(
        Notification, on_delete=models.SET_NULL, null=True, blank=True, related_name="sms"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tin nhắn SMS")
        verbose_name_plural = _("tin nhắn SMS")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.phone}: {self.text[:40]}"


class NationalSyncRecord(models.Model):
    """A status change as the recording sync backend keeps it (portal.national_sync), for the admin:
    what would have been pushed to the national portal, in its shape."""

    payload = models.JSONField(_("nội dung"))
    recorded_at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("bản ghi đồng bộ quốc gia")
        verbose_name_plural = _("bản ghi đồng bộ quốc gia")

    def __str__(self):
        return f"{self.payload.get('MaHoSo', '')} → {self.payload.get('TrangThaiHoSo', '')}"
