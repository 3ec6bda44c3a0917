"""The queue counters move with each dossier, in its transaction (see QueueCounter)."""

from django.db import connection, transaction
from django.db.models import BooleanField, Case, Count, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce

from dossiers.constants import RESUPPLIED
from dossiers.models import Dossier, QueueCounter
from dossiers.queues import ASSIGNED_STAGES

CELL = ("agency_id", "desk_id", "stage", "resupplied", "assignee_id")
# An increment, not a read-modify-write: concurrent moves into one cell add up. Only the model's own
# table and column names are formatted in; values are parameters.
_TABLE = QueueCounter._meta.db_table
_UPSERT = (
    f"INSERT INTO {_TABLE} ({', '.join(CELL)}, n) VALUES (%s, %s, %s, %s, %s, %s) "  # noqa: S608
    f"ON CONFLICT ({', '.join(CELL)}) DO UPDATE SET n = {_TABLE}.n + excluded.n"
)


def counters_move(*, before: tuple | None, after: tuple | None) -> None:
    """Count one dossier out of cell `before` and into `after` (None: no cell, as for a draft).
    Cells are touched in one fixed order, so two transactions moving dossiers between the same two
    cells in opposite directions wait for each other instead of deadlocking."""
    if before == after:
        return
    deltas: dict[tuple, int] = {}
    if before is not None:
        deltas[before] = deltas.get(before, 0) - 1
    if after is not None:
        deltas[after] = deltas.get(after, 0) + 1
    with connection.cursor() as cursor:
        for cell in sorted(deltas):
            cursor.execute(_UPSERT, [*cell, deltas[cell]])


def _true_cells() -> dict[tuple, int]:
    resupplied = Case(When(RESUPPLIED, then=Value(True)), default=Value(False), output_field=BooleanField())
    assignee = Case(
        When(stage__in=ASSIGNED_STAGES, then=Coalesce("assignee_id", 0)), default=Value(0), output_field=IntegerField()
    )
    rows = (
        Dossier.objects.filter(~Q(stage="draft"))
        .annotate(cell_desk=Coalesce("desk_id", 0), cell_resupplied=resupplied, cell_assignee=assignee)
        .values("agency_id", "cell_desk", "stage", "cell_resupplied", "cell_assignee")
        .annotate(total=Count("id"))
        .order_by()
    )
    return {
        (r["agency_id"], r["cell_desk"], r["stage"], r["cell_resupplied"], r["cell_assignee"]): r["total"] for r in rows
    }


@transaction.atomic
def recount_queue_counters() -> int:
    """Rebuild every cell from the dossiers (after a bulk load, or to repair drift) and return how
    many cells were wrong. On PostgreSQL the counter table is locked first: a transition running
    meanwhile waits, then adds its move on top of the count, which saw its dossier as it was."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {_TABLE} IN EXCLUSIVE MODE")
    kept = {tuple(row[:5]): row[5] for row in QueueCounter.objects.values_list(*CELL, "n")}
    truth = _true_cells()
    wrong = sum(1 for cell in kept.keys() | truth.keys() if kept.get(cell, 0) != truth.get(cell, 0))
    if wrong:
        QueueCounter.objects.all().delete()
        QueueCounter.objects.bulk_create(
            QueueCounter(**dict(zip(CELL, cell, strict=True)), n=n) for cell, n in truth.items()
        )
    return wrong
