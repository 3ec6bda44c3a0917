"""Staff actions: one service per action, each through transition() (lock, table, one event)."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers import deadlines, selectors
from dossiers.constants import Action, Channel, Delivery, Outcome, Stage
from dossiers.exceptions import ActionNotAllowed
from dossiers.models import Dossier, ExtensionLetter, InterAgencyTask, SupplementRequest
from dossiers.notify import notify_applicant, notify_staff
from dossiers.selectors import supplement_already_requested
from dossiers.services.documents import form_issue, result_issue
from dossiers.services.payments import payment_record_cash, payment_request, refunds_on_finish
from dossiers.services.transitions import lock, transition, transition_allowed
from dossiers.workflow import SPECIALIST
from portal.calendar import calendar_for
from portal.constants import Role
from portal.exceptions import ApplicationError

SUPPLEMENT_WINDOW_WORKING_DAYS = 3


def _required(text: str, field: str, message: str) -> str:
    if not (text or "").strip():
        raise ApplicationError(message, field=field)
    return text.strip()


def start_clock(d: Dossier, now) -> list[str]:
    cal = calendar_for(d.agency)
    start = deadlines.clock_start(cal, now, paper=d.channel != Channel.ONLINE)
    d.clock_started_at = start
    d.due_at = deadlines.due_at(cal, start, d.version.processing_time_value, d.version.processing_time_unit)
    d.priority_at = d.due_at
    # The clock counts from zero: days added earlier for a payment wait no longer apply.
    d.payment_wait_days = 0
    return ["clock_started_at", "due_at", "priority_at", "payment_wait_days"]


def tell_applicant(dossier, event):
    """Outbox rows join this transaction; their delivery is enqueued on commit by notify(). `dossier`
    is what transition() returned: its move's event makes the notice unique."""
    notify_applicant(dossier, event, occurrence=dossier.last_event.pk)


@transaction.atomic
def dossier_accept(*, dossier: Dossier, actor, expected_stage=None, now=None) -> Dossier:
    """Form 01: the receipt; the clock starts and the appointment is set."""
    now = now or timezone.now()

    def received(d):
        d.received_at = now
        return ["received_at", *start_clock(d, now)]

    moved = transition(
        dossier=dossier, actor=actor, action=Action.ACCEPT, changes=received, expected_stage=expected_stage
    )
    tell_applicant(moved, "accepted")
    form_issue(dossier=moved, number="01", actor=actor)
    return moved


@transaction.atomic
def dossier_refuse(*, dossier: Dossier, actor, reason: str, expected_stage=None) -> Dossier:
    """Form 03: refused at the desk, with the reason."""
    reason = _required(reason, "reason", _("Nêu lý do từ chối tiếp nhận."))

    def refused(d):
        d.finished_at, d.result_note = timezone.now(), reason
        return ["finished_at", "result_note"]

    moved = transition(
        dossier=dossier, actor=actor, action=Action.REFUSE, note=reason, changes=refused, expected_stage=expected_stage
    )
    tell_applicant(moved, "refused")
    form_issue(dossier=moved, number="03", actor=actor)
    refunds_on_finish(moved, actor, _("Hồ sơ không được tiếp nhận."))
    return moved


def _next_step(dossier) -> str:
    if dossier.stage == Stage.CHECKING:
        return _("Nếu hồ sơ vẫn chưa đầy đủ, hãy từ chối tiếp nhận (Mẫu 03) và nêu lý do.")
    return _("Nếu hồ sơ vẫn chưa đủ điều kiện giải quyết, hãy trình lãnh đạo từ chối và nêu lý do.")


