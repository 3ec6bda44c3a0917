from django.db import models
from django.utils.translation import gettext_lazy as _


class ExtensionLetter(models.Model):
    """Form 04: the apology letter with a new appointment date; at most one per dossier."""

    dossier = models.OneToOneField("dossiers.Dossier", on_delete=models.CASCADE, related_name="extension")
    issued_by = models.ForeignKey("portal.User", on_delete=models.PROTECT, related_name="+")
    drafted_by = models.ForeignKey("portal.User", on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    previous_due_at = models.DateTimeField(_("ngày hẹn cũ"))
    new_due_at = models.DateTimeField(_("ngày hẹn mới"))
    reason = models.TextField(_("lý do"))
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("phiếu xin lỗi và hẹn lại")
        verbose_name_plural = _("phiếu xin lỗi và hẹn lại")

    def __str__(self):
        return f"{self.dossier} → {self.new_due_at:%d/%m/%Y}"


class InterAgencyTask(models.Model):
    """A part of a dossier sent to another agency (liên thông), with its own task and deadline."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="agency_tasks")
    agency = models.ForeignKey(
        "portal.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan phối hợp")
    )
    task = models.TextField(_("nội dung đề nghị"))
    deadline = models.DateField(_("hạn trả lời"))
    sent_by = models.ForeignKey("portal.User", on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField()
    reply = models.TextField(_("ý kiến trả lời"), blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("việc liên thông")
        verbose_name_plural = _("việc liên thông")
        ordering = ["sent_at"]
        indexes = [
            # A consulted agency's tasks in the order sent (the partner API's keyset walk); the open
            # ones by their own partial index, so a long history of replied tasks is never read.
            models.Index(fields=["agency", "sent_at", "id"], name="agency_task_idx"),
            models.Index(
                fields=["agency", "sent_at", "id"],
                name="agency_task_open_idx",
                condition=models.Q(replied_at__isnull=True),
            ),
        ]

    def __str__(self):
        return f"{self.dossier} → {self.agency}"
