"""Issue 11, item 5: Form 05 judges each hand-off against its own step's share of the time, and lists
only hand-offs between two people."""

import datetime as dt
from types import SimpleNamespace

from dossiers.deadlines import StepDeadline
from dossiers.printouts import handoff_rows

T0 = dt.datetime(2026, 12, 7, 8, 0, tzinfo=dt.UTC)  # a Monday
DESK = SimpleNamespace(pk=1, full_name="Cán bộ Một Cửa")
LEADER = SimpleNamespace(pk=2, full_name="Lãnh Đạo")
SPECIALIST = SimpleNamespace(pk=3, full_name="Chuyên Viên")
CITIZEN = SimpleNamespace(pk=4, full_name="Công Dân")

# Ten days: intake by day 1, assignment by day 2, appraisal by day 8, approval by day 9, return by day 10.
STEPS = [
    StepDeadline("Tiếp nhận", "desk_officer", 10, T0 + dt.timedelta(days=1)),
    StepDeadline("Phân công", "leader", 10, T0 + dt.timedelta(days=2)),
    StepDeadline("Thẩm định", "specialist", 60, T0 + dt.timedelta(days=8)),
    StepDeadline("Phê duyệt", "leader", 10, T0 + dt.timedelta(days=9)),
    StepDeadline("Trả kết quả", "desk_officer", 10, T0 + dt.timedelta(days=10)),
]


def event(action, actor, day, from_stage=""):
    return SimpleNamespace(
        action=action,
        actor=actor,
        actor_id=actor.pk if actor else None,
        created_at=T0 + dt.timedelta(days=day),
        data={"from_stage": from_stage},
        get_action_display=lambda: action,
    )


LIFE = [
    event("create", CITIZEN, 0),
    event("submit", CITIZEN, 0, "draft"),
    event("accept", DESK, 0.5, "checking"),
    event("assign", LEADER, 1.5, "received"),
    event("appraise", SPECIALIST, 5, "appraising"),
    event("submit_for_approval", SPECIALIST, 6, "appraising"),
    event("calendar_change", None, 6.5),
    event("approve", LEADER, 8.5, "awaiting_approval"),
    event("return_result", DESK, 9.5, "result_ready"),
    event("rate", CITIZEN, 9.6, "returned"),
]


def test_the_return_is_held_to_the_return_step_and_is_on_time():
    rows = handoff_rows(LIFE, STEPS)
    by_step = {r["step"]: r for r in rows}
    assert by_step["return_result"]["due"] == STEPS[4].due and by_step["return_result"]["result"] != "Quá hạn"
    assert by_step["approve"]["due"] == STEPS[3].due  # the leader's second step, not the assignment's
    assert all(r["result"] != "Quá hạn" for r in rows)


def test_only_hand_offs_between_two_people_are_listed():
    rows = handoff_rows(LIFE, STEPS)
    assert [r["step"] for r in rows] == ["accept", "assign", "appraise", "approve", "return_result"]
    assert all(r["sender"] != r["receiver"] for r in rows)


def test_a_late_step_is_late():
    late = [*LIFE[:7], event("approve", LEADER, 9.5, "awaiting_approval"), *LIFE[8:]]
    assert {r["step"]: r["result"] for r in handoff_rows(late, STEPS)}["approve"] == "Quá hạn"