@transaction.atomic
def dossier_request_supplement(
    *, dossier: Dossier, actor, items: list[dict], note: str = "", expected_stage=None, now=None
) -> SupplementRequest:
    """Form 02: every missing item at once, each a component (by id) or a form field (by key) with a
    reason. During appraisal only within 3 working days of receipt."""
    now = now or timezone.now()
    if not items:
        raise ApplicationError(_("Liệt kê ít nhất một nội dung cần bổ sung."), field="items")
    current = lock(dossier)
    components = {c.id: c.name for c in current.version.components.all()}
    fields = {f.key: f.label_vi for f in current.version.fields.all()}
    clean = []
    for item in items:
        kind, ref = item.get("kind"), item.get("ref")
        reason = _required(item.get("reason", ""), "items", _("Mỗi nội dung cần bổ sung phải có lý do."))
        if kind == "component" and str(ref).isdigit() and int(ref) in components:
            clean.append({"kind": kind, "ref": int(ref), "label": components[int(ref)], "reason": reason})
        elif kind == "field" and ref in fields:
            clean.append({"kind": kind, "ref": ref, "label": fields[ref], "reason": reason})
        else:
            raise ApplicationError(_("Nội dung cần bổ sung không thuộc hồ sơ này."), field="items")
    earlier = supplement_already_requested(current)
    if earlier is not None:
        raise ActionNotAllowed(
            _(
                "Hồ sơ đã được yêu cầu bổ sung ở bước này ngày %(date)s. Mọi nội dung cần bổ sung phải được yêu cầu "
                "một lần đầy đủ, nên không gửi yêu cầu thứ hai. %(then)s"
            )
            % {"date": timezone.localtime(earlier.created_at).strftime("%d/%m/%Y"), "then": _next_step(current)},
            code="second_supplement",
        )
    if current.stage == Stage.APPRAISING and current.received_at:
        cal = calendar_for(current.agency)
        window_end = cal.add_working_days(
            timezone.localtime(current.received_at).date(), SUPPLEMENT_WINDOW_WORKING_DAYS
        )
        if timezone.localtime(now).date() > window_end:
            raise ActionNotAllowed(
                _("Đã quá 3 ngày làm việc kể từ khi tiếp nhận: không được yêu cầu bổ sung nữa."), code="too_late"
            )
    previous = current.stage
    moved = transition(
        dossier=current,
        actor=actor,
        action=Action.REQUEST_SUPPLEMENT,
        note=note,
        data={"items": clean},
        expected_stage=expected_stage,
    )
    request = SupplementRequest.objects.create(
        dossier=moved, requested_by=actor, items=clean, note=note, return_status=previous, created_at=now
    )
    tell_applicant(moved, "supplement")
    form_issue(dossier=moved, number="02", actor=actor, index=moved.supplements.count())
    return request


@transaction.atomic
def dossier_assign(*, dossier: Dossier, actor, assignee, expected_stage=None) -> Dossier:
    from portal.models import StaffMembership

    if assignee is None:
        raise ApplicationError(_("Chọn chuyên viên xử lý."), field="assignee")
    allowed_roles = [Role.SPECIALIST, Role.DESK_OFFICER] if assignee == actor else [Role.SPECIALIST]
    if not StaffMembership.objects.filter(user=assignee, agency_id=dossier.agency_id, role__in=allowed_roles).exists():
        raise ApplicationError(
            _("Người được phân công phải là chuyên viên của cơ quan giải quyết hồ sơ."), field="assignee"
        )

    def assigned(d):
        d.assignee = assignee
        return ["assignee"]

    moved = transition(
        dossier=dossier,
        actor=actor,
        action=Action.ASSIGN,
        changes=assigned,
        public=False,
        note=assignee.full_name,
        expected_stage=expected_stage,
    )
    if assignee != actor:
        notify_staff(moved, [assignee], "assigned", occurrence=moved.last_event.pk)
    return moved


def _only_assignee(dossier, actor):
    if dossier.assignee_id and dossier.assignee_id != actor.pk:
        raise ActionNotAllowed(_("Hồ sơ được phân công cho chuyên viên khác."), code="not_assignee")


@transaction.atomic
def dossier_appraise(*, dossier: Dossier, actor, note: str, result_file=None, expected_stage=None) -> Dossier:
    """The specialist's appraisal: notes, and optionally the drafted result document (staff only:
    the final one is the leader's, at approval)."""
    note = _required(note, "note", _("Nhập ý kiến thẩm định."))
    current = lock(dossier)
    _only_assignee(current, actor)
    if result_file is not None:
        from dossiers.services.uploads import attachment_add_result

        attachment_add_result(dossier=current, actor=actor, upload=result_file, final=False)

    def appraised(d):
        d.appraisal_note = note
        return ["appraisal_note"]

    return transition(
        dossier=current,
        actor=actor,
        action=Action.APPRAISE,
        note=note,
        public=False,
        changes=appraised,
        expected_stage=expected_stage,
    )


