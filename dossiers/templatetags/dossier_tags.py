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


FILE_BLOCK = (
    '<div class="border rounded p-2 mb-2"><div class="d-flex flex-wrap justify-content-between gap-2"><span>'
    '{label}<a href="{url}">{name}</a> <span class="small text-body-secondary">{ext} · {kb} KB</span>{extra}</span>'
    "</div>"
    "{preview}</div>"
)
PDF_PREVIEW = '<iframe class="w-100 mt-2 preview-frame" src="{url}" title="{name}" loading="lazy"></iframe>'
IMAGE_PREVIEW = '<img class="img-fluid mt-2 border" src="{url}" alt="{name}" loading="lazy">'
_NO_FILE = "00000000-0000-0000-0000-000000000000"


def file_urls():
    """The download and preview URLs of a file, reversed once for a stand-in and filled per file."""
    from django.urls import reverse

    download, preview = (reverse(name, args=[_NO_FILE]) for name in ("dossiers:file", "dossiers:file_preview"))
    return (lambda f: download.replace(_NO_FILE, str(f.public_id))), (
        lambda f: preview.replace(_NO_FILE, str(f.public_id))
    )


@register.simple_tag
def staff_files(files):
    """The staff dossier page's current files, each with its component or result badge, its link, its
    size and an inline preview (PDF or image), built in one go with every value escaped: as template
    nodes, ten files with two reversed URLs each were a sixth of the page."""
    download, preview = file_urls()
    badges = {
        "result": f'<span class="badge text-bg-success">{escape(_("Kết quả"))}</span> ',
        "draft": f'<span class="badge text-bg-secondary">{escape(_("Dự thảo kết quả (nội bộ)"))}</span> ',
        "digitised": f' <span class="badge text-bg-info">{escape(_("Bản số hóa tại quầy"))}</span>',
    }
    blocks = []
    for f in files:
        name = escape(f.original_name)
        if f.is_result:
            label = badges["result"]
        elif f.is_result_draft:
            label = badges["draft"]
        else:
            label = f"{escape(f.component.name)}: " if f.component else ""
        shown = PDF_PREVIEW if f.extension == "pdf" else IMAGE_PREVIEW if f.extension in ("jpg", "png") else ""
        blocks.append(
            FILE_BLOCK.format(
                label=label,
                url=escape(download(f)),
                name=name,
                ext=escape(f.extension.upper()),
                kb=f.size_kb,
                extra=badges["digitised"] if f.is_digitised else "",
                preview=shown.format(url=escape(preview(f)), name=name),
            )
        )
    return mark_safe("\n".join(blocks))


@register.simple_tag
def staff_timeline(entries):
    """The staff dossier page's events (selectors.TimelineEntry) as <li>s: when, what, who, the note."""
    return mark_safe(
        "".join(
            f'<li class="mb-2"><strong>{escape(e.when)}</strong> · {escape(str(e.action_label))}'
            + (f" · {escape(e.actor_name)}" if e.actor_name else "")
            + (f"<br>{escape(e.note)}" if e.note else "")
            + "</li>"
            for e in entries
        )
    )


def local_time(moment) -> str:
    from django.utils import timezone

    return timezone.localtime(moment).strftime("%H:%M %d/%m/%Y")


@register.simple_tag
def supplement_history(history, form_url: str):
    """The staff page's supplement requests (selectors.supplement_history), newest first: each with a
    link to its Form 02 (`form_url`?n=number), when it was asked and answered, and per item what was
    asked, why, and the files the answer replaced and added; every value escaped."""
    download, _preview = file_urls()

    def links(files, tag=""):
        end = f"</{tag}>" if tag else ""
        start = f"<{tag}>" if tag else ""
        return ", ".join(f'<a href="{escape(download(f))}">{start}{escape(f.original_name)}{end}</a>' for f in files)

    parts = []
    for request, items, number in history:
        asked = escape(_("Yêu cầu lúc %(asked)s") % {"asked": local_time(request.created_at)})
        answered = escape(
            _("đã bổ sung lúc %(answered)s") % {"answered": local_time(request.responded_at)}
            if request.responded_at
            else _("chờ người dân bổ sung")
        )
        parts.append(
            f'<p class="mb-1 small"><a href="{escape(form_url)}?n={number}">{escape(_("Mẫu 02"))} ({number})</a>'
            f" · {asked} · {answered}</p>"
        )
        rows = []
        for item in items:
            changes = ""
            if item.replaced or item.added:
                replaced = f"{escape(_('Thay'))} {links(item.replaced, 'del')} " if item.replaced else ""
                added = f"→ {links(item.added)}" if item.added else ""
                changes = f'<br><span class="small">{replaced}{added}</span>'
            rows.append(f"<li><strong>{escape(item.label)}</strong>: {escape(item.reason)}{changes}</li>")
        parts.append(f'<ul class="mb-3">{"".join(rows)}</ul>')
    return mark_safe("\n".join(parts))


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


ACTION_BLOCK = (
    '<details class="border rounded p-3 mb-2"{open} id="action-{action}">'
    '<summary class="fw-semibold">{label}</summary>'
    '<form method="post" action="{url}" class="mt-2" enctype="multipart/form-data" novalidate data-submit-once>'
    '<input type="hidden" name="csrfmiddlewaretoken" value="{token}">{tasks}{form}'
    '<button class="btn btn-primary" type="submit">{confirm}</button></form></details>'
)


