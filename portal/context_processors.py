import functools

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils.translation import gettext_lazy as _

from portal.constants import Role
from portal.selectors import unread_count, user_may_use_admin, user_roles

# (label, url name, who sees it). Entries whose URL is not yet routed are left out, so the menu
# never links to a page that does not exist.
NAV_ITEMS = [
    (_("Thủ tục hành chính"), "procedures:list", "everyone"),
    (_("Tra cứu hồ sơ"), "dossiers:track", "everyone"),
    (_("Hồ sơ của tôi"), "dossiers:mine", "citizen"),
    (_("Hàng đợi của tôi"), "dossiers:desk_queue", "staff"),
    (_("Chỉ số"), "dossiers:desk_indicators", "leader"),
    (_("Quản trị"), "admin:index", "admin"),
]


# The links of every page's header, reversed once per process (and script prefix), not per page.
BASE_LINKS = {
    "home": "portal:home",
    "inbox": "portal:inbox",
    "login": "portal:login",
    "logout": "portal:logout",
    "password_change": "portal:password_change",
    "profile": "portal:profile",
    "register": "portal:register",
    "set_language": "set_language",
}


def _url(name):
    return _reversed(name, get_script_prefix())


@functools.cache
def _reversed(name, _prefix):
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def _audience_ok(audience, user, roles):
    if audience == "everyone":
        return True
    if not user.is_authenticated:
        return False
    if audience == "citizen":
        return not roles
    if audience == "staff":
        return bool(roles - {Role.CATALOG_ADMIN})
    if audience == "leader":
        return Role.LEADER in roles or user.is_superuser
    if audience == "admin":
        return user_may_use_admin(user=user)
    return False


def portal(request):
    user = request.user
    roles = user_roles(user=user)
    nav = []
    for label, name, audience in NAV_ITEMS:
        url = _url(name)
        if url and _audience_ok(audience, user, roles):
            nav.append(
                {
                    "label": label,
                    "url": url,
                    "key": name,
                    "active": request.path.startswith(url) and (url != "/" or request.path == "/"),
                }
            )
    # Only the most specific match is the current item (/desk/indicators/ is not the queue, /desk/).
    longest = max((len(item["url"]) for item in nav if item["active"]), default=0)
    for item in nav:
        item["active"] = item["active"] and len(item["url"]) == longest
    return {
        "portal_name": settings.PORTAL_NAME,
        "portal_hotline": settings.PORTAL_HOTLINE,
        "portal_address": settings.PORTAL_ADDRESS,
        "portal_support_email": settings.PORTAL_SUPPORT_EMAIL,
        "nav_items": nav,
        "nav_keys": {item["key"]: item["url"] for item in nav},
        "search_url": _url("procedures:list"),
        "links": {key: _url(name) for key, name in BASE_LINKS.items()},
        "user_roles": roles,
        "unread_notifications": unread_count(user=user),
    }
