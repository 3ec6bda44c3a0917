"""Reads of the portal app."""

import datetime as dt

from django.utils import timezone

from portal.constants import Role
from portal.models import Notification, NotificationChannel, StaffMembership, WorkerHeartbeat


def user_roles(*, user) -> set[str]:
    """The staff roles of a user in any agency (empty for citizens and anonymous visitors)."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_portal_roles", None)
    if cached is None:
        cached = set(StaffMembership.objects.filter(user=user).values_list("role", flat=True))
        user._portal_roles = cached
    return cached


def user_is_staff_member(*, user) -> bool:
    return bool(user_roles(user=user))


def user_is_catalog_admin(*, user) -> bool:
    return user.is_authenticated and (user.is_superuser or Role.CATALOG_ADMIN in user_roles(user=user))


def memberships_for_user(*, user):
    return StaffMembership.objects.filter(user=user).select_related("agency", "desk").order_by("agency__code")


def last_worker_heartbeat(*, within_seconds: int):
    since = timezone.now() - dt.timedelta(seconds=within_seconds)
    return WorkerHeartbeat.objects.filter(seen_at__gte=since).order_by("-seen_at").first()


def inbox_for_user(*, user):
    return Notification.objects.filter(recipient=user, channel=NotificationChannel.IN_APP).order_by("-created_at")


def unread_count(*, user) -> int:
    if not user.is_authenticated:
        return 0
    return inbox_for_user(user=user).filter(read_at__isnull=True).count()


def user_by_national_id(*, national_id: str):
    """The account with this CCCD, for staff filing at the counter (None when there is none)."""
    from portal.models import User

    return User.objects.filter(national_id=national_id).first() if national_id else None
