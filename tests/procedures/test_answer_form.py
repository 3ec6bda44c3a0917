import datetime as dt

import pytest

from procedures.forms import build_answer_form
from procedures.models import FormField

pytestmark = pytest.mark.django_db


def field(key, kind, **extra):
    return FormField(key=key, label_vi=key, field_type=kind, required=extra.pop("required", True), **extra)


CHOICES = [
    {"value": "nam", "label": {"vi": "Nam", "en": "Male"}},
    {"value": "nu", "label": {"vi": "Nữ", "en": "Female"}},
]
DEFINITIONS = [
    field("ho_ten", "text"),
    field("ngay_sinh", "date"),
    field("gioi_tinh", "single_choice", choices=CHOICES),
    field("so_con", "number", min_value=0, max_value=10),
    field("cccd_me", "cccd"),
    field("dien_thoai", "phone", required=False),
    field("cam_ket", "checkbox"),
    field("ma_so", "text", pattern=r"^[A-Z]{2}\d{4}$", required=False),
]
GOOD = {
    "f_ho_ten": "Nguyễn Văn Bé",
    "f_ngay_sinh": "05/09/2026",
    "f_gioi_tinh": "nam",
    "f_so_con": "2",
    "f_cccd_me": "017199000123",
    "f_cam_ket": "on",
}


def test_valid_answers_become_json_safe():
    form = build_answer_form(DEFINITIONS, data=GOOD)
    assert form.is_valid(), form.errors
    answers = form.answers()
    assert answers["ngay_sinh"] == "2026-09-05" and answers["so_con"] == "2" and answers["cam_ket"] is True


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("f_ho_ten", "", "Vui lòng nhập thông tin này."),
        ("f_ngay_sinh", "2026/31/31", "Ngày không đúng định dạng"),
        ("f_gioi_tinh", "khac", "Lựa chọn không có trong danh sách."),
        ("f_so_con", "11", "10"),
        ("f_so_con", "hai", "Nhập một số"),
        ("f_cccd_me", "12345", "đúng 12 chữ số"),
        ("f_cam_ket", "", "đánh dấu"),
    ],
)
def test_each_rule_gives_a_vietnamese_message(key, value, message):
    data = {**GOOD, key: value}
    if not value:
        data.pop(key)
    form = build_answer_form(DEFINITIONS, data=data)
    assert not form.is_valid()
    assert message in " ".join(form.errors[key])


def test_pattern_and_phone_rules():
    form = build_answer_form(DEFINITIONS, data={**GOOD, "f_ma_so": "ab12", "f_dien_thoai": "123"})
    assert not form.is_valid()
    assert "f_ma_so" in form.errors and "f_dien_thoai" in form.errors


def test_a_field_not_in_the_version_is_refused():
    form = build_answer_form(DEFINITIONS, data={**GOOD, "f_trang_thai": "da_duyet"})
    assert not form.is_valid()
    assert "f_trang_thai" in " ".join(form.non_field_errors())


def test_sections_group_fields_in_order():
    defs = [
        field("a", "text", section_vi="Người khai"),
        field("b", "text", section_vi="Người khai"),
        field("c", "text", section_vi="Trẻ"),
    ]
    assert [(title, len(fields)) for title, fields in build_answer_form(defs).sections()] == [
        ("Người khai", 2),
        ("Trẻ", 1),
    ]


def test_initial_answers_prefill():
    form = build_answer_form(DEFINITIONS, initial={"ho_ten": "Bé Na", "ngay_sinh": dt.date(2026, 1, 2)})
    assert form["f_ho_ten"].value() == "Bé Na"
