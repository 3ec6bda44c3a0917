"""The one way a dossier changes stage: lock the row, check the move in the transition table,
apply the change, save with update_fields, append one hash-chained event."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from dossiers.constants import STAGE_STATUS, Action
from dossiers.exceptions import ActionNotAllowed, DossierChanged
from dossiers.models import Dossier, DossierEvent
from dossiers.queues import counter_cell
from dossiers.selectors import roles_for
from dossiers.services.counters import counters_move
from dossiers.services.events import event_append
from dossiers.services.figures import figures_refresh
from dossiers.workflow import BACK, ON_THE_SPOT, OWNER, SYSTEM, TRANSITIONS

# full_clean() would read each related row to check it exists (five queries a move); the database's
# foreign keys refuse a missing one anyway.
_NOT_CLEANED = ["answers", "applicant_snapshot", *(f.name for f in Dossier._meta.concrete_fields if f.is_relation)]


def lock(dossier: Dossier) -> Dossier:
    return Dossier.objects.select_for_update(of=("self",)).select_related("version", "agency").get(pk=dossier.pk)


OWN_DOSSIER_MESSAGE = _lazy(
    "Bạn là người yêu cầu hoặc người nộp hồ sơ này nên không được xử lý hồ sơ với vai trò cán bộ. "
    "Hãy chuyển hồ sơ cho một đồng nghiệp."
)
# Separation of duties: whoever appraised a dossier (or sent it for approval) does not approve or
# refuse it, even holding both roles. A same-day procedure's desk officer ("4 tại chỗ",
# workflow.ON_THE_SPOT) is the exception the law makes; every step is still recorded.
APPROVALS = {Action.APPROVE, Action.REFUSE_AFTER_APPRAISAL}
APPRAISALS = {Action.APPRAISE, Action.SUBMIT_FOR_APPROVAL}


def _appraised_by(dossier: Dossier, actor) -> bool:
    return DossierEvent.objects.filter(dossier=dossier, actor=actor, action__in=APPRAISALS).exists()


def transition_allowed(current: Dossier, actor, action: str, expected_stage: str | None = None):
    """Raise the refusal transition() would give, without moving: for services that store
    something (a result file) before the move and must not store it for someone refused."""
    if expected_stage is not None and current.stage != expected_stage:
        raise DossierChanged(
            _(
                "Hồ sơ vừa được người khác cập nhật (hiện ở bước “%(s)s”). Hãy tải lại trang và "
                "kiểm tra trước khi thao tác."
            )
            % {"s": current.get_stage_display()},
            code="changed",
        )
    move = TRANSITIONS.get((current.stage, action))
    if move is None:
        raise ActionNotAllowed(
            _("Không thể thực hiện thao tác này khi hồ sơ ở trạng thái “%(s)s”.") % {"s": current.get_status_display()},
            code="not_allowed",
        )
    roles = {SYSTEM} if actor is None else roles_for(dossier=current, user=actor)
    if not move.roles & roles:
        if OWNER in roles and move.roles - {OWNER}:
            raise ActionNotAllowed(str(OWN_DOSSIER_MESSAGE), code="own_dossier")
        raise ActionNotAllowed(_("Bạn không có quyền thực hiện thao tác này với hồ sơ."), code="forbidden")
    if action in APPROVALS and ON_THE_SPOT not in roles and _appraised_by(current, actor):
        raise ActionNotAllowed(
            _("Bạn đã thẩm định hồ sơ này nên không được phê duyệt nó. Hồ sơ cần một lãnh đạo khác phê duyệt."),
            code="appraised_by_you",
        )
    return move


def transition(
    *,
    dossier: Dossier,
    actor,
    action: str,
    note: str = "",
    public: bool = True,
    data=None,
    changes=None,
    expected_stage: str | None = None,
) -> Dossier:
    """Move `dossier` by `action`. `changes(dossier)` sets other fields and returns their names.
    `expected_stage` is the stage the user saw: if someone moved the dossier meanwhile, the move is
    refused with a clear message instead of acting on a state the user never saw."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("transition() must run inside transaction.atomic")
    current = lock(dossier)
    move = transition_allowed(current, actor, action, expected_stage)
    target = current.previous_stage if move.target == BACK else move.target
    cell_before = counter_cell(current)
    previous_status, previous_stage = current.status, current.stage
    fields = list(changes(current) or []) if changes else []
    if target != previous_stage:
        current.previous_stage, current.stage_entered_at = previous_stage, timezone.now()
        fields += ["previous_stage", "stage_entered_at"]
    current.stage, current.status = target, STAGE_STATUS[target]
    current.full_clean(exclude=_NOT_CLEANED, validate_unique=False, validate_constraints=False)
    current.save(update_fields=sorted({"stage", "status", "updated_at", *fields}))
    counters_move(before=cell_before, after=counter_cell(current))
    # The move's event names this occurrence: notifications key on it, so a second request of the
    # same kind is a new notification and a retried one is not.
    current.last_event = event_append(
        dossier=current,
        actor=actor,
        action=action,
        from_status=previous_status,
        to_status=current.status,
        note=note,
        public=public,
        data={**(data or {}), "from_stage": previous_stage, "to_stage": target},
    )
    figures_refresh(current)
    return current
