"""The leaders' daily digest: their agency's overdue and due-soon dossiers, one message a day."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from dossiers.constants import CLOCK_STAGES
from dossiers.deadlines import end_of_day
from dossiers.models import Dossier
from portal.calendar import calendar_for
from portal.constants import Role
from portal.models import StaffMembership
from portal.notifications import notify

LISTED = 30


def digest_for(agency, *, now):
    cal = calendar_for(agency)
    soon = end_of_day(cal, cal.add_working_days(timezone.localtime(now).date(), 1))
    open_ = Dossier.objects.filter(agency=agency, stage__in=CLOCK_STAGES).select_related("version__procedure")
    overdue = list(open_.filter(due_at__lt=now).order_by("due_at")[:LISTED])
    due_soon = list(open_.filter(due_at__gte=now, due_at__lte=soon).order_by("due_at")[:LISTED])
    return overdue, due_soon


def send_leader_digests(*, now) -> int:
    sent = 0
    leaders = StaffMembership.objects.filter(role=Role.LEADER, user__is_active=True).select_related("user", "agency")
    for membership in leaders:
        overdue, due_soon = digest_for(membership.agency, now=now)
        if not overdue and not due_soon:
            continue
        user = membership.user
        with override(user.preferred_language or "vi"):
            subject = _("Tổng hợp hằng ngày: %(overdue)s hồ sơ quá hạn, %(soon)s sắp đến hạn") % {
                "overdue": len(overdue),
                "soon": len(due_soon),
            }
            lines = []
            for title, rows in ((_("Quá hạn:"), overdue), (_("Sắp đến hạn:"), due_soon)):
                if rows:
                    lines.append(title)
                    lines += [
                        f"- {d.code} · {d.version.procedure.name} · {timezone.localtime(d.due_at):%d/%m/%Y}"
                        for d in rows
                    ]
        with transaction.atomic():
            sent += bool(
                notify(
                    recipient=user,
                    event="leader_digest",
                    subject=subject,
                    body="\n".join(lines),
                    key=f"digest:{membership.agency_id}:{user.pk}:{timezone.localdate(now):%Y%m%d}",
                    link="/desk/?due=overdue&tab=all",
                )
            )
    return sent
