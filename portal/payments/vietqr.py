"""NAPAS VietQR codes for a bank transfer to an agency's account (EMVCo merchant-presented QR).

A payload is a run of fields, each a two-digit id, a two-digit length and the value; docs/payments.md
lists the ones we write. Any Vietnamese banking app reads it and fills in the bank, the account, the
amount and the transfer content. Banks carry only ASCII letters, digits and spaces in that content, so
`transfer_content` makes one that survives and `normalise` finds it again in a statement line."""

import re
import unicodedata

import segno
from django.utils.translation import gettext_lazy as _

NAPAS_GUID = "A000000727"
TRANSFER_TO_ACCOUNT = "QRIBFTTA"
CURRENCY_VND = "704"
COUNTRY_VN = "VN"
CONTENT_MAX_LENGTH = 25  # the purpose field (62/08) NAPAS passes on
# Starts every transfer content, so reconciliation finds the code after it in a statement line.
CONTENT_PREFIX = "HS"
AMOUNT_LIMIT = 10**13  # field 54 holds at most 13 characters

BIN_PATTERN = re.compile(r"[0-9]{6}")
ACCOUNT_PATTERN = re.compile(r"[0-9A-Za-z]{1,19}")


def payload(*, bin: str, account: str, amount: int | None, content: str) -> str:
    """The VietQR string for a transfer to `account` at the bank `bin` (its 6-digit NAPAS BIN).

    With an amount (whole đồng) the code is for one payment (initiation "12"); without one the
    payer types it ("11"). The content is cleaned as `bank_text` does; empty leaves field 62 out.
    Raises ValueError for a value a bank would refuse."""
    if not isinstance(bin, str) or not BIN_PATTERN.fullmatch(bin):
        raise ValueError(f"BIN must be 6 digits, got {bin!r}")
    if not isinstance(account, str) or not ACCOUNT_PATTERN.fullmatch(account):
        raise ValueError(f"account must be 1 to 19 ASCII letters or digits, got {account!r}")
    if amount is not None and (not isinstance(amount, int) or isinstance(amount, bool)):
        raise ValueError(f"amount must be a whole number of đồng, got {amount!r}")
    if amount is not None and not 0 <= amount < AMOUNT_LIMIT:
        raise ValueError(f"amount must be at least 0 and below 10^13, got {amount}")
    purpose = bank_text(content)
    if len(purpose) > CONTENT_MAX_LENGTH:
        raise ValueError(f"content must be at most {CONTENT_MAX_LENGTH} characters once cleaned, got {purpose!r}")

    beneficiary = field("00", bin) + field("01", account)
    merchant = field("00", NAPAS_GUID) + field("01", beneficiary) + field("02", TRANSFER_TO_ACCOUNT)
    parts = [
        field("00", "01"),
        field("01", "11" if amount is None else "12"),
        field("38", merchant),
        field("53", CURRENCY_VND),
        field("54", str(amount)) if amount is not None else "",
        field("58", COUNTRY_VN),
        field("62", field("08", purpose)) if purpose else "",
        "6304",
    ]
    body = "".join(parts)
    return body + f"{crc16(body.encode('ascii')):04X}"


def field(tag: str, value: str) -> str:
    """One TLV field: id, two-digit length, value."""
    if len(value) > 99:
        raise ValueError(f"field {tag} is longer than 99 characters")
    return f"{tag}{len(value):02d}{value}"


def crc16(data: bytes) -> int:
    """CRC-16/CCITT-FALSE (polynomial 0x1021, initial 0xFFFF, no reflection), the EMVCo checksum."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _bit in range(8):
            crc = (crc << 1) ^ 0x1021 if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


def bank_text(text: str) -> str:
    """What a bank keeps of a text: diacritics removed (đ → d), every character other than an ASCII
    letter, digit or space dropped, runs of spaces made one. Case is kept."""
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    text = "".join(" " if char.isspace() else char for char in unicodedata.normalize("NFKD", text))
    text = re.sub(r"[^A-Za-z0-9 ]", "", text)
    return re.sub(r" +", " ", text).strip()


def transfer_content(code: str) -> str:
    """The transfer content for a reference such as a dossier code: "HS" and the code's letters and
    digits, upper-case ("H15.50.05.13-261008-0975" gives "HSH155005132610080975"). Never cut short,
    since a cut content could match another payment: raises ValueError when the code has no letter or
    digit or the content would be longer than 25 characters."""
    cleaned = normalise(code)
    if not cleaned:
        raise ValueError(f"no letter or digit in {code!r}")
    content = CONTENT_PREFIX + cleaned
    if len(content) > CONTENT_MAX_LENGTH:
        raise ValueError(f"transfer content {content!r} is longer than {CONTENT_MAX_LENGTH} characters")
    return content


def normalise(text: str) -> str:
    """Upper-case ASCII letters and digits only: compare a transfer content with the free text of a
    bank statement line (banks add prefixes, suffixes, spaces and dots) by containment."""
    return bank_text(text).replace(" ", "").upper()


def qr_svg(payload: str, *, title: str | None = None) -> str:
    """The payload as an inline SVG QR code (no image request), named for screen readers by `title`."""
    title = str(title or _("Mã VietQR để chuyển khoản"))
    svg = segno.make_qr(payload, error="m").svg_inline(scale=4, border=4, dark="#000", light="#fff", title=title)
    return svg.replace("<svg ", '<svg role="img" ', 1)
