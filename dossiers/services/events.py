from django.utils import timezone

from dossiers.models import Dossier, DossierEvent


def event_append(*, dossier: Dossier, actor, action: str, from_status: str = "", to_status: str = "",
                 note: str = "", public: bool = True, data: dict | None = None) -> DossierEvent:
    event = DossierEvent(dossier=dossier, actor=actor, action=action, from_status=from_status,
                         to_status=to_status or from_status, note=note, public=public, data=data or {},
                         created_at=timezone.now())
    event.save()
    return event
