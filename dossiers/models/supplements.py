from django.db import models
from django.utils.translation import gettext_lazy as _

from dossiers.constants import Status


class SupplementRequest(models.Model):
    """Form 02: every missing item at once. Items are {"kind": "component"|"field", "ref": id or key,
    "label": ..., "reason": ...}."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="supplements")
    requested_by = models.ForeignKey("portal.User", on_delete=models.PROTECT, related_name="+")
    items = models.JSONField(_("nội dung cần bổ sung"))
    note = models.TextField(_("ghi chú"), blank=True)
    return_status = models.CharField(max_length=24, choices=Status.choices)
    created_at = models.DateTimeField()
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("yêu cầu bổ sung")
        verbose_name_plural = _("yêu cầu bổ sung")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.dossier} · {self.created_at:%d/%m/%Y}"

    @property
    def is_open(self) -> bool:
        return self.responded_at is None

    def component_ids(self) -> set[int]:
        return {int(i["ref"]) for i in self.items if i["kind"] == "component"}

    def field_keys(self) -> set[str]:
        return {i["ref"] for i in self.items if i["kind"] == "field"}
