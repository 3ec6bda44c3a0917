"""The staff queue's filters, read once for the desk page and the API: the page drops a value outside
its choices, the API refuses it with a 400 naming it. Both get dossiers.queues.Filters from here."""

import django_filters

from dossiers import queues
from dossiers.constants import Channel, Status
from dossiers.models import Dossier

DUE = [("soon", "soon"), ("overdue", "overdue")]
# The longest value the page keeps of each text filter (longer ones are cut there, refused by the API).
LIMITS = {"q": 100, "procedure": 30, "sector": 20}
# The query string's names that filter the rows (the tab and the cursor do not).
FILTERS = ("q", "procedure", "sector", "channel", "status", "due", "mine")


class QueueFilter(django_filters.FilterSet):
    tab = django_filters.CharFilter(
        method="keep", help_text="A tab's key (the response's `tabs`); the first by default."
    )
    q = django_filters.CharFilter(
        method="keep", max_length=LIMITS["q"], help_text="Code, name or CCCD; diacritics ignored."
    )
    procedure = django_filters.CharFilter(
        method="keep", max_length=LIMITS["procedure"], help_text="A procedure's code."
    )
    sector = django_filters.CharFilter(method="keep", max_length=LIMITS["sector"], help_text="A sector's code.")
    channel = django_filters.ChoiceFilter(method="keep", choices=Channel.choices)
    status = django_filters.ChoiceFilter(method="keep", choices=[s for s in Status.choices if s[0] != Status.DRAFT])
    due = django_filters.ChoiceFilter(method="keep", choices=DUE, help_text="Due within a working day, or past due.")
    mine = django_filters.BooleanFilter(method="keep", help_text="Only the dossiers assigned to me.")

    class Meta:
        model = Dossier
        fields = []

    @classmethod
    def form_class(cls):
        """The filter form's class, built once per process: its fields never change, and django-filter
        builds it for each filter set after a deep copy of every filter with its labels."""
        built = cls.__dict__.get("_form_class")
        if built is None:
            built = cls._form_class = django_filters.FilterSet.get_form_class(cls())
        return built

    def get_form_class(self):
        return type(self).form_class()

    @classmethod
    def for_page(cls, query):
        """The desk page's query string as the bound filter form, its text filters cut to their
        longest (a pasted long search still searches)."""
        data = query.copy()
        for name, limit in LIMITS.items():
            data[name] = data.get(name, "").strip()[:limit]
        return cls.form_class()(data)

    @classmethod
    def page_filters(cls, query) -> queues.Filters:
        """The desk page's filters. Most views of a queue ask for none: those skip building the filter
        form (about 0.7 ms of a 10 ms page: django-filter copies every filter with its labels); the
        others build the form alone, without the filter set around it."""
        if not any(query.get(name, "").strip() for name in FILTERS):
            return queues.Filters()
        form = cls.for_page(query)
        form.is_valid()
        return cls.filters_of(form.cleaned_data)

    def keep(self, queryset, name, value):
        return queryset  # the checked values go to dossiers.queues.queue_page, by queue_filters()

    def queue_filters(self) -> queues.Filters:
        """The valid values as dossiers.queues.Filters; an invalid one is left out."""
        self.is_valid()
        return self.filters_of(self.form.cleaned_data)

    @staticmethod
    def filters_of(values: dict) -> queues.Filters:
        return queues.Filters(
            **{name: values.get(name) or "" for name in ("q", "procedure", "sector", "channel", "status", "due")},
            mine=bool(values.get("mine")),
        )
