import threading
from html import escape

from django import template
from django.template import RequestContext
from django.utils.safestring import mark_safe
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


@register.simple_tag
def options(choices, selected="") -> str:
    """The <option>s of a filter's <select> from (value, label) pairs, the chosen one selected and
    every value escaped, built in one go: as a template loop, a list of procedures cost a node per
    value and label on every queue page."""
    chosen = "" if selected is None else str(selected)
    return mark_safe(
        "".join(
            f'<option value="{escape(str(value))}"{" selected" if str(value) == chosen else ""}>'
            f"{escape(str(label))}</option>"
            for value, label in choices
        )
    )


# Rendered {% constant %} blocks, by template, name and language.
_constant: dict[tuple[str, str, str], str] = {}
_constant_lock = threading.Lock()


class ConstantNode(template.Node):
    def __init__(self, name: str, nodelist):
        self.name, self.nodelist = name, nodelist

    def render(self, context):
        if not isinstance(context, RequestContext):
            # Without the request's context processors (a template rendered on its own, an error page
            # drawn before them) the settings and links the block shows may be missing: never keep that.
            return self.nodelist.render(context)
        key = (getattr(self.origin, "name", ""), self.name, get_language() or "")
        text = _constant.get(key)
        if text is None:
            text = self.nodelist.render(context)
            with _constant_lock:
                _constant[key] = text
        return text


@register.tag
def constant(parser, token):
    """{% constant "name" %}…{% endconstant %}: a part of a page that is the same for every visitor
    in a language (the footer, the links to the style sheets), rendered once per process and
    language and then served as it is. What is inside may read settings and translations, never the
    request, the user or anything else that differs between two visitors."""
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError('{% constant "name" %} takes one quoted name')
    nodelist = parser.parse(("endconstant",))
    parser.delete_first_token()
    return ConstantNode(bits[1][1:-1], nodelist)


def forget_constants() -> None:
    """Drop the rendered blocks (each test starts without them; a changed setting shows after it)."""
    with _constant_lock:
        _constant.clear()


@register.simple_tag
def filter_field(bound) -> str:
    """A filter form's field (a select, or a date or text input) as crispy-bootstrap5 draws it: the
    label, the control with the value typed or chosen, and its errors, built in one go (crispy's field
    templates cost more than the rest of a statistics page)."""
    field, name, control_id = bound.field, bound.html_name, bound.id_for_label
    errors = list(bound.errors)
    invalid = " is-invalid" if errors else ""
    described = f' aria-invalid="true" aria-describedby="{control_id}-error"' if errors else ""
    value = bound.value()
    if hasattr(field, "choices"):
        control = (
            f'<select name="{escape(name)}" class="form-select{invalid}" id="{escape(control_id)}"{described}>'
            f"{options(field.choices, '' if value is None else value)}</select>"
        )
    else:
        kind = field.widget.attrs.get("type") or getattr(field.widget, "input_type", "text")
        shown = value.isoformat() if hasattr(value, "isoformat") else ("" if value is None else value)
        control = (
            f'<input type="{escape(kind)}" name="{escape(name)}" value="{escape(shown)}" '
            f'class="form-control{invalid}" id="{escape(control_id)}"{described}>'
        )
    feedback = "".join(
        f'<div class="invalid-feedback" id="{escape(control_id)}-error"><strong>{escape(str(e))}</strong></div>'
        for e in errors
    )
    label = f'<label for="{escape(control_id)}" class="form-label">{escape(str(bound.label))}</label>'
    return mark_safe(f'<div class="mb-3">{label}{control}{feedback}</div>')
