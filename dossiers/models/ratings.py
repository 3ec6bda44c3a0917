from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from dossiers.constants import Satisfaction

SCORE = [(1, _("Rất kém")), (2, _("Kém")), (3, _("Bình thường")), (4, _("Tốt")), (5, _("Rất tốt"))]


class Rating(models.Model):
    """A citizen's rating of a finished dossier on the criteria of Decision 766 (once per dossier)."""

    dossier = models.OneToOneField("dossiers.Dossier", on_delete=models.CASCADE, related_name="rating")
    rated_by = models.ForeignKey("portal.User", on_delete=models.PROTECT, related_name="+")
    timeliness = models.PositiveSmallIntegerField(_("thời gian giải quyết so với quy định"), choices=SCORE)
    contacts = models.PositiveSmallIntegerField(_("số lần phải liên hệ, đi lại"), choices=SCORE)
    information_accuracy = models.PositiveSmallIntegerField(_("độ chính xác của thông tin công khai"), choices=SCORE)
    staff_attitude = models.PositiveSmallIntegerField(_("thái độ của cán bộ"), choices=SCORE)
    cost = models.PositiveSmallIntegerField(_("chi phí (kể cả chi phí không chính thức)"), choices=SCORE)
    # The sixth criterion (Decree 61 Art. 31): how a complaint or petition was handled, scored only by
    # those who made one; whether one was made also counts in the satisfaction indicator.
    complaint_made = models.BooleanField(_("có phản ánh, kiến nghị"), default=False, db_default=False)
    complaint_handling = models.PositiveSmallIntegerField(
        _("việc tiếp nhận, xử lý phản ánh, kiến nghị"), choices=SCORE, null=True, blank=True
    )
    overall = models.CharField(_("mức độ hài lòng chung"), max_length=12, choices=Satisfaction.choices)
    comment = models.TextField(_("góp ý"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("đánh giá")
        verbose_name_plural = _("đánh giá")

    def __str__(self):
        return f"{self.dossier} · {self.get_overall_display()}"

    def clean(self):
        if self.complaint_made and self.complaint_handling is None:
            raise ValidationError(
                {"complaint_handling": _("Hãy đánh giá việc tiếp nhận, xử lý phản ánh, kiến nghị của bạn.")}
            )
        if not self.complaint_made and self.complaint_handling is not None:
            raise ValidationError(
                {"complaint_handling": _("Chỉ đánh giá việc xử lý phản ánh khi bạn đã có phản ánh, kiến nghị.")}
            )