@transaction.atomic
def dossier_forward(*, dossier: Dossier, actor, tasks: list[tuple], expected_stage=None) -> Dossier:
    """Liên thông: parts sent to other agencies, each (agency, task, deadline date)."""
    if not tasks:
        raise ApplicationError(_("Chọn ít nhất một cơ quan phối hợp."), field="agency")
    current = lock(dossier)
    _only_assignee(current, actor)
    today = timezone.localdate()
    for agency, task, deadline in tasks:
        _required(task, "task", _("Nêu nội dung đề nghị cơ quan phối hợp."))
        if agency is None or agency.pk == current.agency_id:
            raise ApplicationError(_("Chọn một cơ quan phối hợp khác cơ quan giải quyết."), field="agency")
        if deadline is None or deadline < today:
            raise ApplicationError(_("Hạn trả lời phải từ hôm nay trở đi."), field="deadline")
    moved = transition(
        dossier=current,
        actor=actor,
        action=Action.FORWARD,
        public=True,
        note="; ".join(a.name for a, _t, _d in tasks),
        expected_stage=expected_stage,
    )
    now = timezone.now()
    InterAgencyTask.objects.bulk_create(
        [
            InterAgencyTask(dossier=moved, agency=a, task=t.strip(), deadline=d, sent_by=actor, sent_at=now)
            for a, t, d in tasks
        ]
    )
    return moved


@transaction.atomic
def dossier_record_reply(*, dossier: Dossier, actor, task: InterAgencyTask, reply: str) -> Dossier:
    """Record one agency's reply; with the last one the dossier returns to appraisal. The lead
    agency's specialist records any task's reply; staff of a consulted agency (its system, through an
    `exchange` token) only their own agency's."""
    reply = _required(reply, "reply", _("Nhập ý kiến trả lời của cơ quan phối hợp."))
    current = lock(dossier)
    task = InterAgencyTask.objects.select_for_update().select_related("agency").get(pk=task.pk)
    if task.dossier_id != current.pk or task.replied_at:
        raise ApplicationError(_("Việc phối hợp này không chờ trả lời."), code="conflict")
    if current.stage != Stage.WAITING_OTHER_AGENCY:
        raise ActionNotAllowed(_("Hồ sơ không ở bước chờ cơ quan phối hợp."), code="not_allowed")
    transition_allowed(current, actor, Action.RECORD_REPLY)
    if SPECIALIST not in selectors.roles_for(dossier=current, user=actor) and (
        selectors.consulted_task(dossier=current, user=actor, task_id=task.pk) is None
    ):
        raise ActionNotAllowed(_("Việc phối hợp này được gửi cho cơ quan khác."), code="forbidden")
    note = f"{task.agency.name}: {reply}"
    if current.agency_tasks.filter(replied_at__isnull=True).exclude(pk=task.pk).exists():
        from dossiers.services.events import event_append

        event_append(
            dossier=current,
            actor=actor,
            action=Action.RECORD_REPLY,
            from_status=current.status,
            note=note,
            public=False,
        )
    else:
        # The last reply: the move is checked while the task is still open (a consulted agency's
        # role rests on its open task).
        current = transition(dossier=current, actor=actor, action=Action.RECORD_REPLY, note=note, public=False)
    task.reply, task.replied_at = reply, timezone.now()
    task.save(update_fields=["reply", "replied_at"])
    return current


@transaction.atomic
def dossier_submit_for_approval(*, dossier: Dossier, actor, expected_stage=None) -> Dossier:
    current = lock(dossier)
    _only_assignee(current, actor)
    if not current.appraisal_note:
        raise ApplicationError(_("Ghi ý kiến thẩm định trước khi trình phê duyệt."), field="note")
    return transition(
        dossier=current, actor=actor, action=Action.SUBMIT_FOR_APPROVAL, public=False, expected_stage=expected_stage
    )


def _finish(outcome, result_note=""):
    def finished(d):
        d.outcome, d.finished_at = outcome, timezone.now()
        fields = ["outcome", "finished_at"]
        if result_note:
            d.result_note = result_note
            fields.append("result_note")
        return fields

    return finished


