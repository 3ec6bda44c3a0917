"""The client's address, for rate limits and logs. Behind PORTAL_TRUSTED_PROXIES proxies (each
appends the address it received the request from to X-Forwarded-For, as nginx's
`proxy_add_x_forwarded_for` does) the client is the entry that many places from the right; entries
further left were written by the client and are not believed. Without proxies, REMOTE_ADDR."""

import ipaddress

from django.conf import settings


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.PORTAL_TRUSTED_PROXIES
    if proxies <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < proxies:
        return remote  # not through the configured proxies: only the connecting address is known
    try:
        return str(ipaddress.ip_address(hops[-proxies]))
    except ValueError:
        return remote


def rate(setting: str):
    """A django-ratelimit rate read from a setting at each request (tests and deployments change it)."""

    def current(group, request):
        return getattr(settings, setting)

    return current
