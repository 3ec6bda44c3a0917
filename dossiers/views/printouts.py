"""Printable forms as PDF downloads for staff of the dossier's agency, and the register (Form 06)."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dossiers import printouts, queues, selectors
from dossiers.services.documents import form_reissue
from dossiers.views.desk import _staff_dossier, staff_only
from portal.exceptions import ApplicationError
from portal.exports import SafeCsvWriter


def _pdf(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _index(request) -> int:
    """Which supplement request a Form 02 is for (?n=1 is the first); the latest without it."""
    value = request.GET.get("n", "")
    return int(value) if value.isdigit() else 0


@staff_only
def dossier_form(request, code, number):
    dossier = _staff_dossier(request, code)
    content = printouts.form_pdf(dossier, number, request_index=_index(request))
    if content is None:
        raise Http404
    return _pdf(content, f"mau-{number}-{dossier.code}.pdf")


@staff_only
@require_POST
def reissue_form(request, code):
    """A new version of an issued form, with its reason (the staff dossier page's form)."""
    dossier = _staff_dossier(request, code)
    number = request.POST.get("number", "")
    try:
        form_reissue(dossier=dossier, number=number, actor=request.user, reason=request.POST.get("reason", ""))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        label = printouts.LABELS.get(number, number)
        messages.success(request, _("Đã phát hành lại %(form)s (phiên bản mới, có lý do).") % {"form": label})
    return redirect("dossiers:desk_dossier", dossier.code)


@login_required
def citizen_form(request, code, number):
    """A form addressed to the applicant (receipt, supplement request, refusal, apology, stop notice),
    for the dossier's owner: an online filer never gets the paper."""
    dossier = selectors.dossier_get_for_owner(user=request.user, code=code)
    content = (
        printouts.form_pdf(dossier, number, for_applicant=True, request_index=_index(request)) if dossier else None
    )
    if content is None:
        raise Http404
    response = _pdf(content, f"mau-{number}-{dossier.code}.pdf")
    response["Cache-Control"] = "private, no-store"
    return response


def _register_rows(request):
    today = timezone.localdate()
    try:
        start = dt.date.fromisoformat(request.GET.get("from", "")) if request.GET.get("from") else today.replace(day=1)
        end = dt.date.fromisoformat(request.GET.get("to", "")) if request.GET.get("to") else today
    except ValueError:
        start, end = today.replace(day=1), today
    if end < start:
        start, end = end, start
    dossiers = queues.register_rows(
        memberships=request.memberships, start=start, end=end, desk_code=request.GET.get("desk", "")
    )
    return start, end, dossiers


def _register_values(d) -> list[str]:
    fmt = "%d/%m/%Y"
    return [
        d.code,
        d.version.procedure.name,
        d.applicant_snapshot.get("full_name", ""),
        d.get_channel_display(),
        timezone.localtime(d.received_at).strftime(fmt) if d.received_at else "",
        timezone.localtime(d.due_at).strftime(fmt) if d.due_at else "",
        timezone.localtime(d.returned_at).strftime(fmt) if d.returned_at else "",
        d.get_status_display(),
    ]


def _form_06_values(d, transferred) -> list[str]:
    """A row of Form 06 as Circular 01/2018 lays it out; the "ký nhận" columns are left to sign."""
    day = lambda value: timezone.localtime(value).strftime("%d/%m/%Y") if value else ""  # noqa: E731
    snapshot = d.applicant_snapshot
    contact = ", ".join(v for v in (snapshot.get("address", ""), snapshot.get("phone", "")) if v)
    return [
        d.code,
        d.version.procedure.name,
        snapshot.get("full_name", ""),
        contact,
        d.agency.name,
        day(d.received_at),
        day(d.due_at),
        day(transferred),
        day(d.finished_at),
        day(d.returned_at),
        d.get_status_display(),
    ]


@staff_only
def register(request):
    start, end, dossiers = _register_rows(request)
    fmt = request.GET.get("format", "")
    period = _("Từ %(start)s đến %(end)s") % {"start": start.strftime("%d/%m/%Y"), "end": end.strftime("%d/%m/%Y")}
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="so-theo-doi-{start}-{end}.csv"'
        response.write("\ufeff")  # Excel opens UTF-8 with Vietnamese correctly with a BOM
        writer = SafeCsvWriter(response)
        writer.writerow(
            ["Mã hồ sơ", "Thủ tục", "Người yêu cầu", "Kênh", "Ngày nhận", "Hẹn trả", "Trả kết quả", "Trạng thái"]
        )
        for d in dossiers.iterator(chunk_size=2000):
            writer.writerow(_register_values(d))
        return response
    if fmt == "pdf":
        agencies = ", ".join(sorted({m.agency.name for m in request.memberships}))
        rows = list(dossiers.select_related("agency")[:5000])
        transferred = selectors.first_event_dates(rows, action="assign")
        return _pdf(
            printouts.form_06([_form_06_values(d, transferred.get(d.pk)) for d in rows], title=agencies, period=period),
            f"mau-06-{start}-{end}.pdf",
        )
    from django.core.paginator import Paginator

    page = Paginator(dossiers, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "dossiers/desk/register.html",
        {
            "page": page,
            "rows": [(d, _register_values(d)) for d in page.object_list],
            "start": start,
            "end": end,
            "period": period,
            "querystring": query.urlencode(),
            "desks": sorted({m.desk for m in request.memberships if m.desk}, key=lambda d: d.code),
        },
    )
