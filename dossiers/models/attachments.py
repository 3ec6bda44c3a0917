import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


def attachment_path(instance, filename):
    """Never the uploader's name: a random name under the month, with the sniffed extension."""
    return f"dossiers/{instance.created_at:%Y/%m}/{uuid.uuid4().hex}.{instance.extension}"


class Attachment(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="attachments")
    component = models.ForeignKey(
        "procedures.DossierComponent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("thành phần hồ sơ"),
    )
    file = models.FileField(_("tệp"), upload_to=attachment_path, max_length=255)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"))
    sha256 = models.CharField(max_length=64)
    content_type = models.CharField(_("kiểu nội dung"), max_length=100)
    extension = models.CharField(max_length=10)
    uploaded_by = models.ForeignKey("portal.User", on_delete=models.PROTECT, related_name="+")
    reused_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("dùng lại từ")
    )
    # The final result the citizen receives (a leader's at approval, or the desk's scan of a paper
    # result); the specialist's draft stays with the staff.
    is_result = models.BooleanField(_("là kết quả"), default=False)
    is_result_draft = models.BooleanField(_("là dự thảo kết quả"), default=False, db_default=False)
    # A paper component scanned by the desk officer at a walk-in's intake ("số hóa"): a digitised
    # copy made by `uploaded_by`, not the citizen's own file.
    is_digitised = models.BooleanField(_("bản số hóa"), default=False, db_default=False)
    is_current = models.BooleanField(default=True)
    superseded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")
        ordering = ["component__order", "created_at"]
        indexes = [models.Index(fields=["dossier", "is_current"]), models.Index(fields=["uploaded_by", "-created_at"])]

    def __str__(self):
        return self.original_name

    @property
    def size_kb(self) -> int:
        return max(1, round(self.size / 1024))
