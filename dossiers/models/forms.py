from django.db import models
from django.utils.translation import gettext_lazy as _


def issued_form_path(instance, filename):
    name = f"{instance.dossier_id}-{instance.number}-{instance.index}-v{instance.version}.pdf"
    return f"forms/{instance.issued_at:%Y/%m}/{name}"


class IssuedForm(models.Model):
    """A form as it was issued (Circular 01/2018: 01 receipt, 02 supplement request, 03 refusal,
    04 apology, the stop notice): the PDF kept with its hash, time and issuer, so a later change of
    the dossier does not rewrite what the citizen was given. A new issue is a new version."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="issued_forms")
    number = models.CharField(_("mẫu"), max_length=8)
    index = models.PositiveSmallIntegerField(default=1)  # which supplement request, for Form 02
    version = models.PositiveSmallIntegerField(default=1)
    file = models.FileField(upload_to=issued_form_path, max_length=255)
    sha256 = models.CharField(max_length=64)
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey("portal.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("biểu mẫu đã phát hành")
        verbose_name_plural = _("biểu mẫu đã phát hành")
        constraints = [
            models.UniqueConstraint(fields=["dossier", "number", "index", "version"], name="issued_form_unique")
        ]

    def __str__(self):
        return f"{self.dossier_id} · {self.number} · v{self.version}"
