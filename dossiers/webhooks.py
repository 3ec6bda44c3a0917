"""Who hears of a dossier's status changes: partners' webhooks (portal.webhooks: a filing, a receipt,
every status change, a result ready, a result returned; each in the shared status list's terms) and
the national portal's status sync (portal.national_sync, in its shape: docs/api.md)."""

from django.utils import timezone

from dossiers.constants import STATUS_NUMBER, Action, Channel, Status

# An event's action or new status -> the webhook event names it also is.
BY_ACTION = {Action.SUBMIT: "submitted", Action.ACCEPT: "received", Action.RECEIVE_AT_COUNTER: "received"}
BY_STATUS = {Status.RESULT_READY: "result_ready", Status.RETURNED: "returned"}


def announce(dossier, event) -> None:
    """Queue the webhooks of one dossier event (in its transaction)."""
    if event.to_status == event.from_status or event.to_status == Status.DRAFT or not dossier.code:
        return
    names = {"status_changed"}
    if event.action in BY_ACTION:
        names.add(BY_ACTION[event.action])
    if event.to_status in BY_STATUS:
        names.add(BY_STATUS[event.to_status])
    from portal import national_sync
    from portal.webhooks import emit

    def payload():
        return {
            "code": dossier.code,
            "procedure": dossier.version.procedure.code,
            "agency": dossier.agency.code,
            "channel": dossier.channel,
            "status": event.to_status,
            "status_number": STATUS_NUMBER[event.to_status],
            "occurred_at": event.created_at.isoformat(),
            "received_at": dossier.received_at.isoformat() if dossier.received_at else None,
            "due_at": dossier.due_at.isoformat() if dossier.due_at else None,
            "finished_at": dossier.finished_at.isoformat() if dossier.finished_at else None,
        }

    emit(agency_id=dossier.agency_id, events=sorted(names), key=f"dossier-event:{event.pk}", payload=payload)
    national_sync.queue(key=f"dossier-event:{event.pk}", payload=lambda: national_payload(dossier, event))


# The national portal's channel codes: 1 at the desk, 2 online, 3 by post.
NATIONAL_CHANNEL = {Channel.IN_PERSON: 1, Channel.ONLINE: 2, Channel.POST: 3}


def _national_time(at) -> str | None:
    return timezone.localtime(at).strftime("%Y%m%d%H%M%S") if at else None


def national_payload(dossier, event) -> dict:
    """A status change in the national portal's dossier-status shape."""
    return {
        "MaHoSo": dossier.code,
        "MaTTHC": dossier.version.procedure.code,
        "MaCoQuan": dossier.agency.code,
        "TrangThaiHoSo": STATUS_NUMBER[event.to_status],
        "KenhThucHien": NATIONAL_CHANNEL[dossier.channel],
        "NgayTiepNhan": _national_time(dossier.received_at),
        "NgayHenTra": _national_time(dossier.due_at),
        "NgayKetThucXuLy": _national_time(dossier.finished_at),
        "NgayCapNhat": _national_time(event.created_at),
    }
