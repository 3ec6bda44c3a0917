"""A calendar override changed: appointments of open dossiers whose counting period contains the
day are computed again; each moved dossier gets an event and its citizen is told."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from dossiers import deadlines
from dossiers.constants import Action, Channel, Stage
from dossiers.models import Dossier
from dossiers.notify import notify_applicant
from dossiers.queues import OPEN_STAGES
from dossiers.services.events import event_append
from portal.calendar import calendar_for


def _agency_and_descendants(agency_id):
    from portal.models import Agency

    ids, frontier = {agency_id}, [agency_id]
    while frontier:
        frontier = list(Agency.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        ids.update(frontier)
    return ids


# Whose appointment still lies ahead: a dossier with its result ready is finished (on time or not)
# even while it waits at the desk to be handed over, so a calendar change never moves it.
MOVABLE_STAGES = [stage for stage in OPEN_STAGES if stage != Stage.RESULT_READY]


def dossier_recompute_due_dates(*, day: dt.date, agency_id: int | None = None) -> int:
    """Returns how many appointments moved. Dossiers with an apology letter keep its date."""
    day_start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    candidates = Dossier.objects.filter(
        stage__in=MOVABLE_STAGES,
        finished_at__isnull=True,
        clock_started_at__isnull=False,
        clock_started_at__lt=day_start + dt.timedelta(days=1),
        extension__isnull=True,
    )
    # The day matters when it lies inside the counting period: from the clock start to the appointment.
    candidates = candidates.filter(due_at__gte=day_start)
    if agency_id is not None:
        candidates = candidates.filter(agency_id__in=_agency_and_descendants(agency_id))
    moved = 0
    for pk in candidates.values_list("pk", flat=True).iterator(chunk_size=1000):
        moved += _recompute_one(pk)
    return moved


@transaction.atomic
def _recompute_one(pk) -> int:
    dossier = Dossier.objects.select_for_update(of=("self",)).select_related("version", "agency").get(pk=pk)
    cal = calendar_for(dossier.agency)
    start = deadlines.clock_start(cal, dossier.clock_started_at, paper=dossier.channel != Channel.ONLINE)
    new_due = deadlines.due_at(cal, start, dossier.version.processing_time_value, dossier.version.processing_time_unit)
    # The working days the agency waited for the citizen's payment stay added.
    new_due = deadlines.shift_working_days(cal, new_due, dossier.payment_wait_days)
    if new_due == dossier.due_at:
        return 0
    old_due = dossier.due_at
    dossier.due_at = dossier.priority_at = new_due
    dossier.save(update_fields=["due_at", "priority_at", "updated_at"])
    event = event_append(
        dossier=dossier,
        actor=None,
        action=Action.CALENDAR_CHANGE,
        from_status=dossier.status,
        note=f"{timezone.localtime(old_due):%d/%m/%Y} → {timezone.localtime(new_due):%d/%m/%Y}",
        data={"previous_due_at": old_due.isoformat(), "new_due_at": new_due.isoformat()},
    )
    notify_applicant(dossier, "due_moved", occurrence=event.pk)
    return 1
