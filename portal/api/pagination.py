"""Keyset pagination for the API: a page is the rows after the last one the client saw, in a fixed
order whose last field is unique, so each page is an index-ordered read of one page of rows however
deep the client goes (an offset would read and skip every earlier row)."""

import base64
import json
from urllib.parse import urlencode

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound
from rest_framework.pagination import BasePagination
from rest_framework.response import Response

CURSOR = "cursor"
INVALID = _("Con trỏ trang (cursor) không hợp lệ.")


def _encode(values) -> str:
    return base64.urlsafe_b64encode(json.dumps(values, default=str).encode()).decode().rstrip("=")


def _decode(cursor: str) -> list:
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, TypeError) as error:
        raise NotFound(INVALID) from error
    if not isinstance(values, list) or not all(isinstance(v, str | int) for v in values):
        raise NotFound(INVALID)
    return values


def after(ordering: tuple[str, ...], values: list) -> Q:
    """The rows that come after `values` in `ordering` ("-field" for descending): strictly after on
    the first field, or equal on it and after on the next, and so on."""
    condition = Q()
    for depth, field in enumerate(ordering):
        equal = {f.lstrip("-"): v for f, v in zip(ordering[:depth], values, strict=False)}
        name = field.lstrip("-")
        step = Q(**equal, **{f"{name}__{'lt' if field.startswith('-') else 'gt'}": values[depth]})
        condition |= step
    # The same rows, with the first field's bound also stated alone: PostgreSQL starts the index
    # scan there, where the OR alone made it read every earlier row of the list and filter them out.
    first = ordering[0]
    return Q(**{f"{first.lstrip('-')}__{'lte' if first.startswith('-') else 'gte'}": values[0]}) & condition


def _read(row, field: str):
    """A row's value of an ordering field ("-procedure__code": row.procedure.code)."""
    value = row
    for part in field.lstrip("-").split("__"):
        value = value[part] if isinstance(value, dict) else getattr(value, part)
    return value


class KeysetPagination(BasePagination):
    """The view names its order in `keyset_ordering` (the last field unique); a row's position is
    read from the row by those names, or by the view's `keyset_position(row)`."""

    page_size = 25
    max_page_size = 100

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        ordering = tuple(view.keyset_ordering)
        size = self._size(request)
        queryset = queryset.order_by(*ordering)
        cursor = request.query_params.get(CURSOR)
        if cursor:
            values = _decode(cursor)
            if len(values) != len(ordering):
                raise NotFound(INVALID)
            queryset = queryset.filter(after(ordering, values))
        try:
            rows = list(queryset[: size + 1])
        except (DjangoValidationError, ValueError, TypeError) as error:  # a value the column cannot take
            raise NotFound(INVALID) from error
        self.next_cursor = None
        if len(rows) > size:
            rows = rows[:size]
            position = getattr(view, "keyset_position", None) or (lambda row: [_read(row, f) for f in ordering])
            self.next_cursor = _encode([v if isinstance(v, int) else str(v) for v in position(rows[-1])])
        return rows

    def _size(self, request) -> int:
        try:
            asked = int(request.query_params.get("page_size", self.page_size))
        except ValueError:
            return self.page_size
        return max(1, min(asked, self.max_page_size))

    def get_next_link(self):
        if self.next_cursor is None:
            return None
        query = self.request.query_params.copy()
        query[CURSOR] = self.next_cursor
        return self.request.build_absolute_uri(self.request.path) + "?" + urlencode(query, doseq=True)

    def get_paginated_response(self, data):
        return Response({"next": self.get_next_link(), "results": data})

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["next", "results"],
            "properties": {
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": CURSOR,
                "required": False,
                "in": "query",
                "description": "The `next` link's cursor: the page after the last row seen.",
                "schema": {"type": "string"},
            },
            {
                "name": "page_size",
                "required": False,
                "in": "query",
                "description": f"Rows a page (1-{self.max_page_size}, default {self.page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]
