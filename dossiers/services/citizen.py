"""The citizen's actions on a filed dossier: answer a supplement request, ask to withdraw, rate."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers.constants import Action, Stage, Status
from dossiers.exceptions import ActionNotAllowed
from dossiers.models import Dossier, Rating
from dossiers.selectors import open_supplement, roles_for
from dossiers.services.events import event_append
from dossiers.services.figures import figures_refresh
from dossiers.services.transitions import lock, transition
from dossiers.workflow import OWNER, may
from portal.exceptions import ApplicationError
from procedures.forms import build_answer_form


@transaction.atomic
def dossier_save_supplement_answers(*, dossier: Dossier, actor, raw: dict) -> Dossier:
    current = lock(dossier)
    request = open_supplement(current)
    if (
        current.status != Status.SUPPLEMENT_REQUESTED
        or request is None
        or OWNER not in roles_for(dossier=current, user=actor)
    ):
        raise ActionNotAllowed(_("Hồ sơ không ở trạng thái chờ bổ sung."), code="not_allowed")
    extra = set(raw) - request.field_keys()
    if extra:
        raise ApplicationError(_("Chỉ được sửa các nội dung được yêu cầu bổ sung."), code="tampered")
    current.answers = {**current.answers, **raw}
    current.save(update_fields=["answers", "updated_at"])
    return current


@transaction.atomic
def dossier_submit_supplement(*, dossier: Dossier, actor) -> Dossier:
    """Send the supplement back: every requested component has a file added after the request and
    every requested field is valid. The dossier returns to where it was."""
    current = lock(dossier)
    request = open_supplement(current)
    if request is None:
        raise ActionNotAllowed(_("Hồ sơ không có yêu cầu bổ sung nào đang chờ."), code="not_allowed")
    missing = []
    fresh = {a.component_id for a in current.attachments.filter(is_current=True, created_at__gte=request.created_at)}
    for item in request.items:
        if item["kind"] == "component" and int(item["ref"]) not in fresh:
            missing.append(_("Chưa đính kèm giấy tờ mới: %(label)s") % {"label": item.get("label", "")})
    keys = request.field_keys()
    if keys:
        definitions = [f for f in current.version.fields.all() if f.key in keys]
        form = build_answer_form(definitions, data={f"f_{k}": current.answers.get(k) for k in keys})
        if not form.is_valid():
            missing += [" ".join(e) for e in form.errors.values()]
        else:
            current.answers = {**current.answers, **form.answers()}
    if missing:
        raise ApplicationError(" ".join(missing), code="incomplete")

    restart = current.stage == Stage.PROCESSING_SUPPLEMENT

    def answered(d):
        d.answers = current.answers
        # During appraisal the clock restarts from zero when the complete dossier comes back.
        return ["answers", *(_restart_clock(d) if restart else [])]

    moved = transition(dossier=current, actor=actor, action=Action.SUBMIT_SUPPLEMENT, changes=answered)
    # The files sent for a document asked for replace the earlier ones of that document (the request
    # said they were wrong); the history keeps them, and the desk page lists what was replaced.
    asked = request.component_ids()
    if asked:
        current.attachments.filter(component_id__in=asked, is_current=True, created_at__lt=request.created_at).update(
            is_current=False, superseded_at=timezone.now()
        )
    request.responded_at = timezone.now()
    request.save(update_fields=["responded_at"])
    _tell_staff_supplemented(moved, request)
    return moved


def _tell_staff_supplemented(dossier, request) -> None:
    """The assignee if there is one, else the officer who asked."""
    from dossiers.notify import notify_staff

    notify_staff(dossier, [dossier.assignee or request.requested_by], "supplemented", occurrence=dossier.last_event.pk)


def _restart_clock(d) -> list[str]:
    from dossiers.services.desk import start_clock

    return start_clock(d, timezone.now())


@transaction.atomic
def dossier_request_withdrawal(*, dossier: Dossier, actor, reason: str) -> Dossier:
    if not reason.strip():
        raise ApplicationError(_("Vui lòng nêu lý do rút hồ sơ."), field="reason")
    return transition(dossier=dossier, actor=actor, action=Action.REQUEST_WITHDRAWAL, note=reason.strip())


@transaction.atomic
def dossier_rate(*, dossier: Dossier, actor, **scores) -> Rating:
    current = lock(dossier)
    if current.status not in (Status.RESULT_READY, Status.RETURNED):
        raise ActionNotAllowed(_("Chỉ đánh giá được hồ sơ đã có kết quả."), code="not_finished")
    if not may(current.stage, Action.RATE, roles_for(dossier=current, user=actor)):
        raise ActionNotAllowed(_("Bạn không có quyền đánh giá hồ sơ này."), code="forbidden")
    rating = Rating(dossier=current, rated_by=actor, **scores)
    try:
        rating.full_clean(exclude=["dossier"])
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise ApplicationError(" ".join(messages), field=None if field == "__all__" else field) from exc
    try:
        with transaction.atomic():
            rating.save()
    except IntegrityError as exc:
        raise ActionNotAllowed(_("Hồ sơ này đã được đánh giá."), code="already_rated") from exc
    event_append(
        dossier=current,
        actor=actor,
        action=Action.RATE,
        from_status=current.status,
        note=rating.get_overall_display(),
        public=False,
    )
    figures_refresh(current)
    return rating
