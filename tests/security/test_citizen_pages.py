"""Finding: the citizen's page showed internal appraisal notes and the assignee's name. Internal notes
and staff names never reach the citizen's page or public tracking; the staff page keeps them."""

import pytest
from django.urls import reverse

from dossiers.services import desk
from tests.dossiers.conftest import run_to

pytestmark = pytest.mark.django_db

INTERNAL = "GHI CHÚ NỘI BỘ 42"


@pytest.fixture
def appraised(filed, staff):
    dossier = run_to(filed, "received", staff)
    staff.specialist.full_name = "Trần Thị Thẩm Định"
    staff.specialist.save()
    dossier = desk.dossier_assign(dossier=dossier, actor=staff.leader, assignee=staff.specialist)
    dossier = desk.dossier_appraise(dossier=dossier, actor=staff.specialist, note=INTERNAL)
    return dossier


def test_citizen_page_shows_no_internal_note_or_staff_name(client, appraised, citizen):
    client.force_login(citizen)
    response = client.get(reverse("dossiers:detail", args=[appraised.code]))
    body = response.content.decode()
    assert response.status_code == 200
    assert INTERNAL not in body and "Thẩm Định" not in body and "Lãnh Đạo" not in body
    assert "Được tiếp nhận" in body and "Đang xử lý" in body  # the public steps are still there


def test_public_tracking_shows_no_internal_note_or_staff_name(client, appraised):
    response = client.get(reverse("dossiers:track"), {"code": appraised.code, "key": appraised.lookup_key})
    body = response.content.decode()
    assert response.status_code == 200 and appraised.code in body
    assert INTERNAL not in body and "Thẩm Định" not in body


def test_the_staff_page_keeps_them(client, appraised, staff):
    client.force_login(staff.leader)
    body = client.get(reverse("dossiers:desk_dossier", args=[appraised.code])).content.decode()
    assert INTERNAL in body and "Thẩm Định" in body
