"""Reads of the portal app."""

import datetime as dt

from django.db import connection
from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone

from portal.constants import Role
from portal.models import Desk, Notification, NotificationChannel, StaffMembership, WorkerHeartbeat
from portal.prepared import Prepared


def _memberships(user_id):
    """The user's memberships with their agency, desk and the number of desks the agency has (the
    queues ask whether a desk officer's desks are all of them on every page: a query otherwise)."""
    desks = Desk.objects.filter(agency_id=OuterRef("agency_id")).order_by().values("agency_id")
    return (
        StaffMembership.objects.filter(user_id=user_id)
        .select_related("agency", "desk")
        .annotate(portal_agency_desks=Subquery(desks.annotate(n=Count("*")).values("n")))
        .order_by("agency__code", "id")
    )


# Every logged-in page reads these: compiled once per process (portal/prepared.py).
_MEMBERSHIPS = Prepared(_memberships)


def staff_memberships_of(*, user) -> list:
    """Every membership of the user with its agency and desk, read once per request: pages ask
    several times (roles for the menu, the queue's scopes, the roles on a dossier)."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_portal_memberships", None)
    if cached is None:
        cached = _MEMBERSHIPS(user.pk)
        user._portal_memberships = cached
    return cached


def agency_desk_count(membership) -> int:
    """How many desks the membership's agency has: read with the memberships (staff_memberships_of),
    else asked."""
    count = getattr(membership, "portal_agency_desks", None)
    return Desk.objects.filter(agency_id=membership.agency_id).count() if count is None else count


def user_roles(*, user) -> set[str]:
    """The staff roles of a user in any agency (empty for citizens and anonymous visitors)."""
    return {m.role for m in staff_memberships_of(user=user)}


def user_is_staff_member(*, user) -> bool:
    return bool(user_roles(user=user))


def user_is_catalog_admin(*, user) -> bool:
    return user.is_authenticated and (user.is_superuser or Role.CATALOG_ADMIN in user_roles(user=user))


def user_may_use_admin(*, user) -> bool:
    """Only superusers and catalog admins open /admin/ (catalog admins to keep the catalog and the
    calendars); desk officers, specialists and leaders work in the portal's own pages. The
    account's is_staff flag is not trusted for this: staff roles come from memberships."""
    return bool(user.is_authenticated and user.is_active and (user.is_superuser or user_is_catalog_admin(user=user)))


def memberships_for_user(*, user):
    return StaffMembership.objects.filter(user=user).select_related("agency", "desk").order_by("agency__code")


def last_worker_heartbeat(*, within_seconds: int):
    since = timezone.now() - dt.timedelta(seconds=within_seconds)
    return WorkerHeartbeat.objects.filter(seen_at__gte=since).order_by("-seen_at").first()


def inbox_for_user(*, user):
    return Notification.objects.filter(recipient=user, channel=NotificationChannel.IN_APP).order_by("-created_at")


def unread_count(*, user) -> int:
    """The bell's number on every page: `inbox_for_user(...).filter(read_at__isnull=True).count()`,
    written out (by the (recipient, channel, read_at) index) since compiling it cost five times the
    count itself."""
    if not user.is_authenticated:
        return 0
    read_with_user = getattr(user, "portal_unread", None)  # portal.auth_backends reads it with the session's user
    if read_with_user is not None:
        return read_with_user
    table = connection.ops.quote_name(Notification._meta.db_table)
    sql = f"SELECT COUNT(*) FROM {table} WHERE recipient_id = %s AND channel = %s AND read_at IS NULL"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk, NotificationChannel.IN_APP.value])
        return cursor.fetchone()[0]


def user_by_national_id(*, national_id: str):
    """The account with this CCCD, for staff filing at the counter (None when there is none)."""
    from portal.models import User

    return User.objects.filter(national_id=national_id).first() if national_id else None


def agency_tree() -> dict:
    """Every active agency as {id: (code, name, parent_id)}, kept briefly in each process (the tree
    changes a few times a year)."""
    from portal.cache import reference
    from portal.models import Agency

    return reference(
        "agency-tree",
        lambda: {
            pk: (code, name, parent)
            for pk, code, name, parent in Agency.objects.filter(is_active=True)
            .order_by("code")
            .values_list("pk", "code", "name", "parent_id")
        },
    )


def agency_subtree_ids(*, code: str) -> list[int] | None:
    """The ids of the agency with this code and every agency under it; None for an unknown code."""
    tree = agency_tree()
    root = next((pk for pk, (c, _n, _p) in tree.items() if c == code), None)
    if root is None:
        return None
    children: dict[int, list[int]] = {}
    for pk, (_c, _n, parent) in tree.items():
        children.setdefault(parent, []).append(pk)
    found, todo = [], [root]
    while todo:
        pk = todo.pop()
        found.append(pk)
        todo += children.get(pk, [])
    return sorted(found)


def desk_names(*, ids) -> dict[int, str]:
    return dict(Desk.objects.filter(pk__in=ids).values_list("pk", "name"))


def community_teams_of(*, agency_ids) -> list[tuple[int, str, str, list[int]]]:
    """Active community digital teams of these agencies: (id, name, agency name, member ids)."""
    from portal.models import CommunityTeam

    teams = (
        CommunityTeam.objects.filter(agency_id__in=agency_ids, is_active=True)
        .select_related("agency")
        .prefetch_related("members")
        .order_by("agency__code", "name")
    )
    return [(t.pk, t.name, t.agency.name, [m.pk for m in t.members.all()]) for t in teams]


def agency_get_by_code(*, code: str):
    """An active agency by its code, or None."""
    from portal.models import Agency

    return Agency.objects.filter(code=code, is_active=True).first()


def personal_tokens_of(*, user):
    """The person's live app tokens, newest first."""
    from knox.models import AuthToken

    return AuthToken.objects.filter(user=user, expiry__gt=timezone.now()).order_by("-created")


def agency_fee_accounts() -> list[tuple[str, str]]:
    """(account, agency name) of the agencies with a fee account (the reconciliation's choices)."""
    from portal.models import Agency

    return list(Agency.objects.exclude(bank_account="").order_by("bank_account").values_list("bank_account", "name"))
