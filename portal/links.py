"""Links of list pages: a row's URL as one reversed prefix plus the row's own code."""

from django.urls import reverse


def url_prefix(name: str, sample) -> str:
    """`name`'s URL up to the argument `sample` stands for, so a page of rows reverses once and each
    row appends its code and "/" (the routes end with the argument)."""
    return reverse(name, args=[sample]).removesuffix(f"{sample}/")


def safe_next(request) -> str:
    """The `next` page a form carries (POST or query string), when it is on this site; else ""."""
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return ""


def landing_url(user) -> str:
    """Where a login without a `next` page lands: desk staff on their queue, the admins on the admin,
    citizens on the home page."""
    from portal.constants import Role
    from portal.selectors import user_may_use_admin, user_roles

    if user_roles(user=user) & {Role.DESK_OFFICER, Role.SPECIALIST, Role.LEADER}:
        return reverse("dossiers:desk_queue")
    if user_may_use_admin(user=user):
        return reverse("admin:index")
    return reverse("portal:home")
