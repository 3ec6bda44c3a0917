"""Checking the hash chains of dossier events."""

from dataclasses import dataclass

from dossiers.models import DossierEvent


@dataclass
class Break:
    dossier_id: int
    event_id: int
    reason: str


def verify_chains(*, batch_size: int = 5000) -> tuple[int, list[Break]]:
    """Walk every dossier's events in order; return (events checked, first break of each broken chain)."""
    checked, breaks = 0, []
    previous_hash, current_dossier, broken = "", None, False
    events = DossierEvent.objects.order_by("dossier_id", "id").iterator(chunk_size=batch_size)
    for event in events:
        if event.dossier_id != current_dossier:
            current_dossier, previous_hash, broken = event.dossier_id, "", False
        checked += 1
        if broken:
            continue
        if event.prev_hash != previous_hash:
            breaks.append(Break(event.dossier_id, event.pk, "prev_hash does not match the previous event"))
            broken = True
        elif event.compute_hash() != event.hash:
            breaks.append(Break(event.dossier_id, event.pk, "content does not match its hash"))
            broken = True
        previous_hash = event.hash
    return checked, breaks
