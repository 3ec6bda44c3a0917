"""The staff queue's filters (the desk page's, checked against their choices: a wrong one is a 400
naming it, where the page drops it)."""

import django_filters

from dossiers.constants import Channel, Status
from dossiers.models import Dossier

DUE = [("soon", "soon"), ("overdue", "overdue")]


class QueueFilter(django_filters.FilterSet):
    tab = django_filters.CharFilter(
        method="keep", help_text="A tab's key (the response's `tabs`); the first by default."
    )
    q = django_filters.CharFilter(method="keep", max_length=100, help_text="Code, name or CCCD; diacritics ignored.")
    procedure = django_filters.CharFilter(method="keep", max_length=30, help_text="A procedure's code.")
    sector = django_filters.CharFilter(method="keep", max_length=20, help_text="A sector's code.")
    channel = django_filters.ChoiceFilter(method="keep", choices=Channel.choices)
    status = django_filters.ChoiceFilter(method="keep", choices=[s for s in Status.choices if s[0] != Status.DRAFT])
    due = django_filters.ChoiceFilter(method="keep", choices=DUE, help_text="Due within a working day, or past due.")
    mine = django_filters.BooleanFilter(method="keep", help_text="Only the dossiers assigned to me.")

    class Meta:
        model = Dossier
        fields = []

    def keep(self, queryset, name, value):
        return queryset  # the view gives the checked values to dossiers.queues.queue_page
