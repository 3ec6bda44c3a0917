import datetime as dt
from html import escape

from django import template
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dossiers import constants

register = template.Library()


@register.filter
def status_colour(status: str) -> str:
    return constants.status_colour(status)


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


ROW_CLASS = {"overdue": ' class="table-danger"', "soon": ' class="table-warning"'}
ROW = (
    '<tr{cls}><td><a href="{url}{code}/">{code}</a>{channel}</td><td>{procedure}</td><td>{applicant}</td>'
    '<td><span class="badge text-bg-{colour}">{stage}</span>{assignee}</td>'
    '<td class="text-nowrap">{due}{badge}</td></tr>'
)


@register.simple_tag
def queue_rows(rows, dossier_url: str):
    """The <tr> of each queue row (dossiers.queues.QueueRow, its urgency, its due date), built in one
    go with every value escaped: as template nodes, 25 rows of ten values each cost a third of the
    queue page, and format_html's lazy-aware escaping half of what is left."""
    badges = {
        "overdue": f' <span class="badge text-bg-danger">{escape(_("Quá hạn"))}</span>',
        "soon": f' <span class="badge text-bg-warning">{escape(_("Sắp đến hạn"))}</span>',
    }
    url = escape(dossier_url)
    return mark_safe(
        "\n".join(
            ROW.format(
                cls=ROW_CLASS.get(urgency, ""),
                url=url,
                code=escape(row.code),
                channel=""
                if row.channel == "online"
                else f' <span class="badge text-bg-light border">{escape(row.channel_label)}</span>',
                procedure=escape(row.procedure_short),
                applicant=escape(row.applicant_name or ""),
                colour=escape(row.colour),
                stage=escape(row.stage_label),
                assignee=f'<div class="small text-body-secondary">{escape(row.assignee_name)}</div>'
                if row.assignee_name
                else "",
                due=escape(due),
                badge=badges.get(urgency, ""),
            )
            for row, urgency, due in rows
        )
    )


# Unbound action forms as crispy renders them, by what decides their HTML (see action_form).
_forms: dict[tuple, str] = {}
_FORMS_KEPT = 2000


def _choices_of(form) -> tuple:
    """The choices of every choice field, as rendered (evaluates a ModelChoiceField's queryset: a
    list of specialists or agencies that may change at any time, so it is part of the key)."""
    return tuple(
        (name, tuple((str(value), str(label)) for value, label in field.choices))
        for name, field in form.fields.items()
        if hasattr(field, "choices")
    )


@register.simple_tag
def action_form(form) -> str:
    """A staff action's form, as `{{ form|crispy }}` renders it. An unbound form's HTML depends only
    on its class, prefix, initial values, choices and language, so each such rendering is kept in
    the process and reused (on the staff dossier page crispy's field templates cost a third of the
    page); a bound form, with the person's input and errors, is always rendered afresh."""
    from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form

    if form.is_bound:
        return as_crispy_form(form)
    key = (
        type(form).__module__,
        type(form).__qualname__,
        form.prefix,
        translation.get_language(),
        tuple(sorted((k, str(v)) for k, v in form.initial.items())),
        _choices_of(form),
    )
    html = _forms.get(key)
    if html is None:
        html = as_crispy_form(form)
        if len(_forms) >= _FORMS_KEPT:
            _forms.clear()
        _forms[key] = html
    return mark_safe(html)


def forget_forms() -> None:
    _forms.clear()
