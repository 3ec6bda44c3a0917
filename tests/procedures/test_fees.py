"""What a dossier owes: procedures.selectors.fees_due and version_charges, on the version as
version_with_parts keeps it."""

import pytest

from procedures.constants import VersionStatus
from procedures.models import FeeExemption, FeeItem, FormField
from procedures.selectors import FeeBill, FeeLine, fees_due, version_charges, version_with_parts
from tests.factories import make_version

pytestmark = pytest.mark.django_db


def number_field(version, key="copies", label="Số bản sao đề nghị cấp"):
    return FormField.objects.create(
        version=version, order=9, key=key, label_vi=label, field_type="number", required=True, min_value=1
    )


@pytest.fixture
def fees():
    """A published version: a copy fee of 8.000 per copy, a fixed fee of 20.000 with three exemptions
    and a waived fee. Parts are added while it is a draft."""
    version = make_version(status=VersionStatus.DRAFT, fees=0)
    number_field(version)
    per_copy = FeeItem.objects.create(
        version=version, order=0, name="Phí bản sao", amount=8000, quantity_field="copies"
    )
    fixed = FeeItem.objects.create(version=version, order=1, name="Lệ phí", amount=20000)
    free = FeeItem.objects.create(version=version, order=2, name="Lệ phí đúng hạn", amount=0)
    half = FeeExemption.objects.create(fee=fixed, category="Sinh viên", percent=50, reason="Thông tư 244/2016/TT-BTC")
    whole = FeeExemption.objects.create(fee=fixed, category="Hộ nghèo", percent=100, reason="Điều 11 Luật Hộ tịch")
    also_half = FeeExemption.objects.create(fee=fixed, category="Người có công", percent=50, reason="Thông tư 244")
    copies_exempt = FeeExemption.objects.create(fee=per_copy, category="Trẻ em", percent=100, reason="Luật Trẻ em")
    version.status = VersionStatus.PUBLISHED
    version.save(update_fields=["status"])
    return {
        "version": version_with_parts(pk=version.pk),
        "per_copy": per_copy,
        "fixed": fixed,
        "free": free,
        "half": half,
        "whole": whole,
        "also_half": also_half,
        "copies_exempt": copies_exempt,
    }


def test_a_per_unit_fee_multiplies_by_the_answer_and_fixed_and_free_fees_are_listed(fees):
    bill = fees_due(fees["version"], {"copies": "3"})
    assert isinstance(bill, FeeBill)
    assert bill.lines == [
        FeeLine(fees["per_copy"].pk, "Phí bản sao", 8000, 3, 24000),
        FeeLine(fees["fixed"].pk, "Lệ phí", 20000, 1, 20000),
        FeeLine(fees["free"].pk, "Lệ phí đúng hạn", 0, 1, 0),  # a waived fee is still listed
    ]
    assert bill.total == 44000
    assert bill.lines[0].exemption_id is None and bill.lines[0].exemption_percent == 0


def test_a_claimed_exemption_reduces_its_fee_and_is_named_on_the_line(fees):
    bill = fees_due(fees["version"], {"copies": "1"}, exemption_ids=[fees["half"].pk])
    line = bill.lines[1]
    assert (line.amount, line.exemption_id, line.exemption_percent) == (10000, fees["half"].pk, 50)
    assert (line.exemption_category, line.exemption_reason) == ("Sinh viên", "Thông tư 244/2016/TT-BTC")
    assert bill.total == 8000 + 10000


def test_of_several_exemptions_claimed_on_one_fee_the_largest_percent_applies(fees):
    claimed = [fees["half"].pk, fees["whole"].pk, fees["also_half"].pk]
    line = fees_due(fees["version"], {"copies": "1"}, exemption_ids=claimed).lines[1]
    assert (line.exemption_id, line.amount) == (fees["whole"].pk, 0)
    tie = fees_due(fees["version"], {"copies": "1"}, exemption_ids=[fees["also_half"].pk, fees["half"].pk])
    assert tie.lines[1].exemption_id == fees["half"].pk  # on a tie, the first listed


def test_an_exemption_of_another_fee_or_unknown_id_is_ignored(fees):
    bill = fees_due(fees["version"], {"copies": "2"}, exemption_ids=[fees["copies_exempt"].pk, 999999])
    assert bill.lines[1].exemption_id is None and bill.lines[1].amount == 20000  # the fixed fee: untouched
    assert bill.lines[0].exemption_id == fees["copies_exempt"].pk and bill.lines[0].amount == 0
    as_text = fees_due(fees["version"], {"copies": "2"}, exemption_ids=[str(fees["half"].pk)])
    assert as_text.lines[1].amount == 10000  # ids posted as text count too


def test_amounts_round_down_to_the_dong():
    version = make_version(status=VersionStatus.DRAFT, fees=0)
    number_field(version)
    fee = FeeItem.objects.create(version=version, name="Phí", amount=999, quantity_field="copies")
    third = FeeExemption.objects.create(fee=fee, category="A", percent=33, reason="B")
    line = fees_due(version, {"copies": "3"}, exemption_ids=[third.pk]).lines[0]
    assert line.amount == 2007  # 999 x 3 x 67 / 100 = 2007.99


@pytest.mark.parametrize(
    ("answer", "quantity"),
    [
        ("4", 4),
        (4, 4),
        ("2.7", 2),  # the whole part
        ("0", 0),
        (None, 1),
        ("", 1),
        ("ba", 1),
        ("-2", 1),  # never negative
        (True, 1),
        ("NaN", 1),
        ("9e999999999", 1),  # absurd: neither a bill nor a billion-digit number
    ],
)
def test_a_missing_or_bad_answer_counts_one_unit(fees, answer, quantity):
    line = fees_due(fees["version"], {"copies": answer}).lines[0]
    assert (line.quantity, line.amount) == (quantity, 8000 * quantity)


def test_an_unanswered_quantity_field_counts_one_unit(fees):
    assert fees_due(fees["version"], {}).lines[0].quantity == 1


def test_version_charges_only_when_some_amount_is_above_zero():
    assert not version_charges(make_version(fees=0))
    free = make_version(status=VersionStatus.DRAFT, fees=0)
    FeeItem.objects.create(version=free, name="Lệ phí", amount=0)
    assert not version_charges(free)
    assert version_charges(make_version(fees=1))


def test_the_kept_version_answers_without_a_query(fees, django_assert_num_queries):
    pk = fees["version"].pk
    with django_assert_num_queries(0):
        version = version_with_parts(pk=pk)
        bill = fees_due(version, {"copies": "5"}, exemption_ids=[fees["whole"].pk])
        assert version_charges(version)
    assert bill.total == 40000
