"""The staff half in Chromium on the demo data: a dossier filed online goes through the desk, the
leader, the specialist and back to the citizen, who rates it; a walk-in is received and settled
on the spot."""

import io
import os
import re
from io import StringIO

import pypdf
import pytest
from django.core.management import call_command

from dossiers.demo import sample_answers
from dossiers.models import Dossier
from portal.models import User
from procedures.models import ProcedureVersion
from tests.e2e.conftest import axe_blocking_violations
from tests.e2e.helpers import PDF, login
from tests.e2e.helpers import file_online as browser_file_online

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Demo@HoaBinh2026"


@pytest.fixture
def demo(live_server):
    call_command("load_demo", "--quiet-logins", stdout=StringIO())


def do(page, action, fill=None, files=None):
    page.locator(f"#action-{action} summary").click()
    for selector, name in (files or {}).items():
        page.set_input_files(selector, files=[{"name": name, "mimeType": "application/pdf", "buffer": PDF}])
    for selector, value in (fill or {}).items():
        if selector.startswith("select:"):
            page.select_option(selector[7:], value)
        else:
            page.fill(selector, value)
    page.locator(f"#action-{action} button[type=submit]").click()
    page.wait_for_selector("text=Đã thực hiện")


def test_online_dossier_through_desk_leader_specialist_and_back(demo, new_page, live_server, screenshot_dir):
    url = live_server.url
    version = (
        ProcedureVersion.objects.filter(
            status="published", accepts_online=True, procedure__level="district", procedure__agencies__code="H15.50"
        )
        .exclude(payment_stage="on_submission")  # a fee paid on filing is tests/e2e/test_payments.py's
        .order_by("procedure__code")
        .first()
    )
    page = new_page()
    login(page, url, "an.nguyen@example.vn")
    code, _key = browser_file_online(page, url, version.procedure.code)
    dossier = Dossier.objects.get(code=code)

    login(page, url, "motcua.lacthuy@example.vn")
    page.goto(url + "/desk/")
    assert dossier.code in page.inner_text("main")
    page.screenshot(path=os.path.join(screenshot_dir, "desk-queue-desktop.png"), full_page=True)
    assert axe_blocking_violations(page) == []
    page.click(f"text={dossier.code}")
    page.screenshot(path=os.path.join(screenshot_dir, "desk-dossier-checking-desktop.png"), full_page=True)
    assert axe_blocking_violations(page) == []
    do(page, "accept")
    pdf = page.request.get(url + f"/desk/dossiers/{dossier.code}/forms/01/")
    assert pdf.headers["content-type"] == "application/pdf"
    text = pypdf.PdfReader(io.BytesIO(pdf.body())).pages[0].extract_text()
    assert dossier.code in text and "GIẤY TIẾP NHẬN HỒ SƠ" in text
    with open(os.path.join(screenshot_dir, "form-01.pdf"), "wb") as handle:
        handle.write(pdf.body())

    login(page, url, "lanhdao.lacthuy@example.vn")
    page.goto(url + f"/desk/dossiers/{dossier.code}/")
    do(page, "assign", {"select:#id_assign-assignee": str(User.objects.get(email="chuyenvien.tuphap@example.vn").pk)})

    login(page, url, "chuyenvien.tuphap@example.vn")
    page.goto(url + "/desk/?tab=to_appraise")
    page.click(f"text={dossier.code}")
    page.locator("#action-appraise summary").click()
    page.fill("#id_appraise-note", "Hồ sơ đầy đủ, đủ điều kiện giải quyết.")
    page.set_input_files(
        "#id_appraise-result_file", files=[{"name": "ket-qua.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.locator("#action-appraise button[type=submit]").click()
    page.wait_for_selector("text=Đã thực hiện")
    do(page, "submit_for_approval")

    login(page, url, "lanhdao.lacthuy@example.vn")
    page.goto(url + "/desk/?tab=to_approve")
    page.click(f"text={dossier.code}")
    do(page, "approve", files={"#id_approve-result_file": "ket-qua-chinh-thuc.pdf"})

    login(page, url, "motcua.lacthuy@example.vn")
    page.goto(url + "/desk/?tab=results")
    page.click(f"text={dossier.code}")
    do(page, "return_result")
    page.screenshot(path=os.path.join(screenshot_dir, "desk-dossier-returned-desktop.png"), full_page=True)
    dossier.refresh_from_db()
    assert dossier.status == "returned"

    login(page, url, "an.nguyen@example.vn")
    assert int(page.inner_text("#unread-count").split()[0]) >= 1  # the bell: the desk's steps were told
    page.click("#bell")
    page.wait_for_url(re.compile(r"/notifications/"))  # the inbox has opened, not the page before it
    assert f"Hồ sơ {dossier.code} đã được tiếp nhận" in page.inner_text("main")
    page.goto(url + f"/dossiers/{dossier.code}/")
    assert page.inner_text("#status") == "Đã trả kết quả"
    # The leader's signed result has its own section and button; the specialist's draft is not shown.
    assert "ket-qua-chinh-thuc.pdf" in page.inner_text("#result")
    assert "ket-qua.pdf" not in page.inner_text("main")
    page.screenshot(path=os.path.join(screenshot_dir, "citizen-result-desktop.png"), full_page=True)
    with page.expect_download() as download:
        page.click("#result a:has-text('Tải kết quả về')")
    assert download.value.suggested_filename == "ket-qua-chinh-thuc.pdf"
    page.click("text=Đánh giá mức độ hài lòng")
    for name in ("timeliness", "contacts", "information_accuracy", "staff_attitude", "cost"):
        page.check(f"input[name={name}][value='5']")
    page.check("input[name=overall][value=satisfied]")
    page.click("text=Gửi đánh giá")
    page.wait_for_selector("text=Cảm ơn bạn đã đánh giá")
    page.screenshot(path=os.path.join(screenshot_dir, "citizen-rated-desktop.png"), full_page=True)
    assert Dossier.objects.get(pk=dossier.pk).rating.overall == "satisfied"


def test_walk_in_received_and_returned_on_the_spot(demo, new_page, live_server, screenshot_dir):
    url = live_server.url
    version = (
        ProcedureVersion.objects.filter(
            status="published", processing_time_unit="same_day", procedure__agencies__code="H15.50.05.01"
        )
        .order_by("procedure__code")
        .first()
    )
    assert version is not None, "the demo catalog has a same-day commune procedure"
    page = new_page(viewport="phone")
    login(page, url, "motcua.chine@example.vn")
    page.goto(url + f"/desk/counter/?procedure={version.procedure.code}&cccd=017196005678")
    assert page.input_value("#id_full_name") == "Trần Thị Bình"  # found by CCCD
    for key, value in sample_answers(version).items():
        field = page.locator(f"[name=f_{key}]")
        kind = field.first.get_attribute("type")
        if kind in ("radio", "checkbox"):
            page.locator(f"[name=f_{key}]").first.check()
        else:
            field.first.fill(value)
    for component in version.components.all():
        if component.required:
            page.set_input_files(
                f"#file_{component.id}", files=[{"name": "scan.pdf", "mimeType": "application/pdf", "buffer": PDF}]
            )
    page.screenshot(path=os.path.join(screenshot_dir, "counter-intake-phone.png"), full_page=True)
    assert axe_blocking_violations(page) == []
    page.click("text=Tiếp nhận hồ sơ")
    page.wait_for_selector("text=Đã tiếp nhận hồ sơ")
    # The certification fee is taken at the counter, in cash, before the dossier is settled.
    assert page.inner_text("#fee-state") == "Chờ nộp"
    do(page, "record_payment")
    assert "Biên lai điện tử" in page.inner_text("#payments")
    page.set_input_files("#spot-result", files=[{"name": "ket-qua.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.click("#settle")
    page.wait_for_selector("text=Đã giải quyết và trả kết quả tại chỗ")
    page.screenshot(path=os.path.join(screenshot_dir, "counter-settled-phone.png"), full_page=True)
    dossier = Dossier.objects.get(channel="in_person", applicant_snapshot__full_name="Trần Thị Bình")
    assert dossier.status == "returned"
    assert list(dossier.events.values_list("action", flat=True))[1:] == [
        "receive_at_counter",
        "request_payment",
        "record_payment",
        "assign",
        "appraise",
        "submit_for_approval",
        "approve",
        "return_result",
    ]


def test_leader_sees_the_daily_digest_of_overdue_demo_dossiers(demo, new_page, live_server, screenshot_dir):
    from django.utils import timezone

    from dossiers.digest import send_leader_digests

    overdue = list(
        Dossier.objects.filter(
            agency__code="H15.50",
            due_at__lt=timezone.now(),
            stage__in=["received", "appraising", "awaiting_approval", "waiting_other_agency"],
        ).values_list("code", flat=True)
    )
    assert len(overdue) == 2  # the demo data has two overdue dossiers at the district desk
    assert send_leader_digests(now=timezone.now()) >= 1  # the 07:00 job
    page = new_page()
    login(page, live_server.url, "lanhdao.lacthuy@example.vn")
    page.click("#bell")
    page.wait_for_url(re.compile(r"/notifications/"))
    text = page.inner_text("main")
    assert "2 hồ sơ quá hạn" in text and all(code in text for code in overdue)
    page.screenshot(path=os.path.join(screenshot_dir, "leader-digest-desktop.png"), full_page=True)
    page.goto(live_server.url + "/desk/?tab=all&due=overdue")
    assert all(code in page.inner_text("main") for code in overdue)
    assert page.locator("tr.table-danger").count() == 2
