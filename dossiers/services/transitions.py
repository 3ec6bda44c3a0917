"""The one way a dossier changes status: lock the row, check the move in the transition table,
apply the change, save with update_fields, append one event."""

from django.db import transaction
from django.utils.translation import gettext as _

from dossiers.exceptions import ActionNotAllowed
from dossiers.models import Dossier
from dossiers.selectors import roles_for
from dossiers.services.events import event_append
from dossiers.workflow import RETURN_FROM_SUPPLEMENT, TRANSITIONS


def lock(dossier: Dossier) -> Dossier:
    return Dossier.objects.select_for_update().select_related("version", "agency").get(pk=dossier.pk)


def transition(*, dossier: Dossier, actor, action: str, note: str = "", public: bool = True, data=None,
               changes=None, return_status: str | None = None, expected_status: str | None = None) -> Dossier:
    """Move `dossier` by `action`. `changes(dossier)` sets other fields and returns their names.
    `expected_status` is the status the user saw: if it changed meanwhile, the move is refused."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("transition() must run inside transaction.atomic")
    current = lock(dossier)
    if expected_status is not None and current.status != expected_status:
        from dossiers.exceptions import DossierChanged

        raise DossierChanged(_("Hồ sơ vừa được người khác cập nhật (trạng thái hiện tại: %(s)s). Hãy tải lại "
                               "trang và kiểm tra trước khi thao tác.") % {"s": current.get_status_display()},
                             code="changed")
    move = TRANSITIONS.get((current.status, action))
    if move is None:
        raise ActionNotAllowed(_("Không thể thực hiện thao tác này khi hồ sơ ở trạng thái “%(s)s”.")
                               % {"s": current.get_status_display()}, code="not_allowed")
    if not move.roles & roles_for(dossier=current, user=actor):
        raise ActionNotAllowed(_("Bạn không có quyền thực hiện thao tác này với hồ sơ."), code="forbidden")
    target = return_status if move.target == RETURN_FROM_SUPPLEMENT else move.target
    if not target:
        raise ActionNotAllowed(_("Không xác định được trạng thái tiếp theo của hồ sơ."), code="no_target")
    fields = list(changes(current) or []) if changes else []
    previous = current.status
    current.status = target
    current.full_clean(exclude=["answers", "applicant_snapshot"], validate_unique=False)
    current.save(update_fields=["status", "updated_at", *fields])
    event_append(dossier=current, actor=actor, action=action, from_status=previous, to_status=target, note=note,
                 public=public, data=data)
    return current
