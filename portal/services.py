"""Writes of the portal app: accounts, memberships, agencies, the calendar, heartbeats."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from portal.exceptions import ApplicationError
from portal.models import (
    Agency,
    CalendarOverride,
    Desk,
    Notification,
    NotificationChannel,
    StaffMembership,
    User,
    WorkerHeartbeat,
)
from portal.validators import normalize_phone

PROFILE_FIELDS = (
    "full_name",
    "phone",
    "email",
    "address",
    "date_of_birth",
    "preferred_language",
    "notify_by_email",
    "notify_by_sms",
    "notify_in_app",
)


def _clean_identity(*, email=None, phone=None):
    return ((email or "").strip().lower() or None, normalize_phone(phone) or None)


@transaction.atomic
def user_register(*, full_name: str, national_id: str, phone: str, email: str, password: str) -> User:
    email, phone = _clean_identity(email=email, phone=phone)
    user = User(full_name=full_name.strip(), national_id=national_id.strip(), phone=phone, email=email)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ApplicationError(" ".join(exc.messages), field="password1", code="weak_password") from exc
    user.set_password(password)
    user.full_clean()
    user.save()
    return user


@transaction.atomic
def user_update_profile(*, user: User, **fields) -> User:
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ApplicationError(f"Không thể sửa trường: {', '.join(sorted(unknown))}")
    fields["email"], fields["phone"] = _clean_identity(
        email=fields.get("email", user.email), phone=fields.get("phone", user.phone)
    )
    for name, value in fields.items():
        setattr(user, name, value)
    user.full_clean(exclude=["password"])
    user.save(update_fields=list(fields))
    return user


@transaction.atomic
def staff_create(*, full_name: str, email: str, password: str, national_id=None, phone=None) -> User:
    """A staff account: its memberships give it roles in the portal's pages; only a catalog admin's
    (or a superuser) opens /admin/ (portal.selectors.user_may_use_admin)."""
    email, phone = _clean_identity(email=email, phone=phone)
    user = User(full_name=full_name, email=email, national_id=national_id, phone=phone)
    user.set_password(password)
    user.full_clean()
    user.save()
    return user


def membership_grant(*, user: User, agency: Agency, role: str, desk: Desk | None = None) -> StaffMembership:
    membership = StaffMembership(user=user, agency=agency, role=role, desk=desk)
    membership.full_clean()
    membership.save()
    return membership


def agency_create(*, code: str, name: str, level: str, parent: Agency | None = None, **extra) -> Agency:
    agency = Agency(code=code, name=name, level=level, parent=parent, **extra)
    agency.full_clean()
    agency.save()
    return agency


def desk_create(*, agency: Agency, code: str, name: str, **extra) -> Desk:
    desk = Desk(agency=agency, code=code, name=name, **extra)
    desk.full_clean()
    desk.save()
    return desk


@transaction.atomic
def calendar_override_set(*, date, is_working_day: bool, note: str, agency: Agency | None = None) -> CalendarOverride:
    """Create or replace the override of one day for one scope (global when agency is None)."""
    override = CalendarOverride.objects.filter(date=date, agency=agency).first() or CalendarOverride(
        date=date, agency=agency
    )
    changed = override.pk is None or override.is_working_day != is_working_day
    override.is_working_day = is_working_day
    override.note = note
    override.full_clean()
    override.save()
    if changed:
        _calendar_changed(date, agency)
    return override


@transaction.atomic
def calendar_override_delete(*, override: CalendarOverride) -> None:
    date, agency = override.date, override.agency
    override.delete()
    _calendar_changed(date, agency)


def _calendar_changed(date, agency) -> None:
    """Appointments that count across the day are recomputed by a job after commit (by task name:
    the portal does not import the dossiers app)."""
    from portal.celery import app

    agency_id = agency.pk if agency else None
    transaction.on_commit(
        lambda: app.send_task("dossiers.tasks.recompute_due_dates", args=[date.isoformat(), agency_id])
    )


def heartbeat_record(*, name: str) -> WorkerHeartbeat:
    beat, _ = WorkerHeartbeat.objects.update_or_create(name=name, defaults={"seen_at": timezone.now()})
    return beat


def notifications_mark_read(*, user, ids) -> int:
    """Mark the user's in-app messages read (others' ids are ignored)."""
    return Notification.objects.filter(
        recipient=user, channel=NotificationChannel.IN_APP, pk__in=list(ids), read_at__isnull=True
    ).update(read_at=timezone.now())


def personal_data_access_record(*, actor, reason: str, request=None, subject_id=None, dossier_code: str = ""):
    """Note that staff read a citizen's personal data (the counter's CCCD look-up, a dossier page, a
    dossier's file), for superusers to review."""
    from portal.client_ip import client_ip
    from portal.models import PersonalDataAccess

    address = client_ip(request) if request is not None else None
    record = PersonalDataAccess(
        actor=actor, subject_id=subject_id, reason=reason, dossier_code=dossier_code or "", client_ip=address or None
    )
    connection = transaction.get_connection()
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        record.save()  # part of the caller's transaction, committed as it is
        return record
    # A page view's record is a transaction of its own. It commits without waiting for the WAL to
    # reach the disk (PostgreSQL's synchronous_commit, for this transaction only): the row is
    # committed and never half-written, but a crash of the database server within a fraction of a
    # second may lose the latest records. Waiting for that flush, with 16 officers at once, cost
    # the staff dossier page a third of its throughput and put its p99 at 15x the bare page's.
    # One statement in autocommit is the whole transaction: set_config(..., true) in its RETURNING
    # list switches the setting for that transaction alone, which its commit then reads (BEGIN, SET
    # LOCAL, INSERT and COMMIT were four round trips to the database on every dossier page).
    from django.db.models.sql import InsertQuery

    meta = PersonalDataAccess._meta
    query = InsertQuery(PersonalDataAccess)
    query.insert_values([f for f in meta.concrete_fields if f is not meta.pk], [record])
    compiler = query.get_compiler(connection=connection)
    compiler.returning_fields = [meta.pk]
    ((sql, params),) = compiler.as_sql()
    with connection.cursor() as cursor:
        cursor.execute(f"{sql}, set_config('synchronous_commit', 'off', true)", params)
        record.pk = cursor.fetchone()[0]
    record._state.adding = False
    return record


