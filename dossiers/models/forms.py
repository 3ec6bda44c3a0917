import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.labels import ChoiceLabels


def issued_form_path(instance, filename):
    name = f"{instance.dossier_id}-{instance.number}-{instance.index}-v{instance.version}"
    return f"forms/{instance.issued_at:%Y/%m}/{name}-{uuid.uuid4().hex[:8]}.{filename.rsplit('.', 1)[-1]}"


class IssuedDocument(ChoiceLabels, models.Model):
    """A document as it was issued to a person: a form (Circular 01/2018: 01 receipt, 02 supplement
    request, 03 refusal, 04 apology, the stop notice) or the result (`number` "result"). The file is
    kept with its hash, issuer, agency and time, so a later change of the dossier does not rewrite
    what the citizen was given; a reissue is a new version with its reason. Where the agency has a
    signing key the file is signed (portal/signing.py) and carries a QR code to its public
    verification page (`public_id`)."""

    RESULT = "result"

    class Signature(models.TextChoices):
        UNSIGNED = "unsigned", _("Không ký số")
        PENDING = "pending", _("Đang ký số")
        SIGNED = "signed", _("Đã ký số")
        FAILED = "failed", _("Ký số không thành công")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="issued_forms")
    agency = models.ForeignKey("portal.Agency", on_delete=models.PROTECT, related_name="+", null=True)
    number = models.CharField(_("mẫu"), max_length=8)
    index = models.PositiveSmallIntegerField(default=1)  # which supplement request, for Form 02
    version = models.PositiveSmallIntegerField(default=1)
    reason = models.CharField(_("lý do phát hành lại"), max_length=500, blank=True)
    file = models.FileField(upload_to=issued_form_path, max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey("portal.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # The result's file as the citizen downloads it (signed, it is repointed to the signed file).
    attachment = models.ForeignKey(
        "dossiers.Attachment", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    signature = models.CharField(max_length=10, choices=Signature.choices, default=Signature.UNSIGNED)
    signer = models.CharField(_("người ký"), max_length=255, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("văn bản đã phát hành")
        verbose_name_plural = _("văn bản đã phát hành")
        constraints = [
            models.UniqueConstraint(fields=["dossier", "number", "index", "version"], name="issued_form_unique")
        ]
        # The 5-minute requeue of lost signing tasks reads only the few documents being signed, not the
        # province's millions of issued ones.
        indexes = [
            models.Index(
                fields=["issued_at"], condition=models.Q(signature="pending"), name="issued_document_pending_idx"
            )
        ]

    def __str__(self):
        return f"{self.dossier_id} · {self.number} · v{self.version}"

    @property
    def is_result(self) -> bool:
        return self.number == self.RESULT
