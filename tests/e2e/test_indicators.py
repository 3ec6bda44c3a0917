"""Issue 12 in a browser: a leader filters the dashboard, drills down to the late dossiers and
exports; the public statistics page and the home page's summary on a phone; axe clean."""

import csv
import io
import os
from io import StringIO

import pytest
from django.core.management import call_command

from dossiers import demo_history
from tests.e2e.conftest import axe_blocking_violations
from tests.e2e.helpers import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def history(live_server, monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(demo_history, "DOSSIERS", 600)
    call_command("load_demo", "--quiet-logins", "--history", stdout=StringIO())


def test_a_leader_filters_drills_down_and_exports(history, new_page, live_server, screenshot_dir):
    from openpyxl import load_workbook

    url = live_server.url
    page = new_page()
    login(page, url, "lanhdao.lacthuy@example.vn", landing=r"/(desk/)?")
    page.goto(url + "/")
    page.get_by_role("link", name="Chỉ số").first.click()
    page.wait_for_url("**/desk/indicators/**")
    page.select_option("#id_period", "year")
    page.select_option("#id_by", "procedure")
    page.click("#dashboard-filters button[type=submit]")
    page.wait_for_url("**by=procedure**")
    assert page.locator("#breakdown tbody tr").count() > 3
    assert page.locator("#breakdown thead").inner_text().startswith("Thủ tục")
    assert axe_blocking_violations(page) == []
    page.screenshot(path=os.path.join(screenshot_dir, "indicators-dashboard.png"), full_page=True)
    late = int(page.locator("#figure-finished_late").inner_text().replace(".", ""))
    assert late > 0
    page.click("#figure-finished_late")
    page.wait_for_url("**/desk/indicators/finished_late/**")
    assert page.locator("h1").inner_text() == "Trễ hạn"
    rows = page.locator("#figure-dossiers tbody tr")
    assert rows.count() == min(25, late)
    first_code = rows.first.locator("a").inner_text()
    rows.first.locator("a").click()
    page.wait_for_url(f"**/desk/dossiers/{first_code}/")
    page.go_back()
    page.get_by_role("link", name="Chỉ số").last.click()  # the breadcrumb, back to the same period
    page.wait_for_url("**by=procedure**")
    with page.expect_download() as download:
        page.click("#export-xlsx")
    assert download.value.suggested_filename.endswith(".xlsx")
    with open(download.value.path(), "rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read())).active
    assert sheet.cell(1, 1).value == "Thủ tục" and sheet.max_row > 3
    with page.expect_download() as download:
        page.click("#export-csv")
    with open(download.value.path(), encoding="utf-8-sig") as handle:
        table = list(csv.reader(io.StringIO(handle.read())))
    assert table[0][0] == "Thủ tục" and len(table) == sheet.max_row


def test_the_public_statistics_and_the_home_summary_on_a_phone(history, new_page, live_server, screenshot_dir):
    url = live_server.url
    page = new_page(viewport="phone")
    page.goto(url + "/")
    summary = page.locator("#year-summary")
    assert "hồ sơ" in summary.inner_text() and "% trực tuyến" in summary.inner_text().replace("\xa0", " ")
    assert axe_blocking_violations(page) == []
    summary.locator("a").click()
    page.wait_for_url("**/statistics/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.locator("#by-agency tbody tr").count() >= 5
    assert axe_blocking_violations(page) == []
    page.select_option("#id_agency", "H15.50.05.01")
    page.get_by_role("button", name="Xem thống kê").click()
    page.wait_for_url("**agency=H15.50.05.01**")
    assert "Thị trấn Chi Nê" in page.locator("main").inner_text()
    page.screenshot(path=os.path.join(screenshot_dir, "statistics-phone.png"), full_page=True)
    page.locator("footer").get_by_role("link", name="Thống kê giải quyết thủ tục hành chính").click()
    page.wait_for_url("**/statistics/")
