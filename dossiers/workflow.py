"""The one transition table: stage x action -> new stage, and who may take the action.

Services check every move here; views ask `allowed_actions` which forms and buttons to offer, so
the pages and the rules cannot drift apart. OWNER is the dossier's applicant or filer; staff roles
come from StaffMembership rows in the dossier's agency. Each stage belongs to one public status
(constants.STAGE_STATUS)."""

from dataclasses import dataclass

from dossiers.constants import Action
from dossiers.constants import Stage as S

OWNER = "owner"
DESK_OFFICER, SPECIALIST, LEADER = "desk_officer", "specialist", "leader"
# A desk officer handling a same-day procedure "4 tại chỗ": receive, appraise, approve and return
# in one sitting. selectors.roles_for grants it; every step is still recorded.
ON_THE_SPOT = "on_the_spot"
# Staff of an agency asked for its opinion (liên thông) while its task is open: it may record its own
# reply (through its system's `exchange` token, docs/api.md). selectors.roles_for grants it.
CONSULTED = "consulted_agency"
# The portal itself, acting on a fact it was told rather than on a person's click: a gateway's
# signed notice or a bank statement line that a payment arrived, a procedure that asks for its fee
# on submission. transition() gives this role to `actor=None` and to nobody else.
SYSTEM = "system"
# Resolved at run time: where the dossier was before a supplement request or a withdrawal request.
BACK = "__back__"


@dataclass(frozen=True)
class Move:
    target: str
    roles: frozenset


def _move(target, *roles):
    return Move(target, frozenset(roles))


WITHDRAWABLE = [
    S.CHECKING,
    S.INTAKE_SUPPLEMENT,
    S.RECEIVED,
    S.APPRAISING,
    S.WAITING_OTHER_AGENCY,
    S.AWAITING_APPROVAL,
    S.PROCESSING_SUPPLEMENT,
    S.AWAITING_PAYMENT,
]
# The agency stops a dossier it cannot go on with (a written notice with the reason), apart from a
# citizen's withdrawal; a leader issues the notice. A fee never paid is such a case.
# Every stage a citizen may withdraw from once the dossier is received (not while the desk checks it).
STOPPABLE = [s for s in WITHDRAWABLE if s not in (S.CHECKING, S.INTAKE_SUPPLEMENT)]
EXTENDABLE = [S.RECEIVED, S.APPRAISING, S.WAITING_OTHER_AGENCY, S.AWAITING_APPROVAL]

