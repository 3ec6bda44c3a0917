"""Issue 11, item 9: the forms of Circular 01/2018 carry what the circular asks, and Form 01 stays on
one A5 page (it spilled onto a second with only the officer's name when the address was long)."""

import datetime as dt
import io

import pypdf
import pytest
from django.urls import reverse
from django.utils import timezone

from dossiers.models import Dossier
from dossiers.services import desk
from tests.dossiers.conftest import run_to

pytestmark = pytest.mark.django_db
LONG_ADDRESS = "Xóm Đồi Thông, thôn Suối Cát, " * 8 + "xã Thử Nghiệm, huyện Lạc Thủy, tỉnh Hòa Bình"


def pdf_of(client, dossier, number, query=""):
    response = client.get(reverse("dossiers:desk_form", args=[dossier.code, number]) + query)
    assert response.status_code == 200
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    return [page.extract_text().replace("\xa0", " ") for page in reader.pages]


def test_form_01_fits_one_page_and_carries_what_the_circular_asks(client, filed, staff):
    snapshot = {**filed.applicant_snapshot, "address": LONG_ADDRESS, "email": "bo@example.vn"}
    Dossier.objects.filter(pk=filed.pk).update(applicant_snapshot=snapshot)
    dossier = run_to(Dossier.objects.get(pk=filed.pk), "received", staff)
    client.force_login(staff.desk)
    pages = pdf_of(client, dossier, "01")
    assert len(pages) == 1, [p[-200:] for p in pages]
    text = pages[0]
    assert any(line.strip() == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" for line in text.splitlines())
    sequence = dossier.code.rsplit("-", 1)[-1]
    text = " ".join(text.split())  # lines wrap where the layout wraps them
    for expected in ("bo@example.vn", "01 (bộ)", f"số {sequence} ngày", "lập thành 02 bản", "Cán bộ Một Cửa"):
        assert expected in text, (expected, text)


def test_form_02_is_numbered_and_each_request_can_be_printed(client, filed, staff, citizen):
    from dossiers.services import citizen as citizen_services
    from dossiers.services import uploads
    from tests.dossiers.conftest import pdf

    component = filed.version.components.first()
    desk.dossier_request_supplement(
        dossier=filed, actor=staff.desk, items=[{"kind": "component", "ref": component.id, "reason": "Mờ lần đầu"}]
    )
    uploads.attachment_add(dossier=filed, actor=citizen, component=component, upload=pdf("ro.pdf"))
    dossier = citizen_services.dossier_submit_supplement(dossier=filed, actor=citizen)
    dossier = run_to(dossier, "appraising", staff)
    desk.dossier_request_supplement(
        dossier=dossier, actor=staff.specialist, items=[{"kind": "field", "ref": "cccd_me", "reason": "Sai số"}]
    )
    client.force_login(staff.desk)
    first, latest = pdf_of(client, dossier, "02", "?n=1")[0], pdf_of(client, dossier, "02")[0]
    assert f"Số: 01/{dossier.code}" in first and "Mờ lần đầu" in first and "(01 bản" in first
    assert f"Số: 02/{dossier.code}" in latest and "Sai số" in latest


def test_form_04_is_addressed_and_dated(client, filed, staff):
    dossier = run_to(filed, "appraising", staff)
    day = timezone.localtime(dossier.due_at).date() + dt.timedelta(days=7)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    desk.dossier_issue_extension(dossier=dossier, actor=staff.leader, new_date=day, reason="Chờ xác minh")
    client.force_login(staff.leader)
    text = pdf_of(client, dossier, "04")[0]
    assert "Kính gửi: Nguyễn Văn Bố" in text and "Ngày tiếp nhận hồ sơ" in text


def test_form_05_names_the_applicant_the_agency_and_the_year(client, filed, staff):
    dossier = run_to(filed, "returned", staff)
    client.force_login(staff.desk)
    text = " ".join(pdf_of(client, dossier, "05"))
    year = str(timezone.localtime(dossier.received_at).year)
    assert "Nguyễn Văn Bố" in text and "UBND xã Thử Nghiệm" in text and f"/{year}" in text


def test_form_06_keeps_codes_whole_and_has_the_circulars_columns(client, filed, staff):
    dossier = run_to(filed, "returned", staff)
    long_code = "H15.50.05.03-261203-0001"  # a commune's 24-character code
    Dossier.objects.filter(pk=dossier.pk).update(code=long_code)
    client.force_login(staff.desk)
    response = client.get(reverse("dossiers:desk_register") + "?format=pdf")
    text = pypdf.PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert long_code in text.splitlines() or any(line.startswith(long_code) for line in text.splitlines())
    flat = " ".join(text.split())
    for column in ("Địa chỉ, điện thoại", "Cơ quan chủ trì", "Chuyển cơ quan giải quyết", "Ký nhận", "Xã Thử Nghiệm"):
        assert column in flat, column
    assert flat.count("Ký nhận") == 3
