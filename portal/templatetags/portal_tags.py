from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def vnd(amount) -> str:
    """An amount in đồng with the thousands separator of the language: 10.000 (vi), 10,000 (en)."""
    try:
        text = f"{int(amount):,}"
    except (TypeError, ValueError):
        return ""
    return text if get_language() == "en" else text.replace(",", ".")
