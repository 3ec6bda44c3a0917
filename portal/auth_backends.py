"""Log in with any of CCCD, email or phone number."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from portal.prepared import Prepared
from portal.validators import normalize_phone


def _user_with_unread(pk):
    """The user with the number of their unread in-app messages (the bell on every page) read in the
    same statement: a query of its own cost a round trip on every page (portal.selectors.unread_count)."""
    from portal.models import Notification, NotificationChannel

    unread = (
        Notification.objects.filter(recipient=OuterRef("pk"), channel=NotificationChannel.IN_APP, read_at__isnull=True)
        .order_by()
        .values("recipient")
        .annotate(n=Count("*"))
        .values("n")
    )
    return get_user_model()._default_manager.filter(pk=pk).annotate(portal_unread=Coalesce(Subquery(unread), 0))


# The session's user, read on every page (compiled once per process: portal/prepared.py).
_USER = Prepared(_user_with_unread)


def find_user_by_identifier(identifier: str):
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    User = get_user_model()
    query = Q(email__iexact=identifier) | Q(national_id=identifier)
    phone = normalize_phone(identifier)
    if phone:
        query |= Q(phone=phone)
        if phone.startswith("+84"):
            query |= Q(phone="0" + phone[3:])
    matches = list(User.objects.filter(query)[:2])
    return matches[0] if len(matches) == 1 else None


def axes_username(request, credentials):
    """Lock the account, not the spelling: CCCD, email and phone of one user share a counter."""
    raw = (credentials or {}).get("username") or (request.POST.get("username") if request else "") or ""
    user = find_user_by_identifier(raw)
    return f"user:{user.pk}" if user else raw.strip().lower()


class IdentifierBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        user = find_user_by_identifier(username)
        if user is None:
            # Spend the same time as a real check so timing does not reveal which accounts exist.
            get_user_model()().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id):
        """ModelBackend.get_user (the session's user, still allowed to log in), by the prepared query."""
        try:
            pk = get_user_model()._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        found = _USER(pk)
        return found[0] if found and self.user_can_authenticate(found[0]) else None
