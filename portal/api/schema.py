"""The OpenAPI schema's shape of the API's errors (portal/api/errors.py), on every operation: a client
generated from the schema knows the refusals it will meet, and schemathesis holds each response to it."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text=_("Lời nhắn cho người dùng, theo ngôn ngữ của yêu cầu."))
    code = serializers.CharField(help_text=_("Mã lỗi cố định cho chương trình (not_found, not_authenticated...)."))


# Invalid input: {"<field>": ["..."]} per field, or {"detail": "...", "code": "..."} for the request.
INVALID = {
    "type": "object",
    "additionalProperties": {"oneOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}]},
}

ERRORS = {
    "400": OpenApiResponse(INVALID, description="Invalid input (field errors) or a refused action."),
    "403": OpenApiResponse(ErrorSerializer, description="Not logged in, second factor missing, or not allowed."),
    "404": OpenApiResponse(ErrorSerializer, description="Not found, not yours, or an invalid page cursor."),
}


CONFLICT = OpenApiResponse(ErrorSerializer, description="Changed meanwhile, or an Idempotency-Key reused.")
# A partner endpoint (a bearer token only): no token or a dead one, and the client's rate spent.
PARTNER = {
    "401": OpenApiResponse(ErrorSerializer, description="No partner token, or an expired or revoked one."),
    "429": OpenApiResponse(ErrorSerializer, description="The client's request rate is spent; retry later."),
}


class PortalAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        errors = ERRORS if self.method == "GET" else {**ERRORS, "409": CONFLICT}
        if getattr(self.view, "partner_scope", None):
            errors = {**errors, **PARTNER}
        for code, response in errors.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(response, code, direction=direction)
        return responses


def filter_parameters(filterset_class) -> list:
    """The query parameters of a django-filter FilterSet, for an endpoint that is not a plain list
    (spectacular reads filters from list views only)."""
    import django_filters
    from drf_spectacular.types import OpenApiTypes
    from drf_spectacular.utils import OpenApiParameter

    parameters = []
    for name, field in filterset_class.base_filters.items():
        kind = OpenApiTypes.BOOL if isinstance(field, django_filters.BooleanFilter) else OpenApiTypes.STR
        choices = field.extra.get("choices")
        parameters.append(
            OpenApiParameter(
                name,
                kind,
                OpenApiParameter.QUERY,
                description=str(field.extra.get("help_text") or ""),
                enum=[value for value, _label in choices] if choices else None,
            )
        )
    return parameters


class PartnerAuthenticationScheme(OpenApiAuthenticationExtension):
    """Partner systems' bearer tokens in the schema: OAuth2 client credentials at /api/oauth/token/."""

    target_class = "portal.api.partners.PartnerAuthentication"
    name = "partnerOAuth2"

    def get_security_definition(self, auto_schema):
        from django.conf import settings

        return {
            "type": "oauth2",
            "flows": {
                "clientCredentials": {"tokenUrl": "/api/oauth/token/", "scopes": settings.OAUTH2_PROVIDER["SCOPES"]}
            },
        }

    def get_security_requirement(self, auto_schema):
        scope = getattr(auto_schema.view, "partner_scope", None)
        return {self.name: [scope]} if scope else []


class PersonalTokenScheme(OpenApiAuthenticationExtension):
    """A citizen's app token: `Authorization: Token <token>` (made on the "Ứng dụng di động" page)."""

    target_class = "portal.api.tokens.PersonalTokenAuthentication"
    name = "appToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <token>`, made on the portal's “Ứng dụng di động” page.",
        }
