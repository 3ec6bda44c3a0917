"""The dossier API: a person's own dossiers, and one dossier for its owner or for staff of its
agency (the same access selectors as the pages: anyone else gets 404, as for a missing one)."""

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from dossiers import queues, selectors
from dossiers.api.serializers import DossierDetailSerializer, DossierSerializer, QueuePageSerializer
from dossiers.filters import FILTERS, QueueFilter
from dossiers.services.access_log import dossier_read_record
from portal.api.pagination import CURSOR, INVALID
from portal.api.schema import filter_parameters
from portal.links import url_prefix

CURSOR_PARAMETER = OpenApiParameter(CURSOR, str, OpenApiParameter.QUERY, description="The `next` link's cursor.")


class DossierList(generics.ListAPIView):
    """The dossiers the person filed or is the applicant of, drafts included, last changed first."""

    serializer_class = DossierSerializer
    keyset_ordering = ("-updated_at", "-id")
    filter_backends = []

    def get_queryset(self):
        return selectors.dossier_queryset_for_owner(user=self.request.user)


class DossierDetail(GenericAPIView):
    serializer_class = DossierDetailSerializer

    def get(self, request, code):
        """A filed dossier: its owner sees the public history, staff of its agency (with their second
        factor) the whole one; reading it as staff is logged as a dossier page view is. `actions` lists
        what the reader may do now."""
        dossier = selectors.dossier_get_for_owner(user=request.user, code=code)
        if dossier is None:
            return staff_detail_response(request, code)
        return owner_detail_response(request, dossier)


def owner_detail_response(request, dossier, status=200):
    """The dossier as its owner reads it: the public history, her actions."""
    context = {
        "request": request,
        "timeline": selectors.timeline(dossier, public_only=True),
        "actions": selectors.owner_actions(dossier=dossier, user=request.user),
    }
    return Response(DossierDetailSerializer(dossier, context=context).data, status=status)


def staff_detail_response(request, code):
    """The dossier as staff of its agency read it (the read logged), or 404 for anyone else."""
    dossier = selectors.dossier_get_for_staff(user=request.user, code=code)
    if dossier is None:
        raise NotFound()
    dossier_read_record(dossier=dossier, actor=request.user, request=request)
    context = {
        "request": request,
        "staff": True,
        "timeline": selectors.timeline(dossier),
        "actions": selectors.staff_actions(dossier=dossier, user=request.user),
    }
    return Response(DossierDetailSerializer(dossier, context=context).data)


class DeskQueue(GenericAPIView):
    """A desk queue tab for staff, as on the desk page (the same tabs, filters, order and keyset
    pages, by dossiers.queues): the tabs with their counts, and a page of the chosen tab."""

    filterset_class = QueueFilter
    filter_backends = []
    pagination_class = None

    @extend_schema(
        parameters=[*filter_parameters(QueueFilter), CURSOR_PARAMETER],
        responses=QueuePageSerializer,
    )
    def get(self, request):
        memberships = queues.staff_memberships(request.user)
        if not memberships:
            raise PermissionDenied(_("Chỉ cán bộ mới xem được hàng đợi hồ sơ."))
        query = request.query_params
        if any(query.get(name, "").strip() for name in FILTERS):
            checked = QueueFilter(query)
            errors = {} if checked.is_valid() else dict(checked.errors)
            wanted, filters = checked.form.cleaned_data.get("tab"), checked.queue_filters()
        else:  # most asks filter nothing: no filter form to build (django-filter copies every filter)
            errors, wanted, filters = {}, query.get("tab", "").strip(), queues.Filters()
        tabs = queues.tabs_for(memberships)
        tab = next((t for t in tabs if t.key == wanted), None)
        if wanted and tab is None:
            errors["tab"] = [_("Không có thẻ “%(tab)s” trong hàng đợi của bạn.") % {"tab": wanted}]
        if errors:
            raise ValidationError(errors)
        counts = queues.tab_counts(user=request.user, memberships=memberships, tabs=tabs)
        tab = tab or tabs[0]
        after = request.query_params.get(CURSOR, "")
        if after and queues.decode_cursor(after) is None:
            raise NotFound(INVALID)
        now = timezone.now()
        rows, next_cursor = queues.queue_page(
            user=request.user,
            memberships=memberships,
            tab=tab,
            filters=filters,
            after=after,
            size=25,
            now=now,
        )
        next_url = None
        if next_cursor:
            query = request.query_params.copy()
            query[CURSOR] = next_cursor
            next_url = request.build_absolute_uri(request.path) + "?" + query.urlencode()
        page = {
            "tab": tab.key,
            "tabs": [{"key": t.key, "label": t.label, "count": counts.get(t.key, 0)} for t in tabs],
            "next": next_url,
            "results": rows,
        }
        context = {
            "now": now,
            "soon": queues.due_soon_limit(memberships, now),
            "detail": request.build_absolute_uri(url_prefix("api-dossier", "CODE")),
        }
        return Response(QueuePageSerializer(page, context=context).data)