def _has_final_result(dossier) -> bool:
    return dossier.attachments.filter(is_result=True, is_current=True).exists()


def _add_final_result(dossier, actor, upload, *, leader: bool) -> None:
    """The final result, kept as an issued document: the leader's approval signs it in their name
    (a file signed elsewhere keeps its own signature, checked here); the desk's scan of a paper
    result is kept unsigned."""
    from dossiers.services.uploads import attachment_add_result

    attachment = attachment_add_result(dossier=dossier, actor=actor, upload=upload, final=True)
    if Role.LEADER in selectors.roles_for(dossier=dossier, user=actor):
        signer = _("%(name)s, Lãnh đạo %(agency)s") % {"name": actor.full_name, "agency": dossier.agency.name}
    else:  # a desk officer settling a same-day procedure on the spot
        signer = _("%(name)s, %(agency)s") % {"name": actor.full_name, "agency": dossier.agency.name}
    result_issue(attachment=attachment, actor=actor, signer_name=signer if leader else "")


@transaction.atomic
def dossier_approve(*, dossier: Dossier, actor, result_file=None, expected_stage=None) -> Dossier:
    """The leader grants the dossier. A procedure whose result is a document needs its final file
    here when the citizen chose the electronic result; a paper result is scanned at its return."""
    current = lock(dossier)
    if result_file is not None:
        transition_allowed(current, actor, Action.APPROVE, expected_stage)
        _add_final_result(current, actor, result_file, leader=True)
    if current.version.result_document and current.delivery == Delivery.ONLINE and not _has_final_result(current):
        raise ApplicationError(
            _(
                "Người dân nhận kết quả điện tử: tải lên văn bản kết quả chính thức (đã ký) khi phê duyệt. "
                "Dự thảo của chuyên viên không được gửi cho người dân."
            ),
            field="result_file",
            code="result_missing",
        )
    moved = transition(
        dossier=dossier,
        actor=actor,
        action=Action.APPROVE,
        changes=_finish(Outcome.GRANTED),
        expected_stage=expected_stage,
    )
    tell_applicant(moved, "result_ready")
    return moved


@transaction.atomic
def dossier_return_for_rework(*, dossier: Dossier, actor, reason: str, expected_stage=None) -> Dossier:
    reason = _required(reason, "reason", _("Nêu lý do trả lại để xử lý lại."))
    return transition(
        dossier=dossier,
        actor=actor,
        action=Action.RETURN_FOR_REWORK,
        note=reason,
        public=False,
        expected_stage=expected_stage,
    )


@transaction.atomic
def dossier_refuse_after_appraisal(*, dossier: Dossier, actor, reason: str, expected_stage=None) -> Dossier:
    """A reasoned refusal letter is the result."""
    reason = _required(reason, "reason", _("Nêu lý do từ chối giải quyết (sẽ ghi trong văn bản trả lời)."))
    moved = transition(
        dossier=dossier,
        actor=actor,
        action=Action.REFUSE_AFTER_APPRAISAL,
        note=reason,
        changes=_finish(Outcome.REFUSED, reason),
        expected_stage=expected_stage,
    )
    tell_applicant(moved, "result_ready")
    refunds_on_finish(moved, actor, _("Hồ sơ bị từ chối giải quyết."))
    return moved


@transaction.atomic
def dossier_return_result(*, dossier: Dossier, actor, how: str, result_file=None, expected_stage=None) -> Dossier:
    """The desk hands the result over. A granted document result is kept in the dossier: the desk
    uploads the scan of a paper result that has no file yet."""
    how = _required(how, "how", _("Ghi cách trả kết quả (ví dụ: trao tận tay, số vận đơn bưu chính)."))
    current = lock(dossier)
    if result_file is not None:
        transition_allowed(current, actor, Action.RETURN_RESULT, expected_stage)
        _add_final_result(current, actor, result_file, leader=False)
    needs_file = current.version.result_document and current.outcome == Outcome.GRANTED
    if needs_file and not _has_final_result(current):
        raise ApplicationError(
            _("Tải lên bản chụp văn bản kết quả đã ký để lưu vào hồ sơ và gửi cho người dân trước khi trả kết quả."),
            field="result_file",
            code="result_missing",
        )

    def returned(d):
        d.returned_at, d.returned_via = timezone.now(), how
        return ["returned_at", "returned_via"]

    moved = transition(
        dossier=dossier,
        actor=actor,
        action=Action.RETURN_RESULT,
        note=how,
        changes=returned,
        expected_stage=expected_stage,
    )
    tell_applicant(moved, "returned")
    return moved


