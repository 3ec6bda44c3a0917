"""The citizen's filing: start a draft, save each step, submit."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from dossiers.constants import Action, Channel, Delivery, FilerRelation, Status
from dossiers.deadlines import end_of_day
from dossiers.exceptions import ActionNotAllowed
from dossiers.models import Dossier
from dossiers.services.codes import dossier_code, new_lookup_key
from dossiers.services.events import event_append
from dossiers.services.payments import payment_request_on_submission
from dossiers.services.transitions import lock, transition
from portal.calendar import calendar_for
from portal.exceptions import ApplicationError
from portal.validators import normalize_phone, validate_national_id, validate_phone
from procedures.constants import VersionStatus
from procedures.forms import answer_max_length, answer_too_long, build_answer_form
from procedures.selectors import version_with_parts
from procedures.text import normalize_search

SNAPSHOT_FIELDS = ("full_name", "national_id", "phone", "email", "address")


def dossier_search_text(dossier) -> str:
    snapshot = dossier.applicant_snapshot
    return normalize_search(
        " ".join([dossier.code or "", snapshot.get("full_name", ""), snapshot.get("national_id", "")])
    )[:400]


def profile_snapshot(user) -> dict:
    return {
        "full_name": user.full_name,
        "national_id": user.national_id or "",
        "phone": user.phone or "",
        "email": user.email or "",
        "address": user.address or "",
    }


def _editable_draft(dossier: Dossier, actor) -> Dossier:
    current = lock(dossier)
    if current.status != Status.DRAFT or current.filer_id != actor.pk:
        raise ActionNotAllowed(_("Hồ sơ này không còn là bản nháp của bạn nên không sửa được."), code="not_draft")
    return current


@transaction.atomic
def dossier_start(*, version, actor, agency, desk=None) -> Dossier:
    if version.status != VersionStatus.PUBLISHED or not version.accepts_online:
        raise ApplicationError(_("Thủ tục này hiện không nhận hồ sơ trực tuyến."), code="not_online")
    if not version.procedure.agencies.filter(pk=agency.pk).exists():
        raise ApplicationError(_("Cơ quan đã chọn không giải quyết thủ tục này."), field="agency")
    if desk is None:
        desk = agency.desks.filter(is_active=True).order_by("code").first()
    dossier = Dossier(
        version=version,
        applicant=actor,
        filer=actor,
        applicant_snapshot=profile_snapshot(actor),
        agency=agency,
        desk=desk,
        channel=Channel.ONLINE,
        status=Status.DRAFT,
        last_step="applicant",
    )
    dossier.full_clean()
    dossier.save()
    event_append(dossier=dossier, actor=actor, action=Action.CREATE, to_status=Status.DRAFT, public=False)
    return dossier


@transaction.atomic
def dossier_delete_draft(*, dossier: Dossier, actor) -> None:
    """Delete a draft and the files only it uses."""
    from dossiers.models import Attachment

    dossier = _editable_draft(dossier, actor)
    names = list(dossier.attachments.values_list("file", flat=True))
    dossier.delete()
    orphans = [n for n in names if not Attachment.objects.filter(file=n).exists()]
    storage = Attachment._meta.get_field("file").storage
    transaction.on_commit(lambda: [storage.delete(n) for n in orphans])


def validate_snapshot(snapshot: dict) -> dict:
    errors = {}
    if not snapshot.get("full_name", "").strip():
        errors["full_name"] = _("Vui lòng nhập họ và tên người yêu cầu.")
    for key, check in (("national_id", validate_national_id), ("phone", validate_phone)):
        try:
            check(snapshot.get(key, ""))
        except ValidationError as exc:
            errors[key] = " ".join(exc.messages)
    if not snapshot.get("address", "").strip():
        errors["address"] = _("Vui lòng nhập địa chỉ liên hệ.")
    return errors


@transaction.atomic
def dossier_save_applicant(*, dossier: Dossier, actor, relation: str, snapshot: dict) -> Dossier:
    """Who the dossier is for. Filing for someone else names them as applicant; if they have an
    account (same CCCD) they will see the dossier too."""
    from portal.models import User

    dossier = _editable_draft(dossier, actor)
    if relation not in FilerRelation.values:
        raise ApplicationError(_("Lựa chọn không hợp lệ."), field="relation")
    snapshot = {key: str(snapshot.get(key, "")).strip() for key in SNAPSHOT_FIELDS}
    snapshot["phone"] = normalize_phone(snapshot["phone"])
    errors = validate_snapshot(snapshot)
    if errors:
        raise ValidationError(errors)
    if relation == FilerRelation.SELF:
        applicant = actor
    else:
        applicant = User.objects.filter(national_id=snapshot["national_id"]).first()
        if applicant == actor:
            raise ApplicationError(
                _("Người được nộp thay có cùng số CCCD với bạn: hãy chọn “Tôi là người nộp hồ sơ”."),
                field="national_id",
            )
    dossier.applicant, dossier.filer_relation, dossier.applicant_snapshot = applicant, relation, snapshot
    dossier.last_step = "form"
    dossier.save(update_fields=["applicant", "filer_relation", "applicant_snapshot", "last_step", "updated_at"])
    return dossier


@transaction.atomic
def dossier_save_answers(*, dossier: Dossier, actor, raw: dict, step: str = "form") -> Dossier:
    """Keep what the citizen typed for these fields (valid or not: nothing is lost); validation
    happens when the section is completed and again at submission."""
    dossier = _editable_draft(dossier, actor)
    known = {f.key for f in dossier.version.fields.all()}
    unknown = set(raw) - known
    if unknown:
        raise ApplicationError(
            _("Biểu mẫu có trường không thuộc thủ tục này: %(keys)s.") % {"keys": ", ".join(sorted(unknown))},
            code="tampered",
        )
    fields = {f.key: f for f in dossier.version.fields.all()}
    too_long = [key for key, value in raw.items() if answer_too_long(fields[key], value)]
    if too_long:
        first = fields[too_long[0]]
        raise ApplicationError(
            _("Thông tin “%(label)s” dài quá %(n)s ký tự. Hãy rút gọn rồi lưu lại.")
            % {"label": first.label, "n": answer_max_length(first)},
            field=f"f_{first.key}",
            code="answer_too_long",
        )
    dossier.answers = {**dossier.answers, **raw}
    dossier.last_step = step
    dossier.save(update_fields=["answers", "last_step", "updated_at"])
    return dossier


@transaction.atomic
def dossier_set_delivery(*, dossier: Dossier, actor, delivery: str, address: str = "") -> Dossier:
    dossier = _editable_draft(dossier, actor)
    if delivery not in Delivery.values:
        raise ApplicationError(_("Hãy chọn một cách nhận kết quả."), field="delivery")
    if delivery == Delivery.POST and not address.strip():
        raise ApplicationError(_("Nhập địa chỉ nhận kết quả qua bưu chính."), field="address")
    dossier.delivery, dossier.delivery_address = delivery, address.strip() if delivery == Delivery.POST else ""
    dossier.last_step = "check"
    dossier.save(update_fields=["delivery", "delivery_address", "last_step", "updated_at"])
    return dossier


@dataclass
class Problem:
    step: str
    message: str


class SubmissionIncomplete(ApplicationError):
    def __init__(self, problems: list[Problem]):
        super().__init__(_("Hồ sơ chưa đủ để nộp."), code="incomplete")
        self.problems = problems


def answers_form(dossier: Dossier, data=None):
    return build_answer_form(
        dossier.version.fields.all(), data={f"f_{k}": v for k, v in dossier.answers.items()} if data is None else data
    )


def online_components(dossier) -> list:
    """The documents an online filer is asked for: all but those the e-form stands for."""
    return [c for c in dossier.version.components.all() if not c.replaced_by_eform]


def submission_problems(dossier: Dossier, form=None) -> list[Problem]:
    """Everything still missing, by step. `form` is the answers form when the caller has built it."""
    problems = []
    for message in validate_snapshot(dossier.applicant_snapshot).values():
        problems.append(Problem("applicant", message))
    form = form or answers_form(dossier)
    if not form.is_valid():
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            problems.append(Problem("form", f"{label}: {' '.join(errors)}" if label else " ".join(errors)))
    have = {a.component_id for a in dossier.attachments.all() if a.is_current}
    for component in online_components(dossier):
        if component.required and component.id not in have:
            problems.append(Problem("documents", _("Chưa đính kèm: %(name)s") % {"name": component.name}))
    if not dossier.delivery:
        problems.append(Problem("delivery", _("Chưa chọn cách nhận kết quả.")))
    return problems


def submission_key_claim(*, user, key: str, draft_id) -> None:
    """Bind an app's Idempotency-Key to the draft it files (the first use wins): the same key for the
    same draft passes again (a retry), for another draft it is refused."""
    from dossiers.models import SubmissionKey

    claimed, _created = SubmissionKey.objects.get_or_create(user=user, key=key, defaults={"draft": draft_id})
    if str(claimed.draft) != str(draft_id):
        raise ApplicationError(_("Khóa Idempotency-Key này đã dùng cho một hồ sơ khác."), code="conflict")


@transaction.atomic
def dossier_submit(*, dossier: Dossier, actor, declaration: bool, exemption_ids=()) -> Dossier:
    """File the draft. Idempotent: a second submit of a dossier already filed by this user returns
    it unchanged (a double click, a refresh, a resent form). `exemption_ids`: the fee exemptions the
    applicant claims, where the fee is paid on filing."""
    current = lock(dossier)
    if current.status != Status.DRAFT and current.filer_id == actor.pk and current.code:
        return current
    if current.status != Status.DRAFT or current.filer_id != actor.pk:
        raise ActionNotAllowed(_("Hồ sơ này không còn là bản nháp của bạn nên không sửa được."), code="not_draft")
    if current.version.status != VersionStatus.PUBLISHED:
        raise ApplicationError(
            _("Thủ tục đã được cập nhật sau khi bạn bắt đầu soạn. Hãy tạo hồ sơ mới theo quy định hiện hành."),
            code="version_retired",
        )
    # Checked against the version's parts from the catalog's kept copy: they never change once
    # published, and the status was just read with the lock.
    current.version = version_with_parts(pk=current.version_id)
    form = answers_form(current)
    problems = submission_problems(current, form)
    if not declaration:
        problems.append(Problem("check", _("Bạn cần xác nhận lời cam đoan trước khi nộp.")))
    if problems:
        raise SubmissionIncomplete(problems)
    now = timezone.now()

    def filed(d):
        d.answers = form.answers()
        d.code = dossier_code(agency=d.agency, day=timezone.localdate(now))
        d.lookup_key, d.submitted_at, d.declaration_accepted = new_lookup_key(), now, True
        # The desk should check an online dossier by the end of the next working day.
        cal = calendar_for(d.agency)
        d.priority_at = end_of_day(cal, cal.add_working_days(timezone.localdate(now), 1))
        d.search_text = dossier_search_text(d)
        return ["answers", "code", "lookup_key", "submitted_at", "declaration_accepted", "priority_at", "search_text"]

    filed_dossier = transition(dossier=current, actor=actor, action=Action.SUBMIT, changes=filed)
    _notify_submitted(filed_dossier)
    return payment_request_on_submission(filed_dossier, exemption_ids)


def _notify_submitted(dossier: Dossier) -> None:
    from portal.notifications import notify

    # One read for both (the applicant is usually the filer), and the procedure's name from the
    # catalog's kept copy of the version.
    ids = {dossier.applicant_id, dossier.filer_id} - {None}
    recipients = get_user_model().objects.filter(pk__in=ids).order_by("pk")
    procedure_name = version_with_parts(pk=dossier.version_id).procedure.name
    for user in recipients:
        with override(user.preferred_language or "vi"):
            subject = _("Hồ sơ %(code)s đã được nộp") % {"code": dossier.code}
            body = _(
                "Hồ sơ “%(procedure)s” đã được nộp lúc %(time)s với mã %(code)s, mã tra cứu %(key)s. "
                "Bộ phận Một cửa sẽ kiểm tra và thông báo kết quả tiếp nhận cho bạn."
            ) % {
                "procedure": procedure_name,
                "code": dossier.code,
                "key": dossier.lookup_key,
                "time": timezone.localtime(dossier.submitted_at).strftime("%H:%M %d/%m/%Y"),
            }
        notify(
            recipient=user,
            event="dossier_submitted",
            key=f"dossier:{dossier.pk}:submitted:{user.pk}",
            subject=subject,
            body=body,
            link=reverse("dossiers:detail", args=[dossier.code]),
        )
