"""The staff dossier page's header and its applicant and answers, built in one go with every value
escaped: as template nodes (about ninety of them, a dozen reversed URLs) they were a third of the
page's template time. The markup is the page's own (templates/dossiers/desk/dossier.html)."""

from html import escape

from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from dossiers import constants, printouts
from dossiers.templatetags.dossier_tags import answer_text, duration, file_urls, local_time

register = template.Library()

HEADER = (
    '<nav aria-label="{trail}"><ol class="breadcrumb"><li class="breadcrumb-item">'
    '<a href="{queue}">{queue_word}</a></li>'
    '<li class="breadcrumb-item active" aria-current="page">{code}</li></ol></nav>\n'
    '<div class="bg-white rounded shadow-sm p-4 mb-3">\n'
    '  <div class="d-flex flex-wrap justify-content-between gap-2">\n'
    "    <div>\n"
    '      <h1 class="h4 page-title mb-1">{code} · {procedure}</h1>\n'
    '      <p class="mb-0 text-body-secondary">{agency} · {channel} · {filed_word}'
    " {filed}{received}</p>\n"
    "    </div>\n"
    '    <div class="text-md-end">\n'
    '      <span class="badge fs-6 text-bg-{colour}" id="stage">{stage}</span>\n'
    "      {due}\n"
    "      {assignee}\n"
    "    </div>\n"
    "  </div>\n"
    '  <div class="d-flex flex-wrap gap-2 mt-2 small">\n'
    "    {links}\n"
    "  </div>\n"
    "  {reissue}\n"
    "</div>"
)

REISSUE = (
    '<details class="mt-2 small" id="reissue"><summary>{title}</summary>\n'
    '    <form method="post" action="{url}" class="row g-2 align-items-end mt-1">'
    '<input type="hidden" name="csrfmiddlewaretoken" value="{token}">\n'
    '      <div class="col-12 col-md-4">'
    '<label class="form-label" for="reissue-number">{form_word}</label>\n'
    '        <select class="form-select form-select-sm" name="number" id="reissue-number">\n'
    "          {options}\n"
    "        </select></div>\n"
    '      <div class="col-12 col-md-6">'
    '<label class="form-label" for="reissue-reason">{reason_word}</label>\n'
    '        <input class="form-control form-control-sm" name="reason" id="reissue-reason"'
    ' maxlength="500" required></div>\n'
    '      <div class="col-12 col-md-2">'
    '<button class="btn btn-sm btn-outline-danger w-100" type="submit">{button}</button></div>\n'
    '      <p class="col-12 mb-0 text-body-secondary">{kept}</p>\n'
    "    </form>\n"
    "  </details>"
)


# The staff page's short titles of the forms; which forms a dossier has is printouts.available_forms
# (the same list the form's download checks). Form 05 (the live control slip) and the fee notice are
# drawn afresh each time, so they are not reissued.
TITLES = {
    "01": _lazy("Mẫu 01: Giấy tiếp nhận, hẹn trả"),
    "02": _lazy("Mẫu 02: Yêu cầu bổ sung"),
    "03": _lazy("Mẫu 03: Từ chối tiếp nhận"),
    "04": _lazy("Mẫu 04: Phiếu xin lỗi, hẹn lại"),
    "05": _lazy("Mẫu 05: Phiếu kiểm soát quá trình"),
    "stop": _lazy("Thông báo dừng xử lý hồ sơ"),
    "fee": _lazy("Thông báo nộp phí, lệ phí"),
}
NOT_REISSUED = ("05", "fee")


