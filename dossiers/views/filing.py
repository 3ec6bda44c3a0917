"""The citizen's filing flow: start, task list, each step, check your answers, submit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from dossiers import selectors, steps
from dossiers.forms import ApplicantForm, DeliveryForm, StartForm, SubmitForm, UploadForm
from dossiers.services import filing, uploads
from dossiers.services.filing import SubmissionIncomplete
from dossiers.services.payments import asks_on_submission, bill_for, exemptions_of
from portal.exceptions import ApplicationError
from procedures.forms import build_answer_form, raw_answers
from procedures.selectors import procedure_get_published


def _draft(request, public_id):
    dossier = selectors.draft_get_for_user(user=request.user, public_id=public_id)
    if dossier is None:
        raise Http404
    return dossier


@login_required
def start(request, code):
    version = procedure_get_published(code=code)
    if version is None or not version.accepts_online:
        raise Http404
    agencies = [a for a in version.procedure.agencies.all() if a.is_active]
    form = StartForm(
        request.POST if request.method == "POST" else None,
        agencies=agencies,
        initial={"agency": agencies[0].code} if len(agencies) == 1 else None,
    )
    if request.method == "POST" and form.is_valid():
        agency = next(a for a in agencies if a.code == form.cleaned_data["agency"])
        try:
            dossier = filing.dossier_start(version=version, actor=request.user, agency=agency)
        except ApplicationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            return redirect("dossiers:draft", dossier.public_id)
    return render(request, "dossiers/filing/start.html", {"version": version, "form": form, "agencies": agencies})


@login_required
def draft(request, public_id):
    dossier = _draft(request, public_id)
    task_list = steps.tasks(dossier)
    return render(
        request,
        "dossiers/filing/task_list.html",
        {
            "dossier": dossier,
            "tasks": task_list,
            "all_done": all(t.state == steps.DONE for t in task_list),
            "done_count": sum(t.state == steps.DONE for t in task_list),
            "expires_at": selectors.draft_expiry(dossier),
            "expires_soon": selectors.draft_expires_soon(dossier),
        },
    )


def _next_url(dossier, after: str) -> str:
    """Back to the check page if the citizen came from there, else the task list."""
    if after == "check":
        return reverse("dossiers:draft_check", args=[dossier.public_id])
    return reverse("dossiers:draft", args=[dossier.public_id])


@login_required
def applicant(request, public_id):
    dossier = _draft(request, public_id)
    snapshot = dossier.applicant_snapshot
    form = ApplicantForm(
        request.POST if request.method == "POST" else None, initial={"relation": dossier.filer_relation, **snapshot}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            filing.dossier_save_applicant(
                dossier=dossier,
                actor=request.user,
                relation=data["relation"],
                snapshot={k: data[k] for k in filing.SNAPSHOT_FIELDS},
            )
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        except ApplicationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Đã lưu thông tin người yêu cầu."))
            return redirect(_next_url(dossier, request.GET.get("next")))
    return render(request, "dossiers/filing/applicant.html", {"dossier": dossier, "form": form})


@login_required
def form_section(request, public_id, index):
    dossier = _draft(request, public_id)
    sections = steps.form_sections(dossier)
    if not 0 <= index < len(sections):
        raise Http404
    title, fields = sections[index]
    if request.method == "POST":
        raw = raw_answers(request.POST, fields)
        form = steps.section_form(dossier, fields, data=request.POST)
        try:
            filing.dossier_save_answers(dossier=dossier, actor=request.user, raw=raw, step=f"form-{index}")
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            if form.is_valid():
                if index + 1 < len(sections) and request.GET.get("next") != "check":
                    return redirect("dossiers:draft_form", dossier.public_id, index + 1)
                messages.success(request, _("Đã lưu tờ khai."))
                return redirect(_next_url(dossier, request.GET.get("next")))
            messages.warning(request, _("Đã lưu những gì bạn nhập, nhưng còn thông tin cần sửa."))
    elif any(f.key in dossier.answers for f in fields):
        form = steps.section_form(dossier, fields)  # bound to what was saved: its errors show again
    else:
        form = build_answer_form(fields)
    return render(
        request,
        "dossiers/filing/form_section.html",
        {
            "dossier": dossier,
            "form": form,
            "title": title,
            "index": index,
            "count": len(sections),
        },
    )


@login_required
def documents(request, public_id):
    dossier = _draft(request, public_id)
    if request.method == "POST":
        _handle_document_post(request, dossier)
        target = reverse("dossiers:draft_documents", args=[dossier.public_id])
        return HttpResponseClientRedirect(target) if request.htmx else redirect(target)
    current = {}
    for attachment in dossier.attachments.all():
        if attachment.is_current:
            current.setdefault(attachment.component_id, []).append(attachment)
    rows = [(c, current.get(c.id, [])) for c in filing.online_components(dossier)]
    return render(
        request,
        "dossiers/filing/documents.html",
        {
            "dossier": dossier,
            "rows": rows,
            "has_store": bool(selectors.documents_of_user(user=request.user)),
            "next": request.GET.get("next", ""),
        },
    )


def _handle_document_post(request, dossier):
    components = {c.id: c for c in filing.online_components(dossier)}
    attachments = {str(a.public_id): a for a in dossier.attachments.all() if a.is_current}
    try:
        if "remove" in request.POST:
            attachment = attachments.get(request.POST["remove"])
            if attachment is None:
                raise ApplicationError(_("Không tìm thấy tệp cần xóa."))
            uploads.attachment_remove(attachment=attachment, actor=request.user)
            messages.success(request, _("Đã xóa tệp “%(name)s”.") % {"name": attachment.original_name})
            return
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            raise ApplicationError(" ".join(e for errors in form.errors.values() for e in errors))
        component = components.get(form.cleaned_data["component"])
        if component is None:
            raise ApplicationError(_("Giấy tờ không thuộc thủ tục của hồ sơ này."))
        replace = attachments.get(str(form.cleaned_data["replace"])) if form.cleaned_data["replace"] else None
        attachment = uploads.attachment_add(
            dossier=dossier, actor=request.user, component=component, upload=form.cleaned_data["file"], replace=replace
        )
        messages.success(
            request,
            _("Đã tải lên “%(name)s” cho %(component)s.")
            % {"name": attachment.original_name, "component": component.name},
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)


@login_required
def pick(request, public_id, component_id):
    """Choose a file from "my documents" for one component."""
    dossier = _draft(request, public_id)
    component = next((c for c in filing.online_components(dossier) if c.id == component_id), None)
    if component is None:
        raise Http404
    store = selectors.documents_of_user(user=request.user)
    if request.method == "POST":
        source = next((d for d in store if str(d.public_id) == request.POST.get("source")), None)
        try:
            if source is None:
                raise ApplicationError(_("Hãy chọn một giấy tờ trong danh sách."))
            uploads.attachment_reuse(dossier=dossier, actor=request.user, component=component, source=source)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Đã dùng lại “%(name)s” cho %(component)s.")
                % {"name": source.original_name, "component": component.name},
            )
            return redirect("dossiers:draft_documents", dossier.public_id)
    return render(request, "dossiers/filing/pick.html", {"dossier": dossier, "component": component, "store": store})


@login_required
def delivery(request, public_id):
    dossier = _draft(request, public_id)
    form = DeliveryForm(
        request.POST if request.method == "POST" else None,
        initial={
            "delivery": dossier.delivery,
            "address": dossier.delivery_address or dossier.applicant_snapshot.get("address", ""),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            filing.dossier_set_delivery(
                dossier=dossier,
                actor=request.user,
                delivery=form.cleaned_data["delivery"],
                address=form.cleaned_data["address"],
            )
        except ApplicationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            return redirect("dossiers:draft_check", dossier.public_id)
    return render(request, "dossiers/filing/delivery.html", {"dossier": dossier, "form": form})


@login_required
def check(request, public_id):
    dossier = selectors.draft_get_for_user(user=request.user, public_id=public_id)
    if dossier is None:
        filed = selectors.dossier_filed_from_draft(user=request.user, public_id=public_id)
        if filed is not None:  # a refresh or a second click after submitting
            return redirect("dossiers:submitted", filed.code)
        raise Http404
    claimable = exemptions_of(dossier) if asks_on_submission(dossier) else []
    form = SubmitForm(request.POST if request.method == "POST" else None, exemptions=claimable)
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            filed = filing.dossier_submit(
                dossier=dossier,
                actor=request.user,
                declaration=form.cleaned_data["declaration"],
                exemption_ids=form.cleaned_data.get("exemptions") or (),
            )
        except SubmissionIncomplete as exc:
            problems = exc.problems
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            return redirect("dossiers:submitted", filed.code)
    elif request.method == "GET":
        problems = filing.submission_problems(dossier)
    step_urls = {}
    for task in steps.tasks(dossier):
        step_urls.setdefault(task.key.split("-")[0], task.url)
    return render(
        request,
        "dossiers/filing/check.html",
        {
            "dossier": dossier,
            "form": form,
            "sections": _answer_sections(dossier),
            "problems": [(step_urls.get(p.step), p.message) for p in problems],
            "documents": [
                (c, [a for a in dossier.attachments.all() if a.is_current and a.component_id == c.id])
                for c in filing.online_components(dossier)
            ],
            # What the answers make the fees come to, and whether they are paid on filing.
            "bill": bill_for(dossier),
            "pays_on_submission": asks_on_submission(dossier),
        },
    )


def _answer_sections(dossier):
    from dossiers.templatetags.dossier_tags import answer_text

    result = []
    for index, (title, fields) in enumerate(steps.form_sections(dossier)):
        rows = [(f.label, answer_text(f, dossier.answers.get(f.key))) for f in fields]
        result.append((title, reverse("dossiers:draft_form", args=[dossier.public_id, index]), rows))
    return result


@login_required
@require_POST
def delete_draft(request, public_id):
    dossier = _draft(request, public_id)
    filing.dossier_delete_draft(dossier=dossier, actor=request.user)
    messages.success(request, _("Đã xóa bản nháp."))
    return redirect("dossiers:mine")
