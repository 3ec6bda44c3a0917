"""Choice labels without Django's per-call cost: Model.get_FOO_display() builds a dict of the field's
choices and hashes every lazy label (a translation lookup each) on every call, which a page of events
or dossiers repeats hundreds of times. A model that mixes this in reads a table built once per field
and language instead; the result is the same."""

import functools

from django.utils.translation import get_language


@functools.cache
def _choice_labels(field, language: str) -> dict:
    return {value: str(label) for value, label in field.flatchoices}


class ChoiceLabels:
    def _get_FIELD_display(self, field):  # noqa: N802 (the name Django's get_FOO_display calls)
        value = getattr(self, field.attname)
        try:
            return _choice_labels(field, get_language() or "").get(value, value)
        except TypeError:  # an unhashable value: Django's own way
            return super()._get_FIELD_display(field)