TRANSITIONS: dict[tuple[str, str], Move] = {
    # Citizen
    (S.DRAFT, Action.SUBMIT): _move(S.CHECKING, OWNER),
    (S.INTAKE_SUPPLEMENT, Action.SUBMIT_SUPPLEMENT): _move(S.CHECKING, OWNER),
    (S.PROCESSING_SUPPLEMENT, Action.SUBMIT_SUPPLEMENT): _move(S.APPRAISING, OWNER),
    **{(stage, Action.REQUEST_WITHDRAWAL): _move(S.WITHDRAWAL_REQUESTED, OWNER) for stage in WITHDRAWABLE},
    # Desk: exactly one of supplement, refuse, accept for a dossier being checked
    (S.DRAFT, Action.RECEIVE_AT_COUNTER): _move(S.RECEIVED, DESK_OFFICER),
    (S.CHECKING, Action.ACCEPT): _move(S.RECEIVED, DESK_OFFICER),
    (S.CHECKING, Action.REQUEST_SUPPLEMENT): _move(S.INTAKE_SUPPLEMENT, DESK_OFFICER),
    (S.CHECKING, Action.REFUSE): _move(S.NOT_RECEIVED, DESK_OFFICER),
    (S.WITHDRAWAL_REQUESTED, Action.CONFIRM_WITHDRAWAL): _move(S.STOPPED, DESK_OFFICER, LEADER),
    (S.RESULT_READY, Action.RETURN_RESULT): _move(S.RETURNED, DESK_OFFICER),
    # Back office
    (S.RECEIVED, Action.ASSIGN): _move(S.APPRAISING, LEADER, ON_THE_SPOT),
    (S.APPRAISING, Action.ASSIGN): _move(S.APPRAISING, LEADER),
    (S.APPRAISING, Action.REQUEST_SUPPLEMENT): _move(S.PROCESSING_SUPPLEMENT, SPECIALIST),
    (S.APPRAISING, Action.APPRAISE): _move(S.APPRAISING, SPECIALIST, ON_THE_SPOT),
    (S.APPRAISING, Action.FORWARD): _move(S.WAITING_OTHER_AGENCY, SPECIALIST),
    (S.WAITING_OTHER_AGENCY, Action.RECORD_REPLY): _move(S.APPRAISING, SPECIALIST, CONSULTED),
    (S.APPRAISING, Action.SUBMIT_FOR_APPROVAL): _move(S.AWAITING_APPROVAL, SPECIALIST, ON_THE_SPOT),
    (S.AWAITING_APPROVAL, Action.APPROVE): _move(S.RESULT_READY, LEADER, ON_THE_SPOT),
    (S.AWAITING_APPROVAL, Action.RETURN_FOR_REWORK): _move(S.APPRAISING, LEADER),
    (S.AWAITING_APPROVAL, Action.REFUSE_AFTER_APPRAISAL): _move(S.RESULT_READY, LEADER),
    # Form 04 is the agency's apology: a specialist may draft it, a leader issues it.
    **{(stage, Action.DRAFT_EXTENSION): _move(stage, SPECIALIST) for stage in EXTENDABLE},
    **{(stage, Action.ISSUE_EXTENSION): _move(stage, LEADER) for stage in EXTENDABLE},
    **{(stage, Action.STOP_PROCESSING): _move(S.STOPPED, LEADER) for stage in STOPPABLE},
    # Fees (status 6): asked on submission (before the desk checks) or on receipt at the counter by
    # the portal, after appraisal by the specialist or the leader; paid online or by transfer (the
    # portal is told) or in cash at the desk, the dossier goes back to where it waited.
    (S.CHECKING, Action.REQUEST_PAYMENT): _move(S.AWAITING_PAYMENT, SYSTEM),
    (S.RECEIVED, Action.REQUEST_PAYMENT): _move(S.AWAITING_PAYMENT, SYSTEM),
    (S.APPRAISING, Action.REQUEST_PAYMENT): _move(S.AWAITING_PAYMENT, SPECIALIST),
    (S.AWAITING_APPROVAL, Action.REQUEST_PAYMENT): _move(S.AWAITING_PAYMENT, LEADER),
    (S.AWAITING_PAYMENT, Action.PAY): _move(BACK, SYSTEM),
    (S.AWAITING_PAYMENT, Action.RECORD_PAYMENT): _move(BACK, DESK_OFFICER),
    # Rating leaves the stage as it is
    (S.RESULT_READY, Action.RATE): _move(S.RESULT_READY, OWNER),
    (S.RETURNED, Action.RATE): _move(S.RETURNED, OWNER),
}

# Actions a citizen takes on the citizen pages; the rest are staff actions on the desk pages.
CITIZEN_ACTIONS = {Action.SUBMIT, Action.SUBMIT_SUPPLEMENT, Action.REQUEST_WITHDRAWAL, Action.RATE}


class TransitionNotAllowed(Exception):
    pass


def move_for(stage: str, action: str) -> Move:
    move = TRANSITIONS.get((stage, action))
    if move is None:
        raise TransitionNotAllowed(f"{action} is not allowed from {stage}")
    return move


def allowed_actions(stage: str, roles: set[str]) -> list[str]:
    """The actions someone with `roles` may take on a dossier in `stage`, in table order."""
    return [action for (s, action), move in TRANSITIONS.items() if s == stage and move.roles & roles]


def may(stage: str, action: str, roles: set[str]) -> bool:
    return action in allowed_actions(stage, roles)
