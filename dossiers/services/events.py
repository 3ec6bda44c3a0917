from django.utils import timezone

from dossiers.models import Dossier, DossierEvent
from dossiers.webhooks import announce


def event_append(
    *,
    dossier: Dossier,
    actor,
    action: str,
    from_status: str = "",
    to_status: str = "",
    note: str = "",
    public: bool = True,
    data: dict | None = None,
) -> DossierEvent:
    """Append an event chained to the previous one of the same dossier. Callers hold the dossier's
    row lock (transition() does), so two events of one dossier never race for the same predecessor."""
    previous = DossierEvent.objects.filter(dossier=dossier).order_by("-id").values_list("hash", flat=True).first()
    event = DossierEvent(
        dossier=dossier,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=to_status or from_status,
        note=note,
        public=public,
        data=data or {},
        created_at=timezone.now(),
        prev_hash=previous or "",
    )
    event.hash = event.compute_hash()
    event.save()
    announce(dossier, event)
    return event
