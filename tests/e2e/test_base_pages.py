"""Home, login and registration in Vietnamese and English, on a desktop and a 390 px phone:
they render, have no serious or critical axe violations, and are screenshotted for review."""

import os

import pytest

from tests.e2e.conftest import axe_blocking_violations
from tests.e2e.helpers import follow_activation_mail

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = {"home": "/", "login": "/accounts/login/", "register": "/accounts/register/"}
HEADINGS = {
    ("home", "vi"): "Dịch vụ công trực tuyến",
    ("home", "en"): "Online public services",
    ("login", "vi"): "Đăng nhập",
    ("login", "en"): "Log in",
    ("register", "vi"): "Đăng ký tài khoản công dân",
    ("register", "en"): "Citizen registration",
}


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("name", list(PAGES))
def test_page_renders_accessibly(new_page, live_server, screenshot_dir, name, language, viewport):
    page = new_page(viewport=viewport, language=language)
    response = page.goto(live_server.url + PAGES[name])
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == language
    assert HEADINGS[(name, language)] in page.locator("h1").first.inner_text()
    # Nothing wider than the screen on a phone.
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"horizontal overflow of {overflow}px"
    page.screenshot(path=os.path.join(screenshot_dir, f"{name}-{language}-{viewport}.png"), full_page=True)
    assert axe_blocking_violations(page) == []


def test_registration_with_bad_input_keeps_what_was_typed(new_page, live_server, screenshot_dir):
    page = new_page()
    page.goto(live_server.url + "/accounts/register/")
    page.fill("#id_full_name", "Hoàng Văn Tùng")
    page.fill("#id_national_id", "01719900077")  # 11 digits
    page.fill("#id_phone", "0912345679")
    page.fill("#id_email", "tung@example.vn")
    page.fill("#id_password1", "Song-Da-2026!")
    page.fill("#id_password2", "Song-Da-2027!")
    page.click("form button[type=submit]:has-text('Đăng ký')")
    page.wait_for_selector("#error-summary")
    assert "đúng 12 chữ số" in page.inner_text("#error-summary")
    assert "không khớp" in page.inner_text("#error-summary")
    assert page.input_value("#id_full_name") == "Hoàng Văn Tùng"
    assert page.input_value("#id_email") == "tung@example.vn"
    page.screenshot(path=os.path.join(screenshot_dir, "register-errors-vi-desktop.png"), full_page=True)
    assert axe_blocking_violations(page) == []


def test_citizen_registers_then_logs_out_and_in_with_cccd(new_page, live_server, screenshot_dir):
    page = new_page(viewport="phone")
    page.goto(live_server.url + "/accounts/register/")
    page.fill("#id_full_name", "Hoàng Văn Tùng")
    page.fill("#id_national_id", "017199000888")
    page.fill("#id_phone", "0912345679")
    page.fill("#id_email", "tung@example.vn")
    page.fill("#id_password1", "Song-Da-2026!")
    page.fill("#id_password2", "Song-Da-2026!")
    page.click("form button[type=submit]:has-text('Đăng ký')")
    page.wait_for_selector("text=Kiểm tra email của bạn")
    assert axe_blocking_violations(page) == []
    shot = os.path.join(screenshot_dir, "register-activate-vi-phone.png")
    follow_activation_mail(page, live_server.url, "tung@example.vn", screenshot=shot)
    page.wait_for_selector("text=Đã kích hoạt tài khoản")
    page.goto(live_server.url + "/accounts/login/")  # already logged in: redirected home
    assert page.url.rstrip("/") == live_server.url
