"""The indicators of DOMAIN.md and Decision 766/QĐ-TTg, drawn from summed daily figures. Every
formula is here and in docs/indicators.md; pages and the JSON feed only format what these return.

A rate is a fraction 0..1, or None where its denominator is zero (nothing to measure)."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

SECONDS_A_DAY = 86400


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


@dataclass(frozen=True)
class Criterion:
    key: str  # an indicator below
    points: float
    full_at: float  # the rate at which the criterion earns its full points (linear below)


@dataclass(frozen=True)
class Group:
    name: str
    points: int
    criteria: tuple[Criterion, ...]


# Decision 766's five groups and their points (100 in all). Within a group the points are shared
# by the criteria this portal measures, each earning in proportion to its rate up to the rate that
# earns full marks (DOMAIN.md: online ≥ 50 %, digitisation ≥ 80 %, reuse ≥ 80 %, satisfaction ≥ 90 %;
# the others at 100 %). A criterion with nothing to measure (no denominator) earns nothing.
SCORE_766 = (
    Group("Công khai, minh bạch", 18, (Criterion("catalog_complete_rate", 18, 1.0),)),
    Group("Tiến độ, kết quả giải quyết", 20, (Criterion("on_time_rate", 20, 1.0),)),
    Group(
        "Số hóa hồ sơ",
        22,
        (
            Criterion("e_result_rate", 22 / 3, 1.0),
            Criterion("digitisation_rate", 22 / 3, 0.8),
            Criterion("reuse_rate", 22 / 3, 0.8),
        ),
    ),
    Group(
        "Cung cấp dịch vụ trực tuyến",
        22,
        (Criterion("online_rate", 11, 0.5), Criterion("online_payment_rate", 11, 1.0)),
    ),
    Group("Mức độ hài lòng", 18, (Criterion("satisfaction_rate", 18, 0.9),)),
)


def score_766(values: dict) -> tuple[float, list[tuple[str, int, float]]]:
    """The 100-point score and each group's (name, maximum, points)."""
    groups = []
    for group in SCORE_766:
        points = 0.0
        for c in group.criteria:
            rate = values.get(c.key)
            if rate is not None:
                points += c.points * min(1.0, rate / c.full_at)
        groups.append((group.name, group.points, round(points, 2)))
    return round(sum(p for _n, _m, p in groups), 2), groups


def indicators(sums: dict, *, received_online: int, overdue_open: int, catalog: tuple[int, int] = (0, 0)) -> dict:
    """The indicators of a period from its summed figures (`sums`: DailyFigures columns), the online
    channel's receipts, the open dossiers past due at the period's end, and (complete, total) of the
    catalog's published procedures for the transparency group."""
    g = sums.get
    received, finished = g("received", 0), g("finished", 0)
    on_time, late = g("finished_on_time", 0), g("finished_late", 0)
    judged = finished + overdue_open  # open dossiers past due at the period's end count as late
    late_rate = _rate(late + overdue_open, judged)
    unhappy_rate = _rate(g("dissatisfied_or_complaint", 0), finished)
    satisfaction = (
        None if late_rate is None or unhappy_rate is None else round(max(0.0, 1 - late_rate - unhappy_rate), 4)
    )
    values = {
        "received": received,
        "received_online": received_online,
        "online_rate": _rate(received_online, received),
        "finished": finished,
        "finished_on_time": on_time,
        "on_time_rate": _rate(on_time, judged),
        "overdue_open": overdue_open,
        "avg_processing_days": round(g("processing_seconds", 0) / finished / SECONDS_A_DAY, 2) if finished else None,
        "satisfaction_rate": satisfaction,
        "digitisation_rate": _rate(g("digitised", 0), finished),
        "e_result_rate": _rate(g("e_results", 0), g("result_documents", 0)),
        "reuse_rate": _rate(g("reused", 0), received),
        # Dossiers of fee-bearing procedures received in the period whose fee was paid online or by
        # bank transfer (not in cash at the desk), of all those received.
        "online_payment_rate": _rate(g("paid_online", 0), g("fee_bearing", 0)),
    }
    score, _groups = score_766({**values, "catalog_complete_rate": _rate(*catalog)})
    values["score_766"] = score
    return values


# The rating's criteria (Decree 61 Art. 31): the figure that sums each one's points, and its label.
CRITERIA = (
    ("timeliness_points", _("Thời gian giải quyết so với quy định")),
    ("contacts_points", _("Số lần phải liên hệ, đi lại")),
    ("information_points", _("Độ chính xác của thông tin công khai")),
    ("attitude_points", _("Thái độ của cán bộ")),
    ("cost_points", _("Chi phí (kể cả chi phí không chính thức)")),
)


def satisfaction_by_criterion(sums: dict) -> list[tuple[str, float | None]]:
    """Each criterion's average points (1..5) over the ratings; complaint handling over those who
    made a complaint."""
    rated, scored = sums.get("rated", 0), sums.get("complaints_scored", 0)
    rows = [(label, round(sums.get(key, 0) / rated, 2) if rated else None) for key, label in CRITERIA]
    handling = round(sums.get("complaint_handling_points", 0) / scored, 2) if scored else None
    return [*rows, (_("Việc tiếp nhận, xử lý phản ánh, kiến nghị"), handling)]
