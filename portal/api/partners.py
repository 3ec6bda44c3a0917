"""Partner systems (the national portal, other agencies' software) through OAuth2 client credentials
(django-oauth-toolkit): a token is issued only for scopes its client was given (PartnerValidator);
a request with it is anonymous as a person and reaches only the partner endpoints, each asking one
scope (PartnerScope), for the client's agencies; each client has its own request rate
(PartnerThrottle). A revoked client's tokens are refused at once."""

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from oauth2_provider.oauth2_validators import OAuth2Validator
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import BasePermission
from rest_framework.throttling import SimpleRateThrottle

from portal.models import PartnerAccess


def _access(client) -> PartnerAccess | None:
    return PartnerAccess.objects.filter(application=client, revoked_at__isnull=True).first()


class PartnerValidator(OAuth2Validator):
    """Tokens only for a client with a live PartnerAccess, and only within the scopes it was given;
    asking for none gives all of them."""

    def validate_scopes(self, client_id, scopes, client, request, *args, **kwargs):
        access = _access(client)
        return access is not None and set(scopes) <= set(access.scopes)

    def get_default_scopes(self, client_id, request, *args, **kwargs):
        access = _access(request.client)
        return list(access.scopes) if access else []


class PartnerAuthentication(OAuth2Authentication):
    """A partner's bearer token. The person stays anonymous (no session, no person's endpoint); the
    client's PartnerAccess rides on the request as `partner`. Tokens issued to a person are not
    accepted here."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        _user, token = result
        access = (
            PartnerAccess.objects.filter(application_id=token.application_id, revoked_at__isnull=True)
            .prefetch_related("agencies")
            .select_related("responsible")
            .first()
        )
        if access is None or token.user_id is not None:
            raise AuthenticationFailed(_("Khóa truy cập không còn hiệu lực."), code="revoked")
        request.partner = access
        return AnonymousUser(), token


class PartnerScope(BasePermission):
    """The view's `partner_scope` is among the token's scopes and its client's. A person's session
    does not pass."""

    message = _("Khóa truy cập không có quyền cho việc này.")

    def has_permission(self, request, view):
        access = getattr(request, "partner", None)
        token = request.auth
        scope = view.partner_scope
        return access is not None and access.allows(scope) and token.allow_scopes([scope])


class PartnerThrottle(SimpleRateThrottle):
    """Each client at its own rate (PartnerAccess.rate), counted in the cache across processes."""

    scope = "partner"

    def get_rate(self):
        return None  # set per client in allow_request

    def allow_request(self, request, view):
        access = getattr(request, "partner", None)
        if access is None:
            return True
        self.rate = access.rate
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": request.partner.application_id}
