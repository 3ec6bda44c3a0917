"""The deadline sweep: set-based statements over the open dossiers, safe to run twice at once.

Reminders are INSERT ... SELECT rows into the outbox with a unique key per dossier, appointment,
recipient and channel, so a second run (or a concurrent one) inserts nothing new. Email and SMS
rows are delivered by one fan-out task; in-app rows are visible at once."""

import datetime as dt
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from dossiers.constants import CLOCK_STAGES
from dossiers.deadlines import end_of_day, last_day_for_extension
from portal.calendar import calendars_by_agency

STAGES = sorted(CLOCK_STAGES)


@dataclass
class SweepResult:
    due_soon: int = 0
    overdue: int = 0
    flagged: int = 0


def _texts(kind: str) -> dict:
    """Subject and body prefixes in both languages (the code is appended in SQL)."""
    result = {}
    for language in ("vi", "en"):
        with override(language):
            if kind == "due_soon":
                result[language] = (_("Hồ sơ sắp đến hạn: "), _("Hồ sơ đến hạn trả trong vòng 1 ngày làm việc: "))
            else:
                result[language] = (_("Hồ sơ quá hạn: "), _("Hồ sơ đã quá hạn trả kết quả: "))
    return result


def _insert_reminders(kind: str, *, now, window_start, window_end, escalate: bool, agency_ids=None) -> int:
    """One outbox row per (dossier, appointment, recipient, channel). Recipients: the assignee, and
    the agency's leaders when nobody is assigned or when the dossier is overdue (escalation).
    `agency_ids` narrows it to the agencies whose calendar gives this window."""
    texts = _texts(kind)
    stage_list = ", ".join(["%s"] * len(STAGES))
    condition = f"d.stage IN ({stage_list}) AND d.due_at > %s AND d.due_at <= %s"
    scope = list(agency_ids or [])
    if agency_ids is not None:
        condition += f" AND d.agency_id IN ({', '.join(['%s'] * len(scope))})"
    # Only placeholders and fixed SQL are formatted in; every value is a bound parameter.
    sql = f"""
        INSERT INTO portal_notification (recipient_id, channel, event, subject, body, link, idempotency_key,
                                         state, attempts, last_error, created_at, sent_at)
        WITH targets AS (
            SELECT d.id AS dossier_id, d.code, d.due_at, d.assignee_id AS user_id
            FROM dossiers_dossier d WHERE {condition} AND d.assignee_id IS NOT NULL
            UNION
            SELECT d.id, d.code, d.due_at, m.user_id
            FROM dossiers_dossier d
            JOIN portal_staffmembership m ON m.agency_id = d.agency_id AND m.role = 'leader'
            WHERE {condition} AND (d.assignee_id IS NULL OR %s)
        ), channels AS (
            SELECT 'in_app' AS channel UNION ALL SELECT 'email'
        )
        SELECT t.user_id, c.channel, %s,
               CASE WHEN u.preferred_language = 'en' THEN %s ELSE %s END || t.code,
               CASE WHEN u.preferred_language = 'en' THEN %s ELSE %s END || t.code,
               '/desk/dossiers/' || t.code || '/',
               %s || t.dossier_id || ':' || CAST(t.due_at AS TEXT) || ':' || t.user_id || ':' || c.channel,
               CASE WHEN c.channel = 'in_app' THEN 'sent' ELSE 'pending' END, 0, '', %s,
               CASE WHEN c.channel = 'in_app' THEN %s ELSE NULL END
        FROM targets t
        JOIN portal_user u ON u.id = t.user_id
        CROSS JOIN channels c
        WHERE u.is_active AND ((c.channel = 'in_app' AND u.notify_in_app)
              OR (c.channel = 'email' AND u.notify_by_email AND u.email IS NOT NULL))
        ON CONFLICT (idempotency_key) DO NOTHING
    """  # noqa: S608
    params = [
        *STAGES,
        window_start,
        window_end,
        *scope,
        *STAGES,
        window_start,
        window_end,
        *scope,
        escalate,
        f"dossier_{kind}",
        texts["en"][0],
        texts["vi"][0],
        texts["en"][1],
        texts["vi"][1],
        f"{kind}:",
        now,
        now,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _extension_due_days(cal, today) -> tuple:
    """The appointment days whose last day to issue an apology letter is today, by this calendar."""
    days = [today + dt.timedelta(days=n) for n in range(1, 15)]
    return tuple(d for d in days if last_day_for_extension(cal, end_of_day(cal, d)) == today)


def _flag_last_extension_day(*, now, due_days, agency_ids) -> int:
    """Dossiers of these agencies due on these days that have no apology letter yet."""
    if not due_days:
        return 0
    from dossiers.models import Dossier

    start = min(timezone.make_aware(dt.datetime.combine(d, dt.time.min)) for d in due_days)
    end = max(timezone.make_aware(dt.datetime.combine(d, dt.time.max)) for d in due_days)
    return Dossier.objects.filter(
        agency_id__in=agency_ids,
        stage__in=STAGES,
        due_at__gte=start,
        due_at__lte=end,
        extension__isnull=True,
        extension_flagged_at__isnull=True,
    ).update(extension_flagged_at=now)


def _calendar_groups(today) -> dict:
    """Agencies grouped by what their calendars make of today: (end of the due-soon window, the
    apology letter's due days) -> agency ids. One agency's days off move only its own windows."""
    groups = {}
    for agency_id, cal in calendars_by_agency().items():
        key = (end_of_day(cal, cal.add_working_days(today, 1)), _extension_due_days(cal, today))
        groups.setdefault(key, []).append(agency_id)
    return groups


def run_deadline_sweep(*, now=None) -> SweepResult:
    now = now or timezone.now()
    groups = _calendar_groups(timezone.localtime(now).date())
    with transaction.atomic():
        result = SweepResult(
            due_soon=sum(
                _insert_reminders(
                    "due_soon", now=now, window_start=now, window_end=soon, escalate=False, agency_ids=ids
                )
                for (soon, _days), ids in groups.items()
            ),
            overdue=_insert_reminders(
                "overdue", now=now, window_start=now - dt.timedelta(days=3650), window_end=now, escalate=True
            ),
            flagged=sum(
                _flag_last_extension_day(now=now, due_days=days, agency_ids=ids)
                for (_soon, days), ids in groups.items()
            ),
        )
        if result.due_soon or result.overdue:
            from portal.tasks import deliver_pending_since

            stamp = now.isoformat()
            transaction.on_commit(lambda: deliver_pending_since.delay(stamp))
    return result