@transaction.atomic
def partner_issue(*, name: str, scopes, agencies, rate: str, responsible):
    """A partner system's OAuth2 client (client credentials, confidential) with what it may do.
    Returns the access, the client id and the secret: the secret is stored hashed, so this is the
    only time it can be shown."""
    from oauth2_provider.generators import generate_client_secret
    from oauth2_provider.models import Application

    from portal.models import PartnerAccess

    secret = generate_client_secret()
    application = Application.objects.create(
        name=name,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        client_secret=secret,
    )
    access = PartnerAccess.objects.create(
        application=application, scopes=sorted(scopes), rate=rate, responsible=responsible
    )
    access.agencies.set(agencies)
    return access, application.client_id, secret


@transaction.atomic
def partner_revoke(*, access) -> None:
    """Refuse the client's tokens from now on and issue it no new one."""
    from oauth2_provider.models import AccessToken

    access.revoked_at = timezone.now()
    access.save(update_fields=["revoked_at"])
    AccessToken.objects.filter(application=access.application).delete()


def personal_token_create(*, user):
    """A new app token for a citizen: returns (token row, the token itself). The token is stored
    hashed, so this is the only time it can be shown. Staff get none (see portal/api/tokens.py)."""
    from django.conf import settings
    from django.utils.translation import gettext as _
    from knox.models import AuthToken

    if user.memberships.exists():
        raise ApplicationError(_("Cán bộ dùng phiên đăng nhập có xác thực hai lớp, không dùng khóa ứng dụng."))
    live = AuthToken.objects.filter(user=user, expiry__gt=timezone.now()).count()
    if live >= settings.PERSONAL_TOKENS_PER_USER:
        raise ApplicationError(
            _("Bạn đã có %(n)s khóa còn hạn. Hãy thu hồi một khóa không dùng nữa trước.") % {"n": live}
        )
    return AuthToken.objects.create(user=user)


def personal_token_revoke(*, user, token_key: str) -> bool:
    """Revoke one of the person's tokens (another person's key revokes nothing)."""
    from knox.models import AuthToken

    deleted, _ = AuthToken.objects.filter(user=user, token_key=token_key).delete()
    return bool(deleted)
