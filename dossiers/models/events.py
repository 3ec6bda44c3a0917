from django.db import models
from django.utils.translation import gettext_lazy as _

from dossiers.constants import Action, Status
from portal.labels import ChoiceLabels


class DossierEvent(ChoiceLabels, models.Model):
    """Append-only record of everything that happened to a dossier (one per transition)."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey("portal.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    action = models.CharField(_("hành động"), max_length=40, choices=Action.choices)
    from_status = models.CharField(max_length=24, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=24, choices=Status.choices, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    public = models.BooleanField(default=True, help_text=_("Hiện trên trang tra cứu công khai"))
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()
    # Tamper evidence: each event hashes its own content with the hash of the previous event of
    # the same dossier (python manage.py verify_audit checks every chain).
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("sự kiện hồ sơ")
        verbose_name_plural = _("sự kiện hồ sơ")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["dossier", "created_at"])]

    def __str__(self):
        return f"{self.dossier} · {self.action} · {self.created_at:%d/%m/%Y %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("DossierEvent is append-only")
        super().save(*args, **kwargs)

    def content(self) -> dict:
        """What the hash covers."""
        return {
            "dossier": self.dossier_id,
            "actor": self.actor_id,
            "action": self.action,
            "from_status": self.from_status,
            "to_status": self.to_status,
            "note": self.note,
            "public": self.public,
            "data": self.data,
            "created_at": self.created_at.isoformat(),
        }

    def compute_hash(self) -> str:
        import hashlib
        import json

        payload = json.dumps(self.content(), sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256((self.prev_hash + payload).encode()).hexdigest()