@transaction.atomic
def dossier_confirm_withdrawal(*, dossier: Dossier, actor, expected_stage=None) -> Dossier:
    def stopped(d):
        d.finished_at = timezone.now()
        return ["finished_at"]

    moved = transition(
        dossier=dossier, actor=actor, action=Action.CONFIRM_WITHDRAWAL, changes=stopped, expected_stage=expected_stage
    )
    tell_applicant(moved, "stopped")
    refunds_on_finish(moved, actor, _("Người dân rút hồ sơ."))
    return moved


@transaction.atomic
def dossier_stop(*, dossier: Dossier, actor, reason: str, expected_stage=None) -> Dossier:
    """The agency stops a dossier it cannot go on with ("Dừng xử lý"), by a leader's written notice
    with the reason; the citizen is told. A citizen's withdrawal is dossier_confirm_withdrawal."""
    reason = _required(reason, "reason", _("Nêu lý do dừng xử lý (sẽ ghi trong thông báo gửi người dân)."))

    def stopped(d):
        d.finished_at, d.result_note = timezone.now(), reason
        return ["finished_at", "result_note"]

    moved = transition(
        dossier=dossier,
        actor=actor,
        action=Action.STOP_PROCESSING,
        note=reason,
        changes=stopped,
        expected_stage=expected_stage,
    )
    tell_applicant(moved, "stopped_by_agency")
    form_issue(dossier=moved, number="stop", actor=actor)
    refunds_on_finish(moved, actor, _("Cơ quan dừng xử lý hồ sơ."))
    return moved


def _extension_dates(current, new_date, now):
    """The rules of Form 04 (once, at the latest one working day before the appointment, to a later
    working day): (previous due, new due) or a refusal."""
    if ExtensionLetter.objects.filter(dossier=current).exists():
        raise ActionNotAllowed(
            _("Hồ sơ đã được hẹn lại một lần; không được gia hạn lần thứ hai."), code="second_extension"
        )
    cal = calendar_for(current.agency)
    if current.due_at is None:
        raise ActionNotAllowed(_("Hồ sơ chưa có ngày hẹn trả."), code="no_due")
    if timezone.localtime(now).date() > deadlines.last_day_for_extension(cal, current.due_at):
        raise ActionNotAllowed(
            _("Đã quá thời điểm được phát hành phiếu hẹn lại (chậm nhất 1 ngày làm việc trước ngày hẹn trả)."),
            code="too_late",
        )
    if new_date is None or new_date <= timezone.localtime(current.due_at).date():
        raise ApplicationError(
            _("Ngày hẹn mới phải sau ngày hẹn cũ (%(due)s).")
            % {"due": timezone.localtime(current.due_at).strftime("%d/%m/%Y")},
            field="new_date",
        )
    if not cal.is_working_day(new_date):
        raise ApplicationError(_("Ngày hẹn mới phải là ngày làm việc."), field="new_date")
    return current.due_at, deadlines.end_of_day(cal, new_date)


@transaction.atomic
def dossier_draft_extension(*, dossier: Dossier, actor, new_date: dt.date, reason: str, now=None) -> Dossier:
    """A specialist drafts Form 04 (new date and reason) for a leader to issue; nothing changes for
    the citizen until then. The latest draft is what the leader's form starts from."""
    now = now or timezone.now()
    reason = _required(reason, "reason", _("Nêu lý do chậm giải quyết."))
    current = lock(dossier)
    _extension_dates(current, new_date, now)
    return transition(
        dossier=current,
        actor=actor,
        action=Action.DRAFT_EXTENSION,
        note=reason,
        public=False,
        data={"new_date": new_date.isoformat(), "reason": reason},
    )


