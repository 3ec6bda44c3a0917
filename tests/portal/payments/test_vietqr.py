"""VietQR payloads: the checksum, the fields a banking app reads, published reference codes, refusals."""

import binascii

import pytest

from portal.payments import vietqr

# Published by github.com/subiz/vietqr (README.md and vietqr_test.go); banking apps read them.
REFERENCE = [
    (
        {"bin": "970415", "account": "0011001932418", "amount": 120000, "content": "ủng hộ lũ lụt"},
        "00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA530370454061200005802VN"
        "62170813ung ho lu lut6304C15C",
    ),
    (
        {"bin": "970423", "account": "0099999999", "amount": None, "content": ""},
        "00020101021138540010A00000072701240006970423011000999999990208QRIBFTTA53037045802VN6304CBB4",
    ),
    (
        {"bin": "970422", "account": "0023457923442ASDFLJ", "amount": 40123, "content": "chuyen khoan alsdkf laksj"},
        "00020101021238630010A0000007270133000697042201190023457923442ASDFLJ0208QRIBFTTA53037045405401235802VN"
        "62290825chuyen khoan alsdkf laksj6304E5DB",
    ),
]


# Which fields are templates (TLV inside): 38 (with the beneficiary 38/01) and 62.
TEMPLATES = {"38": {"01": {}}, "62": {}}


def decode(text: str, templates=TEMPLATES) -> dict:
    """Our own TLV reader, independent of the builder: {id: value}, templates as dicts."""
    fields, i = {}, 0
    while i < len(text):
        tag, length = text[i : i + 2], int(text[i + 2 : i + 4])
        value = text[i + 4 : i + 4 + length]
        assert len(value) == length, f"field {tag} is cut short"
        assert tag not in fields, f"field {tag} twice"
        fields[tag] = decode(value, templates[tag]) if tag in templates else value
        i += 4 + length
    return fields


@pytest.mark.parametrize(("inputs", "expected"), REFERENCE)
def test_published_reference_codes_are_reproduced_exactly(inputs, expected):
    assert vietqr.payload(**inputs) == expected


@pytest.mark.parametrize(
    "inputs",
    [
        {"bin": "970415", "account": "113366668888", "amount": 79000, "content": "HSH155005132610080975"},
        {"bin": "970436", "account": "0881000458086", "amount": None, "content": "Lệ phí hồ sơ"},
        {"bin": "970422", "account": "A1", "amount": 0, "content": ""},
    ],
)
def test_the_checksum_is_crc16_ccitt_false_over_everything_before_it(inputs):
    code = vietqr.payload(**inputs)
    assert code[-8:-4] == "6304"
    assert code[-4:] == f"{binascii.crc_hqx(code[:-4].encode(), 0xFFFF):04X}"


def test_a_payment_code_carries_bank_account_amount_and_content():
    code = vietqr.payload(bin="970415", account="113366668888", amount=250000, content="HSH155005132610080975")
    fields = decode(code)
    assert list(fields) == ["00", "01", "38", "53", "54", "58", "62", "63"]
    assert fields["00"] == "01" and fields["01"] == "12"
    assert fields["38"] == {
        "00": "A000000727",
        "01": {"00": "970415", "01": "113366668888"},
        "02": "QRIBFTTA",
    }
    assert fields["53"] == "704" and fields["54"] == "250000" and fields["58"] == "VN"
    assert fields["62"] == {"08": "HSH155005132610080975"}


def test_without_an_amount_the_code_is_static_and_the_payer_types_it():
    fields = decode(vietqr.payload(bin="970415", account="113366668888", amount=None, content="Phi"))
    assert fields["01"] == "11" and "54" not in fields
    assert fields["62"] == {"08": "Phi"}


def test_the_largest_amount_fits_field_54():
    fields = decode(vietqr.payload(bin="970415", account="1", amount=10**13 - 1, content=""))
    assert fields["54"] == "9999999999999" and "62" not in fields


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"bin": "97041"}, "BIN"),
        ({"bin": "9704150"}, "BIN"),
        ({"bin": "97041a"}, "BIN"),
        ({"bin": "٩٧٠٤١٥"}, "BIN"),  # Arabic-Indic digits are digits to str.isdigit, not to a bank
        ({"account": ""}, "account"),
        ({"account": "1" * 20}, "account"),
        ({"account": "0011-001"}, "account"),
        ({"account": "Đ123"}, "account"),
        ({"amount": -1}, "amount"),
        ({"amount": 10**13}, "amount"),
        ({"amount": 1500.0}, "amount"),
        ({"amount": "1500"}, "amount"),
        ({"amount": True}, "amount"),
        ({"content": "x" * 26}, "content"),
        ({"content": "Nộp phí hồ sơ cấp giấy phép xây dựng"}, "content"),
    ],
)
def test_values_a_bank_would_refuse_raise(changes, message):
    inputs = {"bin": "970415", "account": "113366668888", "amount": 1000, "content": "HS1"} | changes
    with pytest.raises(ValueError, match=message):
        vietqr.payload(**inputs)


def test_transfer_content_is_hs_and_the_code_letters_and_digits():
    assert vietqr.transfer_content("H15.50.05.13-261008-0975") == "HSH155005132610080975"
    assert vietqr.transfer_content("h15.50 - Đ1/đ2") == "HSH1550D1D2"
    longest = vietqr.transfer_content("H15.50.05.13.01.02-261008-0975")
    assert len(longest) == 25 and vietqr.payload(bin="970415", account="1", amount=1, content=longest)


@pytest.mark.parametrize("code", ["H15.50.05.13.01.02.03-261008-0975", "", "-.-", "Đ" * 24])
def test_transfer_content_is_never_cut_short(code):
    with pytest.raises(ValueError):
        vietqr.transfer_content(code)


def test_the_payload_keeps_what_a_bank_keeps_of_the_content():
    code = vietqr.payload(bin="970415", account="1", amount=1, content="  Lệ phí,   đăng ký\tkết hôn ")
    assert decode(code)["62"] == {"08": "Le phi dang ky ket hon"}


def test_normalise_finds_the_content_in_a_bank_statement_line():
    content = vietqr.transfer_content("H15.50.05.13-261008-0975")
    line = "MBVCB.5531234.hsh15500513 26100809 75.CT tu 0011001932418 NGUYEN VAN A toi 113366668888"
    assert vietqr.normalise(content) in vietqr.normalise(line)
    assert vietqr.normalise("Lệ phí, ĐKKH đủ") == "LEPHIDKKHDU"
    other = vietqr.transfer_content("H15.50.05.13-261008-0976")
    assert vietqr.normalise(other) not in vietqr.normalise(line)


def test_the_qr_code_is_inline_svg_named_for_screen_readers():
    svg = vietqr.qr_svg(REFERENCE[0][1])
    assert svg.startswith('<svg role="img" ') and "<title>Mã VietQR để chuyển khoản</title>" in svg
    assert "<?xml" not in svg and "<image" not in svg
    assert "<title>Phí &lt;hồ sơ&gt;</title>" in vietqr.qr_svg(REFERENCE[0][1], title="Phí <hồ sơ>")
