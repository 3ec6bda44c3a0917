"""The one transition table: status x action -> new status, and who may take the action.

Services check every move here; views and templates ask `allowed_actions` which buttons to show.
"Owner" is the dossier's applicant or filer; staff roles come from StaffMembership in the
dossier's agency. The desk and back-office actions are added by the desk issue."""

from dataclasses import dataclass

from dossiers.constants import Action, Status

OWNER = "owner"
DESK_OFFICER, SPECIALIST, LEADER = "desk_officer", "specialist", "leader"
# Target resolved at run time: back to where the dossier was when the supplement was requested.
RETURN_FROM_SUPPLEMENT = "__return_from_supplement__"


@dataclass(frozen=True)
class Move:
    target: str
    roles: frozenset


def _move(target, *roles):
    return Move(target, frozenset(roles))


WITHDRAWABLE = [Status.NEW, Status.RECEIVED, Status.PROCESSING, Status.SUPPLEMENT_REQUESTED, Status.AWAITING_PAYMENT]

TRANSITIONS: dict[tuple[str, str], Move] = {
    (Status.DRAFT, Action.SUBMIT): _move(Status.NEW, OWNER),
    (Status.NEW, Action.REQUEST_SUPPLEMENT): _move(Status.SUPPLEMENT_REQUESTED, DESK_OFFICER),
    (Status.RECEIVED, Action.REQUEST_SUPPLEMENT): _move(Status.SUPPLEMENT_REQUESTED, SPECIALIST),
    (Status.PROCESSING, Action.REQUEST_SUPPLEMENT): _move(Status.SUPPLEMENT_REQUESTED, SPECIALIST),
    (Status.SUPPLEMENT_REQUESTED, Action.SUBMIT_SUPPLEMENT): _move(RETURN_FROM_SUPPLEMENT, OWNER),
    **{(status, Action.REQUEST_WITHDRAWAL): _move(Status.WITHDRAWAL_REQUESTED, OWNER) for status in WITHDRAWABLE},
}

# Actions that leave the status as it is but are still offered by the table.
STATIONARY = {
    (Status.RESULT_READY, Action.RATE): frozenset({OWNER}),
    (Status.RETURNED, Action.RATE): frozenset({OWNER}),
}


class TransitionNotAllowed(Exception):
    pass


def move_for(status: str, action: str) -> Move:
    move = TRANSITIONS.get((status, action))
    if move is None:
        raise TransitionNotAllowed(f"{action} is not allowed from {status}")
    return move


def allowed_actions(status: str, roles: set[str]) -> list[str]:
    """The actions someone with `roles` may take on a dossier in `status`, in table order."""
    actions = [action for (s, action), move in TRANSITIONS.items() if s == status and move.roles & roles]
    actions += [action for (s, action), who in STATIONARY.items() if s == status and who & roles]
    return actions


def may(status: str, action: str, roles: set[str]) -> bool:
    return action in allowed_actions(status, roles)
