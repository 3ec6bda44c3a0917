"""What a dossier owes under its version's fees: pure arithmetic on the version's fees and their
exemptions as version_with_parts() prefetches them (no query). procedures.selectors exports these."""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

# More units than any form allows is a wrong answer, not a bill (and int() of "9e999999999" would
# build a billion-digit number).
MAX_UNITS = 1_000_000


@dataclass(frozen=True)
class FeeLine:
    fee_id: int
    name: str
    unit_amount: int  # đồng: the fee's amount, per unit when it has a quantity_field
    quantity: int  # 1 for a fixed fee
    amount: int  # đồng due: unit_amount * quantity, less the exemption, rounded down
    exemption_id: int | None = None
    exemption_category: str = ""
    exemption_percent: int = 0
    exemption_reason: str = ""


@dataclass(frozen=True)
class FeeBill:
    lines: list[FeeLine] = field(default_factory=list)
    total: int = 0


def units_answered(answer) -> int:
    """The number of units an answer gives: its whole part (2.7 -> 2; 0 stays 0). A missing, empty,
    non-numeric, negative or absurdly large answer counts 1: the citizen's form refuses those, so only
    a draft's raw answers can hold them, and 1 is what a fixed fee charges. Never negative."""
    if answer is None or isinstance(answer, bool):
        return 1
    try:
        value = Decimal(str(answer).strip())
    except InvalidOperation:
        return 1
    if not value.is_finite() or value < 0 or value > MAX_UNITS:
        return 1
    return int(value)


def fee_line(fee, answers: dict, claimed: set[str]) -> FeeLine:
    """One fee's line. `claimed` holds the exemption ids (as text) the applicant claims; only this
    fee's count, and of several the largest percent applies (the first listed on a tie)."""
    quantity = units_answered(answers.get(fee.quantity_field)) if fee.quantity_field else 1
    gross = fee.amount * quantity
    exemption = None
    for candidate in fee.exemptions.all():
        if str(candidate.pk) in claimed and (exemption is None or candidate.percent > exemption.percent):
            exemption = candidate
    if exemption is None:
        return FeeLine(fee.pk, fee.name, fee.amount, quantity, gross)
    return FeeLine(
        fee_id=fee.pk,
        name=fee.name,
        unit_amount=fee.amount,
        quantity=quantity,
        amount=gross * (100 - exemption.percent) // 100,
        exemption_id=exemption.pk,
        exemption_category=exemption.category,
        exemption_percent=exemption.percent,
        exemption_reason=exemption.reason,
    )


@dataclass(frozen=True)
class FeeRow:
    """A fee as the procedure's public page lists it."""

    name: str
    amount: int
    note: str
    unit_label: str  # the label of the field counting the units; "" for a fixed fee
    exemptions: list  # FeeExemption rows


def fee_rows(version) -> list[FeeRow]:
    labels = {f.key: f.label for f in version.fields.all()}
    return [
        FeeRow(
            name=fee.name,
            amount=fee.amount,
            note=fee.note,
            unit_label=labels.get(fee.quantity_field, fee.quantity_field) if fee.quantity_field else "",
            exemptions=list(fee.exemptions.all()),
        )
        for fee in version.fees.all()
    ]