@register.simple_tag(takes_context=True)
def action_forms(context, forms, code: str, pending_tasks):
    """The staff dossier page's action forms (one <details> each: its form posted to desk_act with the
    CSRF token; the replies still awaited above the reply form), built in one go: as template nodes,
    the loop was a tenth of the page. A form that failed validation is open, with what was typed."""
    from django.urls import reverse

    url = reverse("dossiers:desk_act", args=["~code~", "~action~"]).replace("~code~", escape(code))
    token = escape(str(context.get("csrf_token", "")))
    due = escape(_("hạn"))
    tasks = "".join(
        f'<p class="small mb-1">{escape(t.agency.name)}: {escape(t.task)} ({due} {t.deadline:%d/%m/%Y})</p>'
        for t in pending_tasks
    )
    return mark_safe(
        "\n".join(
            ACTION_BLOCK.format(
                open=" open" if form.is_bound else "",
                action=escape(action),
                label=escape(str(label)),
                url=url.replace("~action~", escape(action)),
                token=token,
                tasks=tasks if action == "record_reply" else "",
                form=action_form(form),
                confirm=escape(_("Xác nhận")),
            )
            for action, label, form in forms
        )
    )


OWNER_ROW = (
    '<li class="bg-white rounded shadow-sm p-3 mb-2">\n'
    '    <div class="d-flex flex-wrap justify-content-between gap-2">\n'
    "      <div>\n"
    '        <h2 class="h6 mb-1"><a href="{url}/">{procedure}</a></h2>\n'
    '        <p class="small mb-0 text-body-secondary">{code}{agency} · {updated_word} {updated}{due}</p>\n'
    "        {expiry}\n"
    "      </div>\n"
    '      <div><span class="badge text-bg-{colour}">{status}</span></div>\n'
    "    </div>\n"
    "  </li>"
)
EXPIRY = '<p class="small text-danger mb-0"><i class="bi bi-exclamation-triangle" aria-hidden="true"></i> {text}</p>'


@register.simple_tag
def owner_rows(rows, links):
    """The lines of "my dossiers" (selectors.OwnerRow with their draft expiry), built in one go with
    every value escaped: as template nodes, twenty lines were half of the page."""
    from django.utils import timezone

    words = {"code": escape(_("Mã")), "updated": escape(_("Cập nhật")), "due": escape(_("Hẹn trả"))}
    lines = []
    for row in rows:
        d = row["dossier"]
        url = f"{links['draft']}{d.public_id}" if d.is_draft else f"{links['detail']}{d.code}"
        expiry = ""
        if row["expires_soon"]:
            date = timezone.localtime(row["expires_at"]).strftime("%d/%m/%Y")
            text = _("Bản nháp sẽ bị xóa vào %(date)s nếu không tiếp tục.") % {"date": date}
            expiry = EXPIRY.format(text=escape(text))
        lines.append(
            OWNER_ROW.format(
                url=escape(url),
                procedure=escape(d.procedure_name),
                code=f"{words['code']} {escape(d.code)} · " if d.code else "",
                agency=escape(d.agency_name),
                updated_word=words["updated"],
                updated=escape(d.updated),
                due=f" · {words['due']} {escape(d.due)}" if d.due else "",
                expiry=expiry,
                colour=escape(d.colour),
                status=escape(str(d.status_label)),
            )
        )
    return mark_safe("\n  ".join(lines))


@register.simple_tag
def citizen_files(current, old):
    """The citizen's dossier page's files: the current ones with their component, size and whether the
    desk scanned them, then the replaced ones in a <details>; built in one go with every value
    escaped (as template nodes, ten files each with a reversed URL were a fifth of the page)."""
    download, _preview = file_urls()
    scanned = ", " + escape(_("bản số hóa do cán bộ Một cửa quét tại quầy"))
    items = "".join(
        f"<li>{escape(f.component.name) + ': ' if f.component else ''}"
        f'<a href="{escape(download(f))}">{escape(f.original_name)}</a> '
        f'<span class="small text-body-secondary">({f.size_kb} KB{scanned if f.is_digitised else ""})</span></li>'
        for f in current
    )
    html = f'<ul class="mb-0">{items or "<li>—</li>"}</ul>'
    if old:
        replaced = escape(_("thay thế lúc"))
        rows = "".join(
            f'<li><a href="{escape(download(f))}">{escape(f.original_name)}</a> '
            f'<span class="small text-body-secondary">{replaced} '
            f"{local_time(f.superseded_at) if f.superseded_at else ''}</span></li>"
            for f in old
        )
        summary = escape(_("Phiên bản trước của giấy tờ"))
        html += f'\n      <details class="mt-2"><summary>{summary}</summary><ul>{rows}</ul></details>'
    return mark_safe(html)


@register.simple_tag
def citizen_timeline(entries):
    """The citizen's dossier page's public steps (selectors.TimelineEntry) as <li>s: when, the step,
    the status it led to, the note; every value escaped."""
    return mark_safe(
        "".join(
            f'\n        <li class="mb-2"><span class="small text-body-secondary">{escape(e.when)}</span><br>'
            f"<strong>{escape(str(e.step_label))}</strong>"
            + (
                f' <span class="badge text-bg-light border">{escape(str(e.status_label))}</span>'
                if e.status_label
                else ""
            )
            + (f'<br><span class="small">{escape(e.note)}</span>' if e.note else "")
            + "</li>"
            for e in entries
        )
    )
