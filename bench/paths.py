"""The lifecycle behind each generated dossier: for its final stage (and a variant, and whether it was filed
online or at the counter) the events it went through, in order, with who acted and when. bench/generate.py
joins its plan of dossiers to these steps in one INSERT per table.

A step's time is `a + (b - a) * frac` between two of the dossier's own moments (created, submitted,
received, entered = when it reached its current stage, finished, returned), so every event falls between
the dossier's timestamps. A request for a supplement has its answer time too when the path answers it."""

from dossiers.constants import STAGE_STATUS

ONLINE_START = [
    ("create", "", "draft", "owner", "created", "created", 0, False),
    ("submit", "draft", "checking", "owner", "submitted", "submitted", 0, True),
]
COUNTER_START = [
    ("create", "", "draft", "officer", "created", "created", 0, False),
    ("receive_at_counter", "draft", "received", "officer", "received", "received", 0, True),
]
ACCEPT = [("accept", "checking", "received", "officer", "received", "received", 0, True)]
ASSIGN = [("assign", "received", "appraising", "leader", "received", "entered", 0.1, False)]
APPROVAL = [
    ("appraise", "appraising", "appraising", "specialist", "received", "finished", 0.5, False),
    ("submit_for_approval", "appraising", "awaiting_approval", "specialist", "received", "finished", 0.7, False),
]


def _supplement(stage_from, stage_to, window_a, window_b, frac, answered):
    ask = (
        "request_supplement",
        stage_from,
        stage_to,
        "officer" if stage_from == "checking" else "specialist",
        window_a,
        window_b,
        frac,
        True,
    )
    if not answered:
        return [ask]
    return [ask, ("submit_supplement", stage_to, stage_from, "owner", window_a, window_b, frac + 0.1, True)]


def _tail(stage: str, variant: str) -> list[tuple]:
    """The steps after the dossier reached `received` (or, for the desk's own stages, after submission)."""
    if stage == "received":
        return []
    if stage == "appraising":
        extra = {
            "resupplied": _supplement("appraising", "processing_supplement", "received", "entered", 0.4, True),
            "replied": [
                ("forward", "appraising", "waiting_other_agency", "specialist", "received", "entered", 0.4, False),
                ("record_reply", "waiting_other_agency", "appraising", "specialist", "received", "entered", 0.9, False),
            ],
            "rework": [
                *[(*s[:4], "received", "entered", s[6] * 0.5, s[7]) for s in APPROVAL],
                ("return_for_rework", "awaiting_approval", "appraising", "leader", "received", "entered", 0.9, False),
            ],
        }.get(variant, [])
        return ASSIGN + extra
    if stage == "waiting_other_agency":
        return ASSIGN + [
            ("forward", "appraising", "waiting_other_agency", "specialist", "entered", "entered", 0, False)
        ]
    if stage == "awaiting_approval":
        return ASSIGN + [(*s[:4], "received", "entered", s[6] * 0.9, s[7]) for s in APPROVAL]
    if stage == "processing_supplement":
        return ASSIGN + _supplement("appraising", "processing_supplement", "entered", "entered", 0, False)
    if stage == "awaiting_payment":
        # No action of the workflow leads here yet; the fee request is recorded as the appraisal's outcome.
        return ASSIGN + [("appraise", "appraising", "awaiting_payment", "specialist", "entered", "entered", 0, True)]
    if stage in ("withdrawal_requested", "stopped"):
        steps = ASSIGN if variant == "from_appraising" else []
        before = "appraising" if variant == "from_appraising" else "received"
        steps = steps + [
            (
                "request_withdrawal",
                before,
                "withdrawal_requested",
                "owner",
                "received",
                "entered",
                0.5 if stage == "stopped" else 0,
                True,
            )
        ]
        if stage == "stopped":
            steps.append(
                ("confirm_withdrawal", "withdrawal_requested", "stopped", "officer", "finished", "finished", 0, True)
            )
        return steps
    if stage in ("result_ready", "returned"):
        decide = (
            "refuse_after_appraisal" if variant == "refused" else "approve",
            "awaiting_approval",
            "result_ready",
            "leader",
            "finished",
            "finished",
            0,
            True,
        )
        steps = ASSIGN + APPROVAL + [decide]
        if stage == "returned":
            steps.append(("return_result", "result_ready", "returned", "officer", "returned", "returned", 0, True))
        return steps
    raise ValueError(stage)


