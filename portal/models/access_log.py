from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.constants import AccessReason


class PersonalDataAccess(models.Model):
    """A staff member read a citizen's personal data: who, whose, where, when, from which address.
    Written by portal.services.personal_data_access_record; read by superusers in the admin."""

    at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("cán bộ")
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người dân"),
    )
    reason = models.CharField(_("việc"), max_length=20, choices=AccessReason.choices)
    dossier_code = models.CharField(_("mã hồ sơ"), max_length=40, blank=True)
    client_ip = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)

    class Meta:
        verbose_name = _("lượt xem dữ liệu cá nhân")
        verbose_name_plural = _("nhật ký xem dữ liệu cá nhân")
        indexes = [models.Index(fields=["subject", "at"]), models.Index(fields=["actor", "at"])]

    def __str__(self):
        return f"{self.at:%d/%m/%Y %H:%M} {self.get_reason_display()} {self.dossier_code}".strip()