@register.simple_tag(takes_context=True)
def staff_header(context, dossier, overdue, remaining):
    """The breadcrumb and the header box: code, procedure, agency, channel, dates, stage, due date and
    time left, the specialist, the links to the dossier's forms and the form to reissue one."""
    code = escape(dossier.code)
    form_url = reverse("dossiers:desk_form", args=[dossier.code, "~n~"])
    forms = [(number, str(TITLES[number])) for number in printouts.available_forms(dossier)]
    due = ""
    if dossier.due_at:
        if overdue:
            left = f'<span class="badge text-bg-danger">{escape(_("Quá hạn"))}</span>'
        elif remaining:
            left = _("còn %(time)s") % {"time": duration(remaining)}
            left = f'<span class="small text-body-secondary">({escape(left)})</span>'
        else:
            left = ""
        due = (
            f'<p class="mb-0 mt-1">{escape(_("Hẹn trả"))}: <strong>{local_time(dossier.due_at)}</strong>\n'
            f"        {left}</p>"
        )
    reissue = ""
    if dossier.received_at or dossier.stage == "not_received":
        reissue = REISSUE.format(
            title=escape(_("Phát hành lại biểu mẫu")),
            url=escape(reverse("dossiers:desk_form_reissue", args=[dossier.code])),
            token=escape(str(context.get("csrf_token", ""))),
            form_word=escape(_("Biểu mẫu")),
            options="\n          ".join(
                f'<option value="{number}">{escape(title)}</option>'
                for number, title in forms
                if number not in NOT_REISSUED
            ),
            reason_word=escape(_("Lý do phát hành lại")),
            button=escape(_("Phát hành lại")),
            kept=escape(_("Bản đã phát hành vẫn được lưu; bản mới có số phiên bản mới và lý do.")),
        )
    received = f" · {escape(_('Tiếp nhận'))} {local_time(dossier.received_at)}" if dossier.received_at else ""
    assignee = dossier.assignee
    return mark_safe(
        HEADER.format(
            trail=escape(_("Đường dẫn")),
            queue=escape(reverse("dossiers:desk_queue")),
            queue_word=escape(_("Hàng đợi hồ sơ")),
            code=code,
            procedure=escape(dossier.version.procedure.name),
            agency=escape(dossier.agency.name),
            channel=escape(str(dossier.get_channel_display())),
            filed_word=escape(_("Nộp")),
            filed=local_time(dossier.submitted_at) if dossier.submitted_at else "",
            received=received,
            colour=constants.status_colour(dossier.status),
            stage=escape(str(dossier.get_stage_display())),
            due=due,
            assignee=f'<p class="mb-0 small">{escape(_("Chuyên viên"))}: {escape(assignee.full_name)}</p>'
            if assignee
            else "",
            links="\n    ".join(
                f'<a href="{escape(form_url.replace("~n~", number))}">{escape(title)}</a>' for number, title in forms
            ),
            reissue=reissue,
        )
    )


@register.simple_tag
def staff_applicant(dossier, answers):
    """The applicant as filed (the snapshot) and the answers of the form, read back as the citizen
    gave them (answer_text)."""
    snapshot = dossier.applicant_snapshot or {}
    delivery = escape(str(dossier.get_delivery_display() or "—"))
    if dossier.delivery_address:
        delivery += f": {escape(dossier.delivery_address)}"
    rows = [
        (_("Họ và tên"), escape(str(snapshot.get("full_name", "")))),
        (_("Số CCCD"), escape(str(snapshot.get("national_id", "")))),
        (_("Điện thoại"), escape(str(snapshot.get("phone", "")))),
        (_("Địa chỉ"), escape(str(snapshot.get("address", "")))),
        (_("Nhận kết quả"), delivery),
    ]
    applicant = "\n        ".join(
        f'<dt class="col-sm-4">{escape(label)}</dt><dd class="col-sm-8">{value}</dd>' for label, value in rows
    )
    given = "".join(
        f'<dt class="col-sm-5">{escape(str(field.label))}</dt>'
        f'<dd class="col-sm-7">{escape(answer_text(field, value))}</dd>'
        for field, value in answers
    )
    return mark_safe(
        f"""<section class="bg-white rounded shadow-sm p-4 mb-3">
      <h2 class="h5">{escape(_("Người yêu cầu"))}</h2>
      <dl class="row mb-0">
        {applicant}
      </dl>
    </section>
    <section class="bg-white rounded shadow-sm p-4 mb-3">
      <h2 class="h5">{escape(_("Nội dung tờ khai"))}</h2>
      <dl class="row mb-0">{given or "<dd>—</dd>"}</dl>
    </section>"""
    )


@register.simple_tag
def staff_old_files(files):
    """The files a newer one replaced, each linked, under "Phiên bản trước"."""
    if not files:
        return ""
    download, _preview = file_urls()
    items = "".join(f'<li><a href="{escape(download(f))}">{escape(f.original_name)}</a></li>' for f in files)
    return mark_safe(f"<details><summary>{escape(_('Phiên bản trước'))}</summary><ul>{items}</ul></details>")
