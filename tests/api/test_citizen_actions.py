"""A citizen's actions on her filed dossier through the API, as on its pages: answer a supplement
request, ask to withdraw, rate once; and her notifications. Every refusal says why and changes
nothing; nobody but the dossier's owner reaches them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dossiers.models import Dossier, Rating
from dossiers.services import desk
from portal.models import Notification
from tests.dossiers.conftest import EXE, PDF, run_to
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RATING = {
    "timeliness": 5,
    "contacts": 4,
    "information_accuracy": 5,
    "staff_attitude": 5,
    "cost": 5,
    "complaint_made": "no",
    "overall": "satisfied",
    "comment": "Nhanh, gọn",
}


def post(client, url, body=None):
    return client.post(url, body or {}, content_type="application/json")


def test_the_owner_asks_to_withdraw_with_a_reason(client, filed, citizen):
    client.force_login(citizen)
    url = f"/api/v1/dossiers/{filed.code}/withdraw/"
    assert "request_withdrawal" in client.get(f"/api/v1/dossiers/{filed.code}/").json()["actions"]
    blank = post(client, url, {"reason": ""})
    assert blank.status_code == 400 and list(blank.json()) == ["reason"]
    done = post(client, url, {"reason": "Nộp nhầm thủ tục"})
    assert done.status_code == 200 and done.json()["status"] == "withdrawal_requested"
    assert "request_withdrawal" not in done.json()["actions"]
    again = post(client, url, {"reason": "Nộp nhầm thủ tục"})
    assert again.status_code in (400, 403) and Dossier.objects.get(pk=filed.pk).status == "withdrawal_requested"


def test_a_finished_dossier_is_rated_once(client, filed, citizen, staff):
    client.force_login(citizen)
    url = f"/api/v1/dossiers/{filed.code}/rate/"
    early = post(client, url, RATING)
    assert early.status_code == 400 and early.json()["code"] == "not_finished"
    run_to(filed, "returned", staff)
    complaint = post(client, url, {**RATING, "complaint_made": "yes"})
    assert complaint.status_code == 400 and list(complaint.json()) == ["complaint_handling"]
    assert post(client, url, {**RATING, "timeliness": 9}).status_code == 400
    done = post(client, url, RATING)
    assert done.status_code == 201 and "rate" not in done.json()["actions"]
    rating = Rating.objects.get(dossier=filed)
    assert (rating.timeliness, rating.overall, rating.comment) == (5, "satisfied", "Nhanh, gọn")
    again = post(client, url, RATING)
    assert again.status_code == 400 and again.json()["code"] == "already_rated" and Rating.objects.count() == 1


def test_a_supplement_is_answered_through_the_api(client, filed, citizen, staff, version):
    component = version.components.first()
    items = [
        {"kind": "component", "ref": component.pk, "reason": "Bản chụp mờ"},
        {"kind": "field", "ref": "ho_ten_tre", "reason": "Sai chính tả"},
    ]
    desk.dossier_request_supplement(dossier=filed, actor=staff.desk, items=items, note="Bổ sung giúp")
    client.force_login(citizen)
    url = f"/api/v1/dossiers/{filed.code}/supplement/"
    asked = client.get(url).json()
    assert asked["note"] == "Bổ sung giúp" and [i["reason"] for i in asked["items"]] == ["Bản chụp mờ", "Sai chính tả"]
    assert asked["answers"] == {"ho_ten_tre": "Nguyễn Bảo An"} and asked["files"] == []

    tampered = client.patch(url, {"answers": {"cccd_me": "001"}}, content_type="application/json")
    assert tampered.status_code == 400 and list(tampered.json()) == ["answers"]
    kept = client.patch(url, {"answers": {"ho_ten_tre": "Nguyễn Bảo Anh"}}, content_type="application/json")
    assert kept.status_code == 200 and kept.json()["answers"] == {"ho_ten_tre": "Nguyễn Bảo Anh"}

    incomplete = post(client, f"{url}send/")
    assert incomplete.status_code == 400 and incomplete.json()["code"] == "incomplete"
    other = version.components.exclude(pk=component.pk).first()
    files = f"{url}files/"
    wrong = client.post(files, {"component": other.pk, "file": SimpleUploadedFile("a.pdf", PDF)})
    assert wrong.status_code == 400 and list(wrong.json()) == ["component"]
    exe = client.post(files, {"component": component.pk, "file": SimpleUploadedFile("a.pdf", EXE)})
    assert exe.status_code == 400 and list(exe.json()) == ["file"]
    sent_file = client.post(files, {"component": component.pk, "file": SimpleUploadedFile("ro-net.pdf", PDF)})
    assert sent_file.status_code == 201 and sent_file.json()["name"] == "ro-net.pdf"

    sent = post(client, f"{url}send/")
    assert sent.status_code == 200 and sent.json()["status"] == "new"
    assert sent.json()["answers"]["ho_ten_tre"] == "Nguyễn Bảo Anh"
    assert client.get(url).status_code == 404  # nothing is asked any more


def test_nobody_else_reaches_a_dossiers_actions(client, filed, citizen, staff, version):
    desk.dossier_request_supplement(
        dossier=filed, actor=staff.desk, items=[{"kind": "field", "ref": "ho_ten_tre", "reason": "Sai"}]
    )
    urls = [f"/api/v1/dossiers/{filed.code}/{tail}" for tail in ("withdraw/", "rate/", "supplement/send/")]
    for url in urls:
        assert post(client, url).status_code == 403  # anonymous
    for person in (UserFactory(), staff.desk):  # another citizen; staff, who act on the desk
        client.force_login(person)
        assert client.get(f"/api/v1/dossiers/{filed.code}/supplement/").status_code == 404
        for url in urls:
            response = post(client, url, {"reason": "x", **RATING})
            assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert Dossier.objects.get(pk=filed.pk).status == "supplement_requested" and not Rating.objects.exists()


def test_notifications_are_the_persons_own_and_can_be_marked_read(client, filed, citizen):
    client.force_login(citizen)
    listed = client.get("/api/v1/notifications/").json()
    assert [n["event"] for n in listed["results"]] == ["dossier_submitted"]
    mine = listed["results"][0]
    assert mine["read_at"] is None and filed.code in mine["subject"]
    read = post(client, f"/api/v1/notifications/{mine['id']}/read/")
    assert read.status_code == 200 and read.json()["read_at"] is not None
    stranger = UserFactory()
    client.force_login(stranger)
    assert client.get("/api/v1/notifications/").json()["results"] == []
    theirs = Notification.objects.filter(recipient=citizen, channel="in_app").first()
    assert post(client, f"/api/v1/notifications/{theirs.pk}/read/").status_code == 404


def test_an_id_too_long_for_the_database_is_not_found_rather_than_a_server_error(client, citizen):
    """Found by the schema fuzzer: POST /api/v1/notifications/19971276792981515927552/read/ was a 500
    (the number overflows the driver's 64-bit integer). Ids in paths are at most 18 digits."""
    client.force_login(citizen)
    assert post(client, "/api/v1/notifications/19971276792981515927552/read/").status_code == 404
    assert post(client, f"/api/v1/notifications/{10**18 - 1}/read/").status_code == 404
    assert client.get("/procedures/templates/99999999999999999999/").status_code == 404
