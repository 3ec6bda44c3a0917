"""Issue 11, item 12: every staff page fits a 390 px phone (the desk queue was 672 px wide: its
procedure filter took the width of the longest procedure name)."""

import os
from io import StringIO

import pytest
from django.core.management import call_command

from dossiers.models import Dossier
from tests.e2e.helpers import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(live_server):
    call_command("load_demo", "--quiet-logins", stdout=StringIO())


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_every_staff_page_fits_a_phone(demo, new_page, live_server, screenshot_dir):
    url = live_server.url
    dossier = Dossier.objects.filter(agency__code="H15.50", stage="appraising").order_by("pk").first()
    pages = {
        "motcua.lacthuy@example.vn": [
            "/desk/",
            "/desk/?tab=all",
            "/desk/?tab=results",
            "/desk/counter/",
            "/desk/register/",
            f"/desk/dossiers/{dossier.code}/",
        ],
        "lanhdao.lacthuy@example.vn": ["/desk/?tab=to_approve", f"/desk/dossiers/{dossier.code}/"],
        "chuyenvien.tuphap@example.vn": ["/desk/?tab=to_appraise", f"/desk/dossiers/{dossier.code}/"],
    }
    page = new_page(viewport="phone")
    too_wide = {}
    for email, paths in pages.items():
        login(page, url, email)
        for path in paths:
            page.goto(url + path)
            if page_width(page) > 390:
                too_wide[f"{email} {path}"] = page_width(page)
    page.goto(url + "/desk/")
    page.screenshot(path=os.path.join(screenshot_dir, "desk-queue-phone.png"), full_page=True)
    assert too_wide == {}
