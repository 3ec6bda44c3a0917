import datetime as dt

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dossiers.constants import STATUS_COLOURS

register = template.Library()


@register.filter
def status_colour(status: str) -> str:
    return STATUS_COLOURS.get(status, "secondary")


@register.simple_tag
def answer_text(field, value) -> str:
    """An answer as the citizen should read it back (choice labels, dd/mm/yyyy dates, Có/Không)."""
    if value in (None, "", []):
        return "—"
    if field.field_type == "checkbox":
        return _("Có") if value in (True, "on", "true", "True") else _("Không")
    if field.field_type in ("single_choice", "multiple_choice"):
        labels = dict(field.choice_pairs())
        values = value if isinstance(value, list) else [value]
        return ", ".join(str(labels.get(v, v)) for v in values)
    if field.field_type == "date":
        for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
            try:
                return dt.datetime.strptime(str(value), fmt).strftime("%d/%m/%Y")
            except ValueError:
                continue
    return str(value)


@register.filter
def duration(delta) -> str:
    """A time left in days and hours, e.g. "2 ngày 15 giờ"."""
    if delta is None:
        return ""
    hours = max(0, int(delta.total_seconds() // 3600))
    days, hours = divmod(hours, 24)
    parts = []
    if days:
        parts.append(ngettext("%(n)s ngày", "%(n)s ngày", days) % {"n": days})
    if hours or not days:
        parts.append(ngettext("%(n)s giờ", "%(n)s giờ", hours) % {"n": hours})
    return " ".join(parts)
