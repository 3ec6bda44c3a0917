"""Issue 14: the public verification page in Chromium, with the demo's signed result and a tampered
copy of it; the page a document's QR code opens."""

import os
from io import StringIO

import pytest
from django.core.management import call_command

from dossiers.models import IssuedDocument
from tests.e2e.conftest import axe_blocking_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def signed_result(live_server):
    call_command("load_demo", "--quiet-logins", stdout=StringIO())
    document = IssuedDocument.objects.filter(number="result", signature="signed").select_related("agency").first()
    assert document is not None, "the demo signs its results"
    return document


def check(page, name: str, content: bytes):
    page.set_input_files("#id_file", files=[{"name": name, "mimeType": "application/pdf", "buffer": content}])
    with page.expect_navigation():
        page.click("#verify-form button[type=submit]")


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_a_signed_result_verifies_and_a_tampered_copy_does_not(
    signed_result, new_page, live_server, screenshot_dir, viewport
):  # noqa: E501
    content = signed_result.file.read()
    page = new_page(viewport=viewport)
    page.goto(f"{live_server.url}/verify/{signed_result.public_id}/")
    assert signed_result.agency.name in page.inner_text("#verify-named")
    assert "Đã ký số" in page.inner_text("#verify-named")
    assert axe_blocking_violations(page) == []

    check(page, "ket-qua.pdf", content)
    assert "Chữ ký số hợp lệ" in page.inner_text("#verify-result")
    assert page.locator("#match-found").count() == 1 and page.locator("#match-other").count() == 0
    page.screenshot(path=os.path.join(screenshot_dir, f"verify-valid-{viewport}.png"), full_page=True)
    assert axe_blocking_violations(page) == []
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0

    at = content.index(b"/MediaBox") + 12
    check(page, "ket-qua-sua.pdf", content[:at] + bytes([content[at] ^ 1]) + content[at + 1 :])
    result = page.inner_text("#verify-result")
    assert "Chữ ký số không hợp lệ" in result and "bị thay đổi sau khi ký" in result
    assert page.locator("#match-other").count() == 1  # not the document of this QR code
    page.screenshot(path=os.path.join(screenshot_dir, f"verify-tampered-{viewport}.png"), full_page=True)
    assert axe_blocking_violations(page) == []
