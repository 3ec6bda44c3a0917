"""Which dossier events partners hear of (portal.webhooks sends them): a filing, a receipt, every
status change, a result ready, a result returned; each in the shared status list's terms."""

from dossiers.constants import STATUS_NUMBER, Action, Status

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
