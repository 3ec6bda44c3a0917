"""The citizen's pages for filed dossiers: my dossiers, a dossier, confirmation, supplement,
withdrawal, rating."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dossiers import printouts, selectors
from dossiers.constants import Action, Status
from dossiers.fees import fee_panel
from dossiers.forms import RatingForm, UploadForm, WithdrawForm
from dossiers.selectors import roles_for
from dossiers.services import citizen, uploads
from dossiers.workflow import allowed_actions
from portal.calendar import desk_hours_text
from portal.exceptions import ApplicationError
from portal.links import url_prefix
from procedures.forms import build_answer_form, raw_answers

PAGE_SIZE = 20


def _owned(request, code):
    dossier = selectors.dossier_get_for_owner(user=request.user, code=code)
    if dossier is None:
        raise Http404
    return dossier


@login_required
def mine(request):
    page = Paginator(selectors.dossier_list_for_owner(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "dossier": d,
            "expires_at": selectors.draft_expiry(d) if d.is_draft else None,
            "expires_soon": selectors.draft_expires_soon(d),
        }
        for d in page.object_list
    ]
    # The rows' links, reversed once rather than per row (the code or id follows).
    row_links = {
        "draft": url_prefix("dossiers:draft", uuid.UUID(int=0)),
        "detail": url_prefix("dossiers:detail", "CODE"),
    }
    return render(request, "dossiers/mine.html", {"page": page, "rows": rows, "row_links": row_links})


@login_required
def detail(request, code):
    dossier = _owned(request, code)
    actions = selectors.owner_actions(dossier=dossier, user=request.user)
    fields = {f.key: f for f in dossier.version.fields.all()}
    result_files = [a for a in dossier.attachments.all() if a.is_current and a.is_result]
    issued = selectors.result_documents(dossier) if result_files else {}
    return render(
        request,
        "dossiers/detail.html",
        {
            "dossier": dossier,
            "actions": actions,
            "supplement": selectors.open_supplement(dossier),
            "answers": [(fields[k], v) for k, v in dossier.answers.items() if k in fields],
            # The specialist's draft result is internal; the final result has its own section.
            "result_files": [(a, issued.get(a.pk)) for a in result_files],
            "current_files": [
                a for a in dossier.attachments.all() if a.is_current and not (a.is_result or a.is_result_draft)
            ],
            "old_files": [a for a in dossier.attachments.all() if not a.is_current and not a.is_result_draft],
            "timeline": selectors.timeline(dossier, public_only=True),
            "forms": [(n, printouts.LABELS[n]) for n in printouts.available_forms(dossier, for_applicant=True)],
            "desk_hours": desk_hours_text(dossier.desk, dossier.agency),
            "fees": fee_panel(dossier),
        },
    )


@login_required
def submitted(request, code):
    dossier = _owned(request, code)
    return render(request, "dossiers/submitted.html", {"dossier": dossier})


@login_required
def supplement(request, code):
    dossier = _owned(request, code)
    request_ = selectors.open_supplement(dossier)
    if dossier.status != Status.SUPPLEMENT_REQUESTED or request_ is None:
        messages.info(request, _("Hồ sơ không có yêu cầu bổ sung nào đang chờ."))
        return redirect("dossiers:detail", code)
    definitions = [f for f in dossier.version.fields.all() if f.key in request_.field_keys()]
    components = [c for c in dossier.version.components.all() if c.id in request_.component_ids()]
    form = build_answer_form(definitions, initial={f.key: dossier.answers.get(f.key) for f in definitions})
    if request.method == "POST":
        form, done = _handle_supplement_post(request, dossier, definitions, components, form)
        if done:
            return redirect("dossiers:detail", code)
        dossier = _owned(request, code)
    fresh = {}
    for attachment in dossier.attachments.all():
        if attachment.is_current and attachment.created_at >= request_.created_at:
            fresh.setdefault(attachment.component_id, []).append(attachment)
    reasons = {str(i["ref"]): i["reason"] for i in request_.items}
    return render(
        request,
        "dossiers/supplement.html",
        {
            "dossier": dossier,
            "request_": request_,
            "form": form,
            "rows": [(c, fresh.get(c.id, []), reasons.get(str(c.id), "")) for c in components],
        },
    )


def _handle_supplement_post(request, dossier, definitions, components, form):
    try:
        if "upload" in request.POST:
            upload = UploadForm(request.POST, request.FILES)
            component = next(
                (c for c in components if upload.is_valid() and c.id == upload.cleaned_data["component"]), None
            )
            if component is None:
                raise ApplicationError(_("Hãy chọn tệp cho một giấy tờ được yêu cầu bổ sung."))
            uploads.attachment_add(
                dossier=dossier, actor=request.user, component=component, upload=upload.cleaned_data["file"]
            )
            messages.success(request, _("Đã tải lên giấy tờ bổ sung."))
            return form, False
        if definitions:
            form = build_answer_form(definitions, data=request.POST)
            raw = raw_answers(request.POST, definitions)
            citizen.dossier_save_supplement_answers(dossier=dossier, actor=request.user, raw=raw)
            if not form.is_valid():
                return form, False
        if "send" in request.POST:
            citizen.dossier_submit_supplement(dossier=dossier, actor=request.user)
            messages.success(request, _("Đã gửi hồ sơ bổ sung. Cơ quan sẽ tiếp tục giải quyết."))
            return form, True
        messages.success(request, _("Đã lưu nội dung bổ sung."))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return form, False


@login_required
def withdraw(request, code):
    dossier = _owned(request, code)
    if Action.REQUEST_WITHDRAWAL not in allowed_actions(dossier.stage, roles_for(dossier=dossier, user=request.user)):
        messages.error(request, _("Hồ sơ ở trạng thái “%(s)s” không thể rút.") % {"s": dossier.get_status_display()})
        return redirect("dossiers:detail", code)
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            citizen.dossier_request_withdrawal(dossier=dossier, actor=request.user, reason=form.cleaned_data["reason"])
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Đã gửi yêu cầu rút hồ sơ. Cơ quan sẽ xác nhận và thông báo cho bạn."))
            return redirect("dossiers:detail", code)
    return render(request, "dossiers/withdraw.html", {"dossier": dossier, "form": form})


@login_required
def rate(request, code):
    dossier = _owned(request, code)
    if hasattr(dossier, "rating"):
        messages.info(request, _("Bạn đã đánh giá hồ sơ này. Cảm ơn bạn!"))
        return redirect("dossiers:detail", code)
    if Action.RATE not in allowed_actions(dossier.stage, roles_for(dossier=dossier, user=request.user)):
        messages.error(request, _("Chỉ đánh giá được hồ sơ đã có kết quả."))
        return redirect("dossiers:detail", code)
    form = RatingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            citizen.dossier_rate(dossier=dossier, actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Cảm ơn bạn đã đánh giá!"))
            return redirect("dossiers:detail", code)
    return render(request, "dossiers/rate.html", {"dossier": dossier, "form": form})
