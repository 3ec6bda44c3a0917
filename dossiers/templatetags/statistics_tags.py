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
    if key == "finished_late" and key not in values:
        return values.get("finished", 0) - values.get("finished_on_time", 0)
    return values.get(key)


@register.simple_tag
def trend_chart(bars, title_id: str) -> str:
    """The dashboard's twelve months as one SVG (receipts, the online part darker), built in one go:
    as template nodes its numbers and labels were a third of the page."""
    from django.utils.html import escape
    from django.utils.safestring import mark_safe

    online_word, on_time_word = _("trực tuyến"), _("đúng hạn")
    parts, desc = [], []
    for bar in bars:
        month, short = bar["month"].strftime("%m/%Y"), bar["month"].strftime("%m/%y")
        received, x = count(bar["received"]), bar["x"]
        desc.append(f"{month}: {received}")
        title = f"{month}: {received} ({count(bar['online'])} {online_word}), {on_time_word} "
        title += percent(bar["values"]["on_time_rate"])
        parts.append(
            f"<g><title>{escape(title)}</title>"
            f'<rect x="{x}" y="{bar["y"]}" width="36" height="{bar["height"]}" fill="#f1aeb5"/>'
            f'<rect x="{x}" y="{bar["online_y"]}" width="36" height="{bar["online_height"]}" fill="#b02a37"/>'
            f'<text x="{x + 18}" y="196" text-anchor="middle" font-size="11">{short}</text>'
            f'<text x="{x + 18}" y="{bar["y"] - 4}" text-anchor="middle" font-size="11">{received}</text></g>'
        )
    return mark_safe(
        f'<svg viewBox="0 0 640 220" class="w-100" role="img" aria-labelledby="{escape(title_id)} trend-desc">'
        f'<desc id="trend-desc">{escape("; ".join(desc))}</desc>'
        '<line x1="30" y1="180" x2="640" y2="180" stroke="#6c757d"/>' + "".join(parts) + "</svg>"
    )
