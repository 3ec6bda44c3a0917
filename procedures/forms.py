"""The citizen's form built from a version's FormField rows, validated on the server from their
definitions. Filing (dossiers) and the catalog admin's preview both use `build_answer_form`."""

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from portal.validators import validate_national_id, validate_phone
from procedures.constants import FieldType

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"]


# The longest answer each kind of field keeps, in characters (a multiple choice: per value, and as
# many values as it has choices). The form enforces it at submission and the draft refuses to store
# more (dossiers.services.filing.dossier_save_answers).
ANSWER_MAX_LENGTH = {FieldType.LONG_TEXT: 5000, FieldType.EMAIL: 254, FieldType.PHONE: 20, FieldType.CCCD: 20}
ANSWER_MAX_DEFAULT = 500


def answer_max_length(definition) -> int:
    return ANSWER_MAX_LENGTH.get(definition.field_type, ANSWER_MAX_DEFAULT)


def answer_too_long(definition, value) -> bool:
    limit = answer_max_length(definition)
    if isinstance(value, list):
        return len(value) > max(len(definition.choices or []), 1) or any(len(str(v)) > limit for v in value)
    return len(str(value)) > limit


def _form_field(definition) -> forms.Field:
    kind = definition.field_type
    common = {
        "label": definition.label,
        "required": definition.required,
        "help_text": definition.help,
        "error_messages": {"required": _("Vui lòng nhập thông tin này.")},
    }
    if kind == FieldType.LONG_TEXT:
        field = forms.CharField(
            widget=forms.Textarea(attrs={"rows": 3}), max_length=answer_max_length(definition), **common
        )
    elif kind == FieldType.NUMBER:
        field = forms.DecimalField(
            min_value=definition.min_value,
            max_value=definition.max_value,
            **common,
        )
        field.error_messages["invalid"] = _("Nhập một số, ví dụ 12 hoặc 3,5.")
        field.widget.attrs["inputmode"] = "decimal"
    elif kind == FieldType.DATE:
        field = forms.DateField(
            input_formats=DATE_INPUT_FORMATS,
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            **common,
        )
        field.error_messages["invalid"] = _("Ngày không đúng định dạng: nhập ngày/tháng/năm, ví dụ 05/09/2026.")
    elif kind == FieldType.SINGLE_CHOICE:
        field = forms.ChoiceField(choices=definition.choice_pairs(), widget=forms.RadioSelect, **common)
        field.error_messages["invalid_choice"] = _("Lựa chọn không có trong danh sách.")
    elif kind == FieldType.MULTIPLE_CHOICE:
        field = forms.MultipleChoiceField(
            choices=definition.choice_pairs(), widget=forms.CheckboxSelectMultiple, **common
        )
        field.error_messages["invalid_choice"] = _("Lựa chọn không có trong danh sách.")
    elif kind == FieldType.CHECKBOX:
        field = forms.BooleanField(**common)
        field.error_messages["required"] = _("Bạn cần đánh dấu ô này để tiếp tục.")
    elif kind == FieldType.EMAIL:
        field = forms.EmailField(max_length=answer_max_length(definition), **common)
        field.error_messages["invalid"] = _("Email không hợp lệ, ví dụ: ten@example.com.")
    elif kind == FieldType.PHONE:
        field = forms.CharField(
            max_length=answer_max_length(definition),
            validators=[validate_phone],
            widget=forms.TextInput(attrs={"inputmode": "tel"}),
            **common,
        )
    elif kind == FieldType.CCCD:
        field = forms.CharField(
            max_length=answer_max_length(definition),
            validators=[validate_national_id],
            widget=forms.TextInput(attrs={"inputmode": "numeric"}),
            **common,
        )
    else:  # text, address
        field = forms.CharField(max_length=answer_max_length(definition), **common)
    if definition.pattern and kind in {FieldType.TEXT, FieldType.LONG_TEXT, FieldType.ADDRESS}:
        field.validators.append(
            RegexValidator(re.compile(definition.pattern), _("Giá trị không đúng định dạng yêu cầu."))
        )
        field.widget.attrs["data-pattern"] = definition.pattern
    field.widget.attrs["data-kind"] = kind
    if kind == FieldType.NUMBER:
        field.widget.attrs.update(
            {k: v for k, v in (("min", definition.min_value), ("max", definition.max_value)) if v is not None}
        )
    return field


class AnswerForm(forms.Form):
    """Rejects any key that is not a field of the version (a tampered POST)."""

    definitions = ()

    def clean(self):
        cleaned = super().clean()
        known = {d.key for d in self.definitions}
        extra = sorted(k for k in self.data if k.startswith("f_") and k[2:] not in known)
        if extra:
            raise ValidationError(
                _("Biểu mẫu có trường không thuộc thủ tục này: %(keys)s.") % {"keys": ", ".join(extra)}
            )
        return cleaned

    def answers(self) -> dict:
        """JSON-safe answers keyed by field key."""
        result = {}
        for definition in self.definitions:
            value = self.cleaned_data.get(f"f_{definition.key}")
            if isinstance(value, Decimal):
                value = str(value)
            elif hasattr(value, "isoformat"):
                value = value.isoformat()
            result[definition.key] = value
        return result

    def sections(self):
        """[(section title, [bound fields])] in field order."""
        grouped = []
        for definition in self.definitions:
            title = definition.section
            if not grouped or grouped[-1][0] != title:
                grouped.append((title, []))
            grouped[-1][1].append(self[f"f_{definition.key}"])
        return grouped


def raw_answers(post, definitions) -> dict:
    """What the citizen typed for these fields, as posted (lists for multiple choice), to be saved
    before validation so that nothing entered is lost."""
    return {
        d.key: post.getlist(f"f_{d.key}") if d.field_type == FieldType.MULTIPLE_CHOICE else post.get(f"f_{d.key}", "")
        for d in definitions
    }


def build_answer_form(definitions, *, data=None, initial=None, prefix=None) -> AnswerForm:
    """A bound or unbound form for the given FormField rows (fields named `f_<key>`)."""
    definitions = list(definitions)
    fields = {f"f_{d.key}": _form_field(d) for d in definitions}
    form_class = type("VersionAnswerForm", (AnswerForm,), {**fields, "definitions": definitions})
    initial = {f"f_{k}": v for k, v in (initial or {}).items()}
    return form_class(data=data, initial=initial, prefix=prefix)
