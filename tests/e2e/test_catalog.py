"""The catalog as a citizen and a catalog admin use it, in Chromium, on the demo catalog."""

import os
import re
from io import StringIO

import pytest
from django.core.management import call_command

from procedures.models import ProcedureVersion
from tests.e2e.conftest import axe_blocking_violations
from tests.e2e.helpers import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BIRTH = "1.001193"


@pytest.fixture
def demo(live_server):
    call_command("load_demo", "--quiet-logins", stdout=StringIO())


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_citizen_finds_birth_registration_without_diacritics(demo, new_page, live_server, screenshot_dir, viewport):
    page = new_page(viewport=viewport)
    page.goto(live_server.url + "/")
    search = page.locator("#home-q")
    search.fill("dang ky khai sinh")
    search.press("Enter")
    page.wait_for_url(re.compile(r"/procedures/\?q="))
    assert "Tìm thấy" in page.inner_text("#result-count")
    first = page.locator(".procedure-list h2 a").first
    assert "khai sinh" in first.inner_text().lower()
    page.screenshot(path=os.path.join(screenshot_dir, f"procedures-list-vi-{viewport}.png"), full_page=True)
    assert axe_blocking_violations(page) == []

    page.locator(".procedure-list a", has_text=re.compile(r"^Đăng ký khai sinh$")).first.click()
    page.wait_for_url(f"**/procedures/{BIRTH}/")
    assert page.locator("#components tbody tr").count() >= 1
    assert "ngày làm việc" in page.inner_text("#processing-time") or "trong ngày" in page.inner_text("#processing-time")
    assert page.get_attribute("#file-online", "href") == f"/dossiers/new/{BIRTH}/"
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    page.screenshot(path=os.path.join(screenshot_dir, f"procedure-detail-vi-{viewport}.png"), full_page=True)
    assert axe_blocking_violations(page) == []


def test_procedure_pages_in_english(demo, new_page, live_server, screenshot_dir):
    page = new_page(language="en")
    page.goto(live_server.url + "/procedures/?q=khai+sinh")
    assert "procedure" in page.inner_text("#result-count").lower()
    page.goto(live_server.url + f"/procedures/{BIRTH}/")
    page.screenshot(path=os.path.join(screenshot_dir, "procedure-detail-en-desktop.png"), full_page=True)
    assert axe_blocking_violations(page) == []


def test_catalog_admin_clones_edits_and_publishes(demo, new_page, live_server, screenshot_dir):
    old = ProcedureVersion.objects.get(procedure__code=BIRTH, status="published")
    old_description = old.description
    page = new_page()
    page.goto(live_server.url + "/admin/")  # the admin has no login form of its own: the portal's
    login(page, live_server.url, "danhmuc@example.vn", landing=r"/admin/$")
    page.goto(live_server.url + f"/admin/procedures/procedureversion/{old.pk}/change/")
    page.click("input[name=_clone]")
    page.wait_for_selector("text=Đã tạo bản nháp mới")
    draft = ProcedureVersion.objects.get(procedure__code=BIRTH, status="draft")
    assert page.url.endswith(f"/procedureversion/{draft.pk}/change/")
    page.fill("#id_description", "Mô tả mới: nộp trực tuyến, nhận kết quả qua bưu điện.")
    page.screenshot(path=os.path.join(screenshot_dir, "admin-draft-vi-desktop.png"), full_page=False)
    page.click("input[name=_publish]")
    page.wait_for_selector("text=Đã công bố phiên bản")

    old.refresh_from_db()
    draft.refresh_from_db()
    assert old.status == "retired" and old.description == old_description
    assert draft.status == "published"
    assert draft.description.startswith("Mô tả mới")
    page.goto(live_server.url + f"/procedures/{BIRTH}/")
    assert "Mô tả mới" in page.inner_text("main")


def test_desk_staff_do_not_open_the_admin(demo, new_page, live_server):
    version = ProcedureVersion.objects.get(procedure__code=BIRTH, status="published")
    page = new_page()
    login(page, live_server.url, "motcua.lacthuy@example.vn")
    assert page.locator('a[href="/admin/"]').count() == 0
    response = page.goto(live_server.url + f"/admin/procedures/procedureversion/{version.pk}/change/")
    assert response.status == 403
    assert "Bạn không có quyền xem trang này" in page.inner_text("main")
    assert page.locator("input[name=_clone]").count() == 0
