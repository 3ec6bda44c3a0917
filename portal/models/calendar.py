from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarOverride(models.Model):
    """An admin's correction of the public-holiday calendar: a day off made a working day (a swapped
    Saturday) or a working day made a day off. Without an agency it applies everywhere; with one it
    applies to that agency and everything below it, and the nearest agency's row wins."""

    date = models.DateField(_("ngày"))
    is_working_day = models.BooleanField(_("là ngày làm việc"))
    note = models.CharField(_("ghi chú"), max_length=255)
    agency = models.ForeignKey(
        "portal.Agency",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="calendar_overrides",
        verbose_name=_("cơ quan"),
        help_text=_("Để trống để áp dụng cho toàn tỉnh."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("điều chỉnh lịch làm việc")
        verbose_name_plural = _("điều chỉnh lịch làm việc")
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(
                fields=["date", "agency"],
                name="override_unique_per_agency",
                violation_error_message=_("Ngày này đã có điều chỉnh cho cơ quan này."),
            ),
            models.UniqueConstraint(
                fields=["date"],
                condition=models.Q(agency__isnull=True),
                name="override_unique_global",
                violation_error_message=_("Ngày này đã có điều chỉnh chung."),
            ),
        ]

    def __str__(self):
        kind = _("làm việc") if self.is_working_day else _("nghỉ")
        return f"{self.date:%d/%m/%Y} · {kind} · {self.note}"
