"""Issue 15 in Chromium on the demo data: a citizen pays a dossier's fee in the sandbox gateway and the
dossier moves on; the desk sees it paid, with its e-receipt."""

import io
import os
from io import StringIO

import pypdf
import pytest
from django.core.management import call_command

from dossiers.models import Dossier, Payment
from tests.e2e.conftest import axe_blocking_violations
from tests.e2e.helpers import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def waiting(live_server):
    call_command("load_demo", "--quiet-logins", stdout=StringIO())
    dossier = (
        Dossier.objects.filter(stage="awaiting_payment", channel="online", previous_stage="checking")
        .select_related("filer")
        .order_by("pk")
        .first()
    )
    assert dossier is not None, "the demo leaves a dossier waiting for its fee"
    return dossier


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_a_citizen_pays_in_the_sandbox_and_the_desk_sees_it_paid(
    waiting, new_page, live_server, screenshot_dir, viewport
):
    url = live_server.url
    page = new_page(viewport=viewport)
    login(page, url, waiting.filer.email)
    page.goto(url + f"/dossiers/{waiting.code}/")
    assert page.inner_text("#status") == "Yêu cầu thực hiện nghĩa vụ tài chính"
    assert "Chờ nộp" in page.inner_text("#fee-state")
    assert page.locator("#vietqr svg").count() == 1  # the agency's account as a VietQR code
    page.screenshot(path=os.path.join(screenshot_dir, f"fee-due-{viewport}.png"), full_page=True)
    assert axe_blocking_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0

    # The payment notice, as printed.
    notice = page.request.get(url + f"/dossiers/{waiting.code}/forms/fee/")
    text = pypdf.PdfReader(io.BytesIO(notice.body())).pages[0].extract_text()
    assert "THÔNG BÁO NỘP PHÍ" in text and waiting.code in text

    with page.expect_navigation():
        page.click("#pay-online")
    assert "/payments/sandbox/" in page.url
    page.screenshot(path=os.path.join(screenshot_dir, f"sandbox-{viewport}.png"), full_page=True)
    assert axe_blocking_violations(page) == []
    with page.expect_navigation():
        page.click("#sandbox-pay")
    assert "Thanh toán thành công" in page.inner_text("#payment-result")
    page.screenshot(path=os.path.join(screenshot_dir, f"paid-{viewport}.png"), full_page=True)
    assert axe_blocking_violations(page) == []
    page.click("text=Về trang hồ sơ")
    assert page.inner_text("#status") == "Mới đăng ký"  # on to the desk's check
    assert "Thanh toán trực tuyến" in page.inner_text("#payments")
    receipt = page.request.get(url + f"/dossiers/{waiting.code}/forms/receipt/?n=1")
    assert "BIÊN LAI THU PHÍ" in pypdf.PdfReader(io.BytesIO(receipt.body())).pages[0].extract_text()

    payment = Payment.objects.get(assessment__dossier=waiting)
    assert payment.method == "online" and payment.state == "received"

    login(page, url, "motcua.lacthuy@example.vn" if waiting.agency.code == "H15.50" else "motcua.chine@example.vn")
    page.goto(url + f"/desk/dossiers/{waiting.code}/")
    assert "Đã nộp" in page.inner_text("#fee-state")
    assert "Thanh toán trực tuyến" in page.inner_text("#payments")
    assert "Biên lai điện tử" in page.inner_text("#payments")
    page.screenshot(path=os.path.join(screenshot_dir, f"desk-paid-{viewport}.png"), full_page=True)
    assert axe_blocking_violations(page) == []
