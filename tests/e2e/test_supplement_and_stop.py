"""The supplement and stop paths in Chromium on the demo data: the desk asks once for everything
missing, the citizen uploads it, the desk is not offered a second request; a leader stops a dossier by a
written notice the citizen reads and downloads."""

import io
import os
import re
from io import StringIO

import pypdf
import pytest
from django.core.management import call_command

from dossiers.models import Dossier
from procedures.models import ProcedureVersion
from tests.e2e.conftest import axe_blocking_violations
from tests.e2e.helpers import PDF, login
from tests.e2e.helpers import file_online as browser_file_online

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(live_server):
    call_command("load_demo", "--quiet-logins", stdout=StringIO())


def district_version():
    return (
        ProcedureVersion.objects.filter(
            status="published", accepts_online=True, procedure__level="district", procedure__agencies__code="H15.50"
        )
        .exclude(payment_stage="on_submission")  # a fee paid on filing is tests/e2e/test_payments.py's
        .order_by("procedure__code")
        .first()
    )


def test_one_supplement_request_then_the_citizen_answers_it(demo, new_page, live_server, screenshot_dir):
    url = live_server.url
    page = new_page(viewport="phone")
    login(page, url, "an.nguyen@example.vn")
    code, _key = browser_file_online(page, url, district_version().procedure.code)

    login(page, url, "motcua.lacthuy@example.vn")
    page.goto(url + f"/desk/dossiers/{code}/")
    # Open the request's form by its summary; the click is checked and made again if a slow page
    # swallowed it (once in a few full runs on a loaded machine the checkbox stayed hidden).
    details = page.locator("details:has(#item-1)")
    for _ in range(3):
        if details.evaluate("d => d.open"):
            break
        details.locator("summary").click()
        page.wait_for_timeout(200)
    page.check("#item-1")
    page.fill("#reason-1", "Bản chụp bị mờ, không đọc được")
    page.click("text=Gửi yêu cầu bổ sung (Mẫu 02)")
    page.wait_for_selector("text=Đã thực hiện")

    login(page, url, "an.nguyen@example.vn")
    page.goto(url + f"/dossiers/{code}/")
    assert "Bản chụp bị mờ, không đọc được" in page.inner_text("main")
    assert page.locator("#forms a", has_text="Mẫu 02").count() == 1  # the request, as a form to download
    page.click("text=Bổ sung ngay")
    page.wait_for_url(re.compile(r"/supplement/$"))
    page.set_input_files(
        "input[type=file]", files=[{"name": "ban-ro.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.click("button:has-text('Tải lên')")
    page.wait_for_selector("text=ban-ro.pdf")
    page.screenshot(path=os.path.join(screenshot_dir, "supplement-citizen-phone.png"), full_page=True)
    assert axe_blocking_violations(page) == []
    page.click("#send-supplement")
    page.wait_for_url(re.compile(rf"/dossiers/{code}/$"))

    login(page, url, "motcua.lacthuy@example.vn")
    page.goto(url + f"/desk/dossiers/{code}/")
    assert page.is_visible("#supplement-done")  # asked once already: no second request offered
    assert page.locator("summary:has-text('Yêu cầu bổ sung')").count() == 0
    page.screenshot(path=os.path.join(screenshot_dir, "supplement-desk-after-phone.png"), full_page=True)
    assert Dossier.objects.get(code=code).supplements.count() == 1


def test_a_leader_stops_a_dossier_and_the_citizen_reads_the_notice(demo, new_page, live_server, screenshot_dir):
    url = live_server.url
    dossier = Dossier.objects.filter(agency__code="H15.50", stage="appraising").order_by("pk").first()
    owner = dossier.applicant.email
    page = new_page()
    login(page, url, "lanhdao.lacthuy@example.vn")
    page.goto(url + f"/desk/dossiers/{dossier.code}/")
    reason = "Thửa đất đang có tranh chấp, chờ Tòa án giải quyết"
    page.locator("#action-stop_processing summary").click()
    page.wait_for_selector("#action-stop_processing[open] #id_stop_processing-reason")  # the form has opened
    page.fill("#id_stop_processing-reason", reason)
    assert page.input_value("#id_stop_processing-reason") == reason
    page.locator("#action-stop_processing button[type=submit]").click()
    page.wait_for_selector("text=Đã thực hiện")
    assert Dossier.objects.get(pk=dossier.pk).status == "stopped"

    login(page, url, owner)
    page.goto(url + f"/dossiers/{dossier.code}/")
    assert page.inner_text("#status") == "Dừng xử lý"
    assert "Thửa đất đang có tranh chấp" in page.inner_text("#stop-reason")
    page.screenshot(path=os.path.join(screenshot_dir, "citizen-stopped-desktop.png"), full_page=True)
    assert axe_blocking_violations(page) == []
    href = page.locator("#forms a", has_text="Thông báo dừng xử lý").get_attribute("href")
    notice = page.request.get(url + href)
    text = pypdf.PdfReader(io.BytesIO(notice.body())).pages[0].extract_text()
    assert "DỪNG XỬ LÝ" in text and dossier.code in text
