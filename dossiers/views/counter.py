"""Walk-in intake at the counter and settling same-day procedures on the spot."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from dossiers.constants import Delivery
from dossiers.forms import ApplicantForm
from dossiers.services import counter
from dossiers.views.desk import _staff_dossier, staff_only
from portal.constants import AccessReason, Role
from portal.exceptions import ApplicationError
from portal.selectors import user_by_national_id
from portal.services import personal_data_access_record
from procedures.forms import build_answer_form, raw_answers
from procedures.selectors import procedure_get_published, versions_offered_by


class CounterApplicantForm(ApplicantForm):
    relation = None
    full_name = forms.CharField(label=_lazy("Họ và tên người yêu cầu"), max_length=150)
    national_id = forms.CharField(label=_lazy("Số CCCD"), max_length=20)
    delivery = forms.ChoiceField(label=_lazy("Cách nhận kết quả"), choices=Delivery.choices, initial=Delivery.DESK)
    delivery_address = forms.CharField(label=_lazy("Địa chỉ nhận qua bưu chính"), required=False, max_length=500)


def _desk_agencies(request):
    return [m.agency for m in request.memberships if m.role == Role.DESK_OFFICER]


@staff_only
def counter_intake(request):
    agencies = _desk_agencies(request)
    if not agencies:
        messages.error(request, _("Chỉ cán bộ một cửa mới tiếp nhận hồ sơ trực tiếp."))
        return redirect("dossiers:desk_queue")
    code = request.GET.get("procedure", "")
    version = procedure_get_published(code=code) if code else None
    offering = [a for a in agencies if version and a in version.procedure.agencies.all()]
    if version is None or not offering:
        return render(request, "dossiers/desk/counter_start.html", {"versions": versions_offered_by(agencies=agencies)})
    applicant = _applicant_initial(request, request.GET.get("cccd", "").strip())
    post = request.POST if request.method == "POST" else None
    person = CounterApplicantForm(post, initial=applicant)
    answers = build_answer_form(version.fields.all(), data=post)
    components = list(version.components.all())
    if request.method == "POST" and person.is_valid():
        raw = raw_answers(request.POST, version.fields.all())
        files = {c.id: request.FILES.getlist(f"file_{c.id}") for c in components}
        try:
            dossier = counter.dossier_receive_at_counter(
                version=version,
                actor=request.user,
                agency=offering[0],
                answers=raw,
                files=files,
                snapshot={
                    k: person.cleaned_data.get(k, "") for k in ("full_name", "national_id", "phone", "email", "address")
                },
                delivery=person.cleaned_data["delivery"],
                delivery_address=person.cleaned_data["delivery_address"],
            )
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                target = answers if name.startswith("f_") else person
                target.add_error(name if name in target.fields else None, errors)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Đã tiếp nhận hồ sơ %(code)s. In giấy tiếp nhận (Mẫu 01) cho công dân.") % {"code": dossier.code},
            )
            return redirect("dossiers:desk_dossier", dossier.code)
    if post:
        answers.is_valid()  # show the answer errors beside the applicant's
    return render(
        request,
        "dossiers/desk/counter.html",
        {
            "version": version,
            "person": person,
            "answers": answers,
            "components": components,
            "found": bool(applicant.get("full_name")),
            "cccd": request.GET.get("cccd", ""),
        },
    )


def _applicant_initial(request, cccd: str) -> dict:
    if not cccd:
        return {}
    user = user_by_national_id(national_id=cccd)
    if user is None:
        return {"national_id": cccd}
    personal_data_access_record(
        actor=request.user, reason=AccessReason.COUNTER_LOOKUP, request=request, subject_id=user.pk
    )
    return {
        "full_name": user.full_name,
        "national_id": user.national_id,
        "phone": user.phone or "",
        "email": user.email or "",
        "address": user.address,
    }


@staff_only
@require_POST
def settle_on_the_spot(request, code):
    dossier = _staff_dossier(request, code)
    try:
        counter.dossier_settle_on_the_spot(
            dossier=dossier,
            actor=request.user,
            note=request.POST.get("note", "").strip() or _("Hồ sơ hợp lệ"),
            how=request.POST.get("how", "").strip() or _("Trao tận tay tại quầy"),
            result_file=request.FILES.get("result_file"),
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã giải quyết và trả kết quả tại chỗ; mọi bước đã được ghi nhận."))
    return redirect("dossiers:desk_dossier", code)
