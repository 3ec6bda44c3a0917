from django.contrib import admin

from dossiers.models import IndicatorTarget
from portal.admin import SuperuserOnlyMixin


@admin.register(IndicatorTarget)
class IndicatorTargetAdmin(SuperuserOnlyMixin, admin.ModelAdmin):
    list_display = ("agency", "year", "indicator", "percent")
    list_filter = ("year", "indicator")
    search_fields = ("agency__code", "agency__name")
    autocomplete_fields = ("agency",)
