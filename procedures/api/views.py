"""The public catalog API: anonymous, kept a minute per address and language (cache_page)."""

from django.utils.decorators import method_decorator
from django.views.decorators.cache import cache_page
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import generics
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny

from portal.models import Agency
from procedures import selectors
from procedures.api.filters import ProcedureFilter
from procedures.api.serializers import (
    AgencySerializer,
    ProcedureDetailSerializer,
    ProcedureSerializer,
    SectorSerializer,
)
from procedures.models import ProcedureVersion, Sector
from procedures.text import normalize_search

CATALOG_SECONDS = 60


@method_decorator(cache_page(CATALOG_SECONDS), name="get")
class ProcedureList(generics.ListAPIView):
    """Published procedures, searched and filtered as on the catalog page: name matches first when
    searching, else by sector and code."""

    permission_classes = [AllowAny]
    serializer_class = ProcedureSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ProcedureFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema's generation
            self.searching = False
            return ProcedureVersion.objects.none()
        filters = ProcedureFilter(self.request.query_params)
        if not filters.is_valid():
            raise ValidationError(filters.errors)
        # Ranked by how the name matches when the words searched leave something to match.
        self.searching = bool(normalize_search(filters.form.cleaned_data.get("q") or "").split())
        return selectors.procedure_list_published(**{k: v or "" for k, v in filters.form.cleaned_data.items()})

    def filter_queryset(self, queryset):
        return queryset  # filtered by the selector in get_queryset

    @property
    def keyset_ordering(self):
        return ("rank", "procedure__code") if self.searching else ("procedure__sector__name", "procedure__code")


@method_decorator(cache_page(CATALOG_SECONDS), name="get")
class ProcedureDetail(generics.RetrieveAPIView):
    """A procedure's published version with every part: components, form fields, steps, fees,
    templates and the agencies offering it."""

    permission_classes = [AllowAny]
    serializer_class = ProcedureDetailSerializer

    def get_object(self):
        version = selectors.procedure_detail_get(code=self.kwargs["code"])
        if version is None:
            raise NotFound()
        return version


@method_decorator(cache_page(CATALOG_SECONDS), name="get")
class SectorList(generics.ListAPIView):
    """The sectors with a published procedure."""

    permission_classes = [AllowAny]
    serializer_class = SectorSerializer
    pagination_class = None

    queryset = Sector.objects.none()  # the model, for the schema

    def get_queryset(self):
        return selectors.sector_list_with_published()


@method_decorator(cache_page(CATALOG_SECONDS), name="get")
class AgencyList(generics.ListAPIView):
    """The agencies offering a published procedure."""

    permission_classes = [AllowAny]
    serializer_class = AgencySerializer
    pagination_class = None

    queryset = Agency.objects.none()  # the model, for the schema

    def get_queryset(self):
        return selectors.agency_list_offering_procedures()
