"""Choice labels without Django's per-call cost: Model.get_FOO_display() builds a dict of the field's
choices and hashes every lazy label (a translation lookup each) on every call, which a page of events
or dossiers repeats hundreds of times. Here a table is built once per choices and language instead;
the result is the same. No model import, so constants and models can both use it."""

import functools

from django.utils.translation import get_language


@functools.cache
def _table(source, language: str) -> dict:
    pairs = source.flatchoices if hasattr(source, "flatchoices") else source.choices
    return {value: str(text) for value, text in pairs}


def label(source, value) -> str:
    """The label of `value` among `source`'s choices (a TextChoices class or a model field) in the
    active language; a value outside the choices as it is."""
    return _table(source, get_language() or "").get(value, value)


class ChoiceLabels:
    """Mixed into a model: its get_FOO_display() reads label()'s tables."""

    def _get_FIELD_display(self, field):  # noqa: N802 (the name Django's get_FOO_display calls)
        value = getattr(self, field.attname)
        try:
            return label(field, value)
        except TypeError:  # an unhashable value: Django's own way
            return super()._get_FIELD_display(field)
