"""The catalog's filters, the same as its page's (procedures.selectors.procedure_list_published)."""

import django_filters

from procedures.constants import Level, OnlineLevel
from procedures.models import ProcedureVersion


class ProcedureFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="keep", help_text="Words of the name or code; diacritics and case are ignored (“khai sinh”)."
    )
    sector = django_filters.CharFilter(method="keep", help_text="A sector's code.")
    level = django_filters.ChoiceFilter(method="keep", choices=Level.choices)
    agency = django_filters.CharFilter(method="keep", help_text="An agency's code: the procedures it offers.")
    online_level = django_filters.ChoiceFilter(method="keep", choices=OnlineLevel.choices)

    class Meta:
        model = ProcedureVersion
        fields = []

    def keep(self, queryset, name, value):
        return queryset  # the view gives the checked values to the selector, which filters and ranks