@transaction.atomic
def dossier_issue_extension(*, dossier: Dossier, actor, new_date: dt.date, reason: str, now=None) -> ExtensionLetter:
    """Form 04, issued by a leader: once per dossier, at the latest one working day before the
    appointment; the new date becomes the appointment and the citizen is told."""
    now = now or timezone.now()
    reason = _required(reason, "reason", _("Nêu lý do chậm giải quyết."))
    current = lock(dossier)
    previous_due, new_due = _extension_dates(current, new_date, now)
    draft = selectors.extension_draft(current)

    def extended(d):
        d.due_at = d.priority_at = new_due
        return ["due_at", "priority_at"]

    moved = transition(
        dossier=current,
        actor=actor,
        action=Action.ISSUE_EXTENSION,
        note=reason,
        changes=extended,
        data={"previous_due_at": previous_due.isoformat(), "new_due_at": new_due.isoformat()},
    )
    letter = ExtensionLetter.objects.create(
        dossier=moved,
        issued_by=actor,
        drafted_by=draft.actor if draft else None,
        previous_due_at=previous_due,
        new_due_at=new_due,
        reason=reason,
        created_at=now,
    )
    tell_applicant(moved, "extended")
    form_issue(dossier=moved, number="04", actor=actor)
    return letter


def dossier_act(*, action: str, dossier: Dossier, actor, data: dict):
    """Run one staff action with its form's cleaned data (dossiers.desk_forms): the desk page and the
    API call this, so both go through the same services and transition table."""
    stage = data.get("expected_stage")
    common = {"dossier": dossier, "actor": actor}
    if action == Action.ACCEPT:
        return dossier_accept(**common, expected_stage=stage)
    if action == Action.REFUSE:
        return dossier_refuse(**common, reason=data["reason"], expected_stage=stage)
    if action == Action.ASSIGN:
        return dossier_assign(**common, assignee=data["assignee"], expected_stage=stage)
    if action == Action.APPRAISE:
        return dossier_appraise(**common, note=data["note"], result_file=data.get("result_file"), expected_stage=stage)
    if action == Action.FORWARD:
        return dossier_forward(**common, tasks=[(data["agency"], data["task"], data["deadline"])], expected_stage=stage)
    if action == Action.RECORD_REPLY:
        task = next((t for t in dossier.agency_tasks.all() if t.pk == data["task"]), None)
        if task is None:
            raise ApplicationError(_("Việc phối hợp không thuộc hồ sơ này."))
        return dossier_record_reply(**common, task=task, reply=data["reply"])
    if action == Action.SUBMIT_FOR_APPROVAL:
        return dossier_submit_for_approval(**common, expected_stage=stage)
    if action == Action.APPROVE:
        return dossier_approve(**common, result_file=data.get("result_file"), expected_stage=stage)
    if action == Action.RETURN_FOR_REWORK:
        return dossier_return_for_rework(**common, reason=data["reason"], expected_stage=stage)
    if action == Action.REFUSE_AFTER_APPRAISAL:
        return dossier_refuse_after_appraisal(**common, reason=data["reason"], expected_stage=stage)
    if action == Action.RETURN_RESULT:
        return dossier_return_result(
            **common, how=data["how"], result_file=data.get("result_file"), expected_stage=stage
        )
    if action == Action.CONFIRM_WITHDRAWAL:
        return dossier_confirm_withdrawal(**common, expected_stage=stage)
    if action == Action.STOP_PROCESSING:
        return dossier_stop(**common, reason=data["reason"], expected_stage=stage)
    if action == Action.REQUEST_PAYMENT:
        return payment_request(
            **common, exemption_ids=data.get("exemptions") or (), fee_ids=data.get("fees"), expected_stage=stage
        )
    if action == Action.RECORD_PAYMENT:
        return payment_record_cash(**common, amount=data["amount"], expected_stage=stage)
    if action == Action.DRAFT_EXTENSION:
        return dossier_draft_extension(**common, new_date=data["new_date"], reason=data["reason"])
    if action == Action.ISSUE_EXTENSION:
        return dossier_issue_extension(**common, new_date=data["new_date"], reason=data["reason"])
    raise ActionNotAllowed(_("Không có thao tác này."), code="not_allowed")
