"""Formatting of the indicators, and the home page's summary of the year."""

from django import template
from django.utils import formats, timezone
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def percent(rate) -> str:
    """0.925 -> "92,5 %" (the language's decimal mark); no figure -> "—"."""
    if rate is None:
        return "—"
    return f"{formats.number_format(round(rate * 100, 1), 1)}\u00a0%"


@register.filter
def count(value) -> str:
    """5475 -> "5.475": thousands grouped by the language's separator (Django's Vietnamese formats
    name the separator but no grouping)."""
    if value is None:
        return "—"
    return f"{int(value):,}".replace(",", formats.get_format("THOUSAND_SEPARATOR"))


@register.filter
def days(value) -> str:
    if value is None:
        return "—"
    return _("%(n)s ngày") % {"n": formats.number_format(value, 1)}


@register.inclusion_tag("dossiers/_year_summary.html")
def year_summary():
    """ "Năm 2026: … hồ sơ, …% trực tuyến, …% đúng hạn, …% hài lòng", the whole province, this year."""
    import datetime as dt

    from dossiers.views.statistics import province_year

    year = timezone.localdate().year
    return {"year": year, "values": province_year(dt.date(year, 1, 1), dt.date(year, 12, 31))}


@register.simple_tag
def figure(values: dict, key: str):
    """One indicator by its key (a dictionary read the template language cannot do by variable);
    "finished_late" is the finished dossiers not finished on time."""
    if key == "finished_late":
        return values.get("finished", 0) - values.get("finished_on_time", 0)
    return values.get(key)