def _desk_only(stage: str, variant: str) -> list[tuple] | None:
    """Stages reached without being received: they exist only for online filing."""
    if stage == "checking":
        return ONLINE_START + (
            _supplement("checking", "intake_supplement", "submitted", "entered", 0.3, True)
            if variant == "resupplied"
            else []
        )
    if stage == "intake_supplement":
        return ONLINE_START + _supplement("checking", "intake_supplement", "entered", "entered", 0, False)
    if stage == "not_received":
        return ONLINE_START + [("refuse", "checking", "not_received", "officer", "finished", "finished", 0, True)]
    return None


VARIANTS = {
    "checking": ["plain", "resupplied"],
    "appraising": ["plain", "resupplied", "replied", "rework"],
    "withdrawal_requested": ["from_received", "from_appraising"],
    "stopped": ["from_received"],
    "result_ready": ["granted", "refused"],
    "returned": ["granted", "refused"],
}
STAGES = [
    "checking",
    "intake_supplement",
    "not_received",
    "received",
    "appraising",
    "waiting_other_agency",
    "awaiting_approval",
    "processing_supplement",
    "awaiting_payment",
    "withdrawal_requested",
    "stopped",
    "result_ready",
    "returned",
]


def path_name(stage: str, variant: str, counter: bool) -> str:
    return f"{stage}:{variant}:{'counter' if counter else 'online'}"


def all_steps() -> list[tuple]:
    """(path, ord, action, from_stage, to_stage, from_status, to_status, actor, a, b, frac, public,
    answered_a, answered_b, answered_frac) for every path."""
    rows = []
    for stage in STAGES:
        for variant in VARIANTS.get(stage, ["plain"]):
            for counter in (False, True):
                steps = _desk_only(stage, variant)
                if steps is None:
                    steps = (COUNTER_START if counter else ONLINE_START + ACCEPT) + _tail(stage, variant)
                elif counter:
                    continue
                for i, (action, before, after, actor, a, b, frac, public) in enumerate(steps):
                    answer = steps[i + 1] if action == "request_supplement" and i + 1 < len(steps) else None
                    answered = answer[4:7] if answer and answer[0] == "submit_supplement" else (None, None, None)
                    rows.append(
                        (
                            path_name(stage, variant, counter),
                            i,
                            action,
                            before,
                            after,
                            STAGE_STATUS[before] if before else "",
                            STAGE_STATUS[after],
                            actor,
                            a,
                            b,
                            float(frac),
                            public,
                            *answered,
                        )
                    )
    return rows


def previous_stage(stage: str, variant: str, counter: bool) -> str:
    """The stage before the current one, as transition() records it."""
    if stage == "checking":
        return "intake_supplement" if variant == "resupplied" else "draft"
    if stage == "received":
        return "draft" if counter else "checking"
    if stage == "appraising":
        return {
            "resupplied": "processing_supplement",
            "replied": "waiting_other_agency",
            "rework": "awaiting_approval",
        }.get(variant, "received")
    if stage == "withdrawal_requested":
        return "appraising" if variant == "from_appraising" else "received"
    return {
        "intake_supplement": "checking",
        "not_received": "checking",
        "waiting_other_agency": "appraising",
        "awaiting_approval": "appraising",
        "processing_supplement": "appraising",
        "awaiting_payment": "appraising",
        "stopped": "withdrawal_requested",
        "result_ready": "awaiting_approval",
        "returned": "result_ready",
    }[stage]
