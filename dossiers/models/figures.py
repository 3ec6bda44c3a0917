from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

# The figures a dossier adds to the day it happened on (dossiers/figures.py says when each counts).
FIGURE_COLUMNS = (
    "received",
    "reused",
    "fee_bearing",
    "paid_online",
    "finished",
    "finished_on_time",
    "finished_late",
    "processing_seconds",
    "supplemented",
    "digitised",
    "result_documents",
    "e_results",
    "rated",
    "satisfied",
    "dissatisfied_or_complaint",
    "timeliness_points",
    "contacts_points",
    "information_points",
    "attitude_points",
    "cost_points",
    "complaints_scored",
    "complaint_handling_points",
)


class DailyFigures(models.Model):
    """What happened on one day for one agency, desk (0: none), procedure and channel: the sums the
    indicators are drawn from. Kept in the transaction of the change that moves them
    (dossiers.services.figures.figures_refresh) and rebuilt from the dossiers by the nightly
    reconciliation; no page reads the dossier table to draw a figure. `overdue_open` is not a sum
    over days: it is the count of open dossiers past their appointment at the end of that day."""

    day = models.DateField()
    agency = models.ForeignKey("portal.Agency", on_delete=models.CASCADE, related_name="+")
    desk_id = models.IntegerField(default=0)
    procedure = models.ForeignKey("procedures.Procedure", on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=10)
    received = models.IntegerField(default=0)
    reused = models.IntegerField(default=0)
    fee_bearing = models.IntegerField(default=0)
    # db_default: the benchmark's generator writes the figures in SQL of its own.
    paid_online = models.IntegerField(default=0, db_default=0)
    finished = models.IntegerField(default=0)
    finished_on_time = models.IntegerField(default=0)
    finished_late = models.IntegerField(default=0)
    processing_seconds = models.BigIntegerField(default=0)
    supplemented = models.IntegerField(default=0)
    digitised = models.IntegerField(default=0)
    result_documents = models.IntegerField(default=0)
    e_results = models.IntegerField(default=0)
    rated = models.IntegerField(default=0)
    satisfied = models.IntegerField(default=0)
    dissatisfied_or_complaint = models.IntegerField(default=0)
    timeliness_points = models.IntegerField(default=0)
    contacts_points = models.IntegerField(default=0)
    information_points = models.IntegerField(default=0)
    attitude_points = models.IntegerField(default=0)
    cost_points = models.IntegerField(default=0)
    complaints_scored = models.IntegerField(default=0)
    complaint_handling_points = models.IntegerField(default=0)
    overdue_open = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("số liệu ngày")
        verbose_name_plural = _("số liệu ngày")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "agency", "desk_id", "procedure", "channel"], name="daily_figures_cell"
            )
        ]
        indexes = [models.Index(fields=["agency", "day"], name="daily_figures_agency_day")]

    def __str__(self):
        return f"{self.day} {self.agency_id}/{self.desk_id} {self.procedure_id} {self.channel}"


class IndicatorTarget(models.Model):
    """A year's target for one indicator of an agency (and its subtree), e.g. an online share of
    55 %. The leader dashboard shows each beside the actual figure."""

    class Indicator(models.TextChoices):
        ONLINE_RATE = "online_rate", _("Tỷ lệ hồ sơ trực tuyến")
        ON_TIME_RATE = "on_time_rate", _("Tỷ lệ giải quyết đúng hạn")
        SATISFACTION_RATE = "satisfaction_rate", _("Mức độ hài lòng")
        DIGITISATION_RATE = "digitisation_rate", _("Tỷ lệ số hóa hồ sơ")
        E_RESULT_RATE = "e_result_rate", _("Tỷ lệ trả kết quả điện tử")
        REUSE_RATE = "reuse_rate", _("Tỷ lệ tái sử dụng dữ liệu")

    agency = models.ForeignKey("portal.Agency", on_delete=models.CASCADE, related_name="+", verbose_name=_("cơ quan"))
    year = models.PositiveSmallIntegerField(_("năm"))
    indicator = models.CharField(_("chỉ số"), max_length=24, choices=Indicator.choices)
    percent = models.DecimalField(
        _("chỉ tiêu (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Ví dụ 55 cho 55 %."),
    )

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["agency__code", "-year", "indicator"]
        constraints = [models.UniqueConstraint(fields=["agency", "year", "indicator"], name="indicator_target_unique")]

    def __str__(self):
        return f"{self.agency} {self.year} {self.get_indicator_display()}: {self.percent} %"
