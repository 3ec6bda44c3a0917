"""Who may read which dossier through the API: the same answers as the pages (the owner, staff of
the dossier's agency with their second factor), 404 for anyone else as for a missing dossier, and a
refusal in JSON for the anonymous and for staff who have not given their second factor."""

import pytest

from dossiers.services import desk
from portal.constants import Role
from portal.models import PersonalDataAccess
from tests.dossiers.conftest import pdf, run_to
from tests.factories import AgencyFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def detail(filed):
    return f"/api/v1/dossiers/{filed.code}/"


def test_the_anonymous_are_refused(client, filed):
    for url in ("/api/v1/dossiers/", detail(filed)):
        response = client.get(url)
        assert response.status_code == 403 and response.json() == {
            "detail": "Chưa đăng nhập: cần phiên đăng nhập hoặc khóa truy cập.",
            "code": "not_authenticated",
        }
        assert filed.code not in response.content.decode()
    english = client.get("/api/v1/dossiers/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["detail"] == "Authentication credentials were not provided."


def test_the_owner_lists_and_reads_their_dossier_with_its_public_history(client, filed, citizen, version):
    client.force_login(citizen)
    listed = client.get("/api/v1/dossiers/").json()["results"]
    assert [d["code"] for d in listed] == [filed.code] and listed[0]["url"].endswith(detail(filed))
    body = client.get(detail(filed)).json()
    assert body["status"] == "new" and body["stage"] is None  # the internal step is the staff's
    assert body["procedure"] == {"code": "1.001193", "name": "Đăng ký khai sinh"}
    assert {f["name"] for f in body["files"]} == {"to-khai.pdf", "chung-sinh.pdf"}
    assert body["answers"]["ho_ten_tre"] == "Nguyễn Bảo An"
    assert all(e["actor"] == "" for e in body["timeline"]) and body["timeline"][-1]["action"] == "submit"
    assert not PersonalDataAccess.objects.exists()  # reading one's own is not logged


def test_the_specialists_draft_result_is_listed_for_staff_and_never_for_the_owner(client, filed, staff, citizen):
    dossier = run_to(filed, "appraising", staff)
    desk.dossier_appraise(dossier=dossier, actor=staff.specialist, note="Đủ điều kiện", result_file=pdf("du-thao.pdf"))
    client.force_login(staff.specialist)
    assert "du-thao.pdf" in {f["name"] for f in client.get(detail(filed)).json()["files"]}
    client.force_login(citizen)
    names = {f["name"] for f in client.get(detail(filed)).json()["files"]}
    assert names == {"to-khai.pdf", "chung-sinh.pdf"}


def test_another_citizen_neither_lists_nor_reads_it(client, filed):
    client.force_login(UserFactory())
    assert client.get("/api/v1/dossiers/").json()["results"] == []
    response = client.get(detail(filed))
    assert response.status_code == 404 and response.json() == {"detail": "Không tìm thấy.", "code": "not_found"}


def test_staff_of_its_agency_read_it_whole_and_the_read_is_logged(client, filed, staff):
    client.force_login(staff.specialist)
    body = client.get(detail(filed)).json()
    assert body["stage"] == "checking" and body["applicant"]["national_id"] == "017095001111"
    entry = PersonalDataAccess.objects.get()
    assert (entry.actor, entry.reason, entry.dossier_code) == (staff.specialist, "dossier_page", filed.code)
    assert client.get("/api/v1/dossiers/").json()["results"] == []  # the list is the person's own


def test_staff_of_another_agency_get_404(client, filed):
    stranger = MembershipFactory(agency=AgencyFactory(code="H99.02"), role=Role.LEADER).user
    client.force_login(stranger)
    assert client.get(detail(filed)).status_code == 404
    assert not PersonalDataAccess.objects.exists()


def test_staff_without_their_second_factor_are_refused_in_json(client, filed, staff):
    client.password_only_login(staff.specialist)
    response = client.get(detail(filed))
    assert response.status_code == 403 and response.json()["code"] == "second_factor_required"
    assert "xác thực hai lớp" in response.json()["detail"]


def test_the_catalog_is_open_to_everyone(client, version, citizen, staff):
    for user in (None, citizen, staff.desk):
        if user:
            client.force_login(user)
        assert client.get("/api/v1/procedures/").status_code == 200
        assert client.get("/api/v1/procedures/1.001193/").status_code == 200
