"""Browser steps shared by the end-to-end tests."""

import io
import re

from reportlab.pdfgen import canvas


def _one_page_pdf() -> bytes:
    """A real one-page PDF: the demo's agencies sign a leader's result, and a file whose structure
    cannot be read is refused then."""
    out = io.BytesIO()
    page = canvas.Canvas(out, invariant=1)
    page.drawString(72, 720, "Giay to thu nghiem")
    page.showPage()
    page.save()
    return out.getvalue()


PDF = _one_page_pdf()
VALUES = {
    "text": "Nguyễn Bảo An",
    "date": "2026-11-20",
    "cccd": "017199000123",
    "phone": "0912345678",
    "email": "an@example.vn",
    "number": "1",
    "address": "Thôn 3, xã Phú Nghĩa",
    "long_text": "Không",
}
PATTERN_CANDIDATES = ["C1234567", "123", "12", "1", "A1", "AB123456"]


def fill_section(page):
    """Fill every field of the current form section with a valid value for its kind and pattern."""
    for element in page.locator("[data-kind]").all():
        kind = element.get_attribute("data-kind")
        if kind == "single_choice":
            page.locator(f"input[name='{element.get_attribute('name')}']").first.check()
        elif kind in ("multiple_choice", "checkbox"):
            element.check()
        elif element.input_value() == "":
            pattern = element.get_attribute("data-pattern")
            value = VALUES.get(kind, "Có")
            if pattern:
                value = next(c for c in PATTERN_CANDIDATES if re.search(pattern, c))
            element.fill(value)


def upload_pdf(page, form, name):
    form.locator("input[type=file]").set_input_files(
        files=[{"name": name, "mimeType": "application/pdf", "buffer": PDF + name.encode()}]
    )
    form.locator("button[type=submit]").click()
    page.wait_for_selector(f"text=Đã tải lên “{name}”")


def file_online(page, url, code, *, agency_label=None):
    """A logged-in citizen files procedure `code` through the pages; returns (code, look-up key)."""
    page.goto(url + f"/dossiers/new/{code}/")
    if agency_label:
        page.select_option("#id_agency", label=agency_label)
    page.click("text=Bắt đầu nộp hồ sơ")
    page.wait_for_url(re.compile(r"/dossiers/drafts/[0-9a-f-]+/$"))
    page.click("#task-applicant")
    page.click("text=Lưu và tiếp tục")
    page.click("#task-form-0")
    for _ in range(6):
        fill_section(page)
        page.click("text=Lưu và tiếp tục")
        if "/form/" not in page.url:
            break
    page.click("#task-documents")
    sections = page.locator(".component")
    for index in range(sections.count()):
        section = sections.nth(index)
        if section.locator(".badge", has_text="bắt buộc").count():
            upload_pdf(page, page.locator(".component").nth(index).locator("form.upload-form"), f"giay-to-{index}.pdf")
    page.click("text=Lưu và tiếp tục")
    page.click("#task-delivery")
    page.check("input[name=delivery][value=desk]")
    page.click("text=Lưu và tiếp tục")
    page.wait_for_url(re.compile(r"/check/$"))
    page.check("#id_declaration")
    page.click("#submit-dossier")
    page.wait_for_url(re.compile(r"/submitted/$"))
    return page.inner_text("#dossier-code").strip(), page.inner_text("#lookup-key").strip()


def login(page, url, email, password=None, landing=r"/$"):
    """The login form as a person fills it (the demo password unless told); staff then type their
    authenticator code (computed from their device's secret, as the app on their phone shows it)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from portal.demo.data import DEMO_PASSWORD
    from tests.support import totp_code

    if "/accounts/login/" not in page.url:  # else a page sent here with its next=
        page.context.clear_cookies()
        page.goto(url + "/accounts/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", password or DEMO_PASSWORD)
    # Wait for the page the login posts to, not the load state of the one still shown: read too
    # early, the address was the login form's, the second factor was never typed, and a CI run timed
    # out on the two-factor page.
    with page.expect_navigation():
        page.click("main button[type=submit]")
    if "/accounts/two-factor/" in page.url:
        page.fill("#id_token", totp_code(TOTPDevice.objects.get(user__email=email, confirmed=True)))
        with page.expect_navigation():
            page.locator("#id_token").press("Enter")
    page.wait_for_url(re.compile(landing))


def follow_activation_mail(page, base_url, address, screenshot=None):
    """Open the activation link mailed to `address` (the live server shares this process's outbox)
    and press the page's button, as the new citizen does from their mailbox."""
    from django.core import mail

    body = next(m.body for m in reversed(mail.outbox) if m.to == [address])
    path = re.search(r"https?://[^/\s]+(/accounts/register/activate/\S+)", body).group(1)
    page.goto(base_url + path)
    if screenshot:
        page.screenshot(path=screenshot, full_page=True)
    page.click("main form button[type=submit]:has-text('Kích hoạt tài khoản')")
