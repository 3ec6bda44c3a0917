"""One JSON error shape for the API (DESIGN.md, house style 8), DRF's standard one: `{"detail": ...,
"code": ...}` for a refusal, `{"<field>": ["..."]}` for invalid input, in the request's language
(Vietnamese by default, English with `Accept-Language: en`). A service's ApplicationError becomes a
400 with its message and code (409 when another officer moved the dossier first, 403 when it is not
the person's), or a field error when it names its field."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler

from portal.exceptions import ApplicationError

# Codes of ApplicationError (portal.exceptions) whose refusal is not a 400.
STATUS_OF_CODE = {
    "changed": status.HTTP_409_CONFLICT,  # another officer moved the dossier first: reload it
    "conflict": status.HTTP_409_CONFLICT,  # an Idempotency-Key reused for another request
    "forbidden": status.HTTP_403_FORBIDDEN,
    "not_yours": status.HTTP_403_FORBIDDEN,
}


def exception_handler(error, context):
    if isinstance(error, ApplicationError):
        code = error.code or "invalid"
        if error.field:
            return Response({error.field: [str(error.message)]}, status=status.HTTP_400_BAD_REQUEST)
        status_code = STATUS_OF_CODE.get(code, status.HTTP_400_BAD_REQUEST)
        body = {"detail": str(error.message), "code": code}
        if getattr(error, "problems", None):  # what a submission still lacks, step by step
            body["problems"] = [{"step": p.step, "message": str(p.message)} for p in error.problems]
        return Response(body, status=status_code)
    if isinstance(error, Http404):
        error = exceptions.NotFound()
    elif isinstance(error, PermissionDenied):
        error = exceptions.PermissionDenied()
    response = drf_handler(error, context)
    if response is not None and isinstance(response.data, dict) and "detail" in response.data:
        detail = response.data["detail"]
        response.data = {"detail": str(detail), "code": getattr(detail, "code", None) or "error"}
    return response
