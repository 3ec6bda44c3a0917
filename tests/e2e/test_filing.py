"""A new citizen files a dossier online in Chromium, then tracks it while logged out."""

import os
import re
from io import StringIO

import pytest
from django.core.management import call_command

from dossiers.models import Dossier
from tests.e2e.conftest import axe_blocking_violations
from tests.e2e.helpers import PDF, fill_section, follow_activation_mail

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(live_server):
    call_command("load_demo", "--quiet-logins", stdout=StringIO())


@pytest.fixture
def scan(tmp_path):
    def make(name):
        path = tmp_path / name
        path.write_bytes(PDF + name.encode())
        return str(path)

    return make


def shot(page, directory, name, viewport):
    page.screenshot(path=os.path.join(directory, f"filing-{name}-{viewport}.png"), full_page=True)
    assert axe_blocking_violations(page) == [], name


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_register_file_upload_check_submit_and_track(demo, new_page, live_server, screenshot_dir, scan, viewport):
    page = new_page(viewport=viewport)
    url = live_server.url
    # Find the procedure first, as a visitor, then register from the filing button and come back.
    page.goto(url + "/procedures/?q=dang+ky+khai+sinh")
    page.locator(".procedure-list a", has_text=re.compile(r"^Đăng ký khai sinh$")).first.click()
    page.click("#file-online")
    page.wait_for_url(re.compile(r"/accounts/login/"))
    page.click("text=Đăng ký ngay")
    cccd = "017199000888" if viewport == "desktop" else "017199000889"
    page.fill("#id_full_name", "Hoàng Thị Thu")
    page.fill("#id_national_id", cccd)
    page.fill("#id_phone", "09123456" + cccd[-2:])
    page.fill("#id_email", f"thu{cccd[-2:]}@example.vn")
    page.fill("#id_password1", "Song-Da-2026!")
    page.fill("#id_password2", "Song-Da-2026!")
    page.click("form button[type=submit]:has-text('Đăng ký')")
    page.wait_for_url(re.compile(r"/accounts/register/sent/"))
    assert f"thu{cccd[-2:]}@example.vn" in page.inner_text("main")
    shot(page, screenshot_dir, "0-check-your-mail", viewport)
    follow_activation_mail(page, url, f"thu{cccd[-2:]}@example.vn")
    page.wait_for_url(re.compile(r"/dossiers/new/1\.001193/"))
    page.select_option("#id_agency", label="UBND Xã Phú Nghĩa")
    shot(page, screenshot_dir, "1-start", viewport)
    page.click("text=Bắt đầu nộp hồ sơ")
    page.wait_for_url(re.compile(r"/dossiers/drafts/[0-9a-f-]+/$"))
    shot(page, screenshot_dir, "2-task-list", viewport)

    page.click("#task-applicant")
    page.fill("#id_address", "Thôn 3, xã Phú Nghĩa, huyện Lạc Thủy")
    shot(page, screenshot_dir, "3-applicant", viewport)
    page.click("text=Lưu và tiếp tục")
    page.click("#task-form-0")
    for _ in range(3):  # the form's sections follow one another
        fill_section(page)
        page.click("text=Lưu và tiếp tục")
        if "/form/" not in page.url:
            break
    assert "/form/" not in page.url, page.inner_text("main")

    page.click("#task-documents")
    # The declaration is the e-form just filled in: no scan of it is asked for online.
    assert "Tờ khai đăng ký khai sinh theo mẫu" not in page.inner_text("main")
    forms = page.locator("form.upload-form")
    forms.nth(0).locator("input[type=file]").set_input_files(scan("giay-chung-sinh.pdf"))
    forms.nth(0).locator("button[type=submit]").click()
    page.wait_for_selector("text=Đã tải lên “giay-chung-sinh.pdf”")
    # The fourth component (identity papers) from "my documents": reuse the scan just uploaded.
    page.locator(".component").nth(3).locator("text=Chọn từ kho giấy tờ của tôi").click()
    shot(page, screenshot_dir, "5-picker", viewport)
    page.locator("label", has_text="giay-chung-sinh.pdf").first.click()
    page.click("text=Dùng giấy tờ này")
    page.wait_for_selector("text=Đã dùng lại")
    shot(page, screenshot_dir, "4-documents", viewport)
    page.click("text=Lưu và tiếp tục")

    page.click("#task-delivery")
    page.check("input[name=delivery][value=desk]")
    page.click("text=Lưu và tiếp tục")
    page.wait_for_url(re.compile(r"/check/$"))
    assert page.locator("#error-summary").count() == 0, page.inner_text("#error-summary")
    page.check("#id_declaration")
    shot(page, screenshot_dir, "6-check", viewport)
    page.click("#submit-dossier")
    page.wait_for_url(re.compile(r"/submitted/$"))
    code = page.inner_text("#dossier-code").strip()
    key = page.inner_text("#lookup-key").strip()
    shot(page, screenshot_dir, "7-confirmation", viewport)
    dossier = Dossier.objects.get(code=code)
    assert dossier.status == "new" and dossier.attachments.filter(reused_from__isnull=False).count() == 1
    assert re.fullmatch(r"H15\.50\.05\.03-\d{6}-\d{4}", code)

    # Logged out, anyone with the code and key sees the status and nothing personal.
    page.goto(url + "/")
    if viewport == "phone":
        page.click(".navbar-toggler")
        page.wait_for_selector("#main-nav.show:not(.collapsing)")  # the menu has finished opening
    page.locator("#user-menu").click()
    page.wait_for_selector(".dropdown-menu.show")
    page.click("text=Đăng xuất")
    # Wait for the logged-out page a person sees, not just the click.
    page.wait_for_selector("#main-nav a.nav-link:has-text('Đăng nhập')", state="attached")
    page.goto(url + "/track/")
    page.fill("#id_code", code)
    page.fill("#id_key", key)
    page.click("main button[type=submit]")
    page.wait_for_selector("#track-result")
    assert page.inner_text("#track-status") == "Mới đăng ký"
    assert "Hoàng Thị Thu" not in page.inner_text("main")
    shot(page, screenshot_dir, "8-track", viewport)
