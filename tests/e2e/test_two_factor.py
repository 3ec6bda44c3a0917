"""A staff member's first login in Chromium on a phone: password, the app's QR code and key, the
first code, the recovery codes shown once, then her queue; the next login asks only for the code."""

import os
import re

import pytest
from django_otp.oath import TOTP

from portal.constants import Role
from portal.two_factor import hex_key
from tests.e2e.conftest import axe_blocking_violations
from tests.e2e.helpers import login
from tests.factories import PASSWORD, MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_first_staff_login_sets_up_the_app_on_a_phone(new_page, live_server, screenshot_dir):
    user = MembershipFactory(role=Role.DESK_OFFICER).user
    page = new_page("phone")
    page.goto(live_server.url + "/desk/")
    page.fill("#id_username", user.email)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/accounts/two-factor/setup/"))
    assert page.locator(".two-factor-qr svg").count() == 1
    assert axe_blocking_violations(page) == []
    page.screenshot(path=os.path.join(screenshot_dir, "two-factor-setup-vi-phone.png"), full_page=True)

    key = page.inner_text("#two-factor-key").strip()
    page.fill("#id_token", "123")
    page.locator("#id_token").press("Enter")
    # A wrong code keeps her on the page with a message: wait for the answer, not the page before it.
    page.wait_for_selector("text=Mã không đúng")
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=user).update(throttling_failure_count=0)  # she waits a moment
    page.fill("#id_token", f"{TOTP(bytes.fromhex(hex_key(key))).token():06d}")
    page.locator("#id_token").press("Enter")
    page.wait_for_selector("#recovery-codes")
    assert page.locator("#recovery-codes li").count() == 10
    page.screenshot(path=os.path.join(screenshot_dir, "two-factor-codes-vi-phone.png"), full_page=True)
    page.click("text=Tôi đã lưu các mã, tiếp tục")
    page.wait_for_url(re.compile(r"/desk/$"))

    login(page, live_server.url, user.email, password=PASSWORD)  # the next login: the code page only
    page.goto(live_server.url + "/accounts/profile/")
    assert "Còn 10 mã khôi phục" in page.inner_text("#two-factor")
