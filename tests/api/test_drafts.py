"""A citizen files a dossier through the API as a mobile app would: start a draft, keep answers and
the delivery, attach files, file it once however often the app retries; every refusal says why and
loses nothing; nobody else reaches the draft."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from dossiers.models import Dossier, SubmissionKey
from tests.dossiers.conftest import ANSWERS, EXE, PDF
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def start(client, version, agency):
    response = client.post(
        "/api/v1/drafts/", {"procedure": version.procedure.code, "agency": agency.code}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    return response.json()


def upload(client, draft, component, content=PDF, name="to-khai.pdf"):
    return client.post(
        f"/api/v1/drafts/{draft['public_id']}/files/",
        {"component": component.id, "file": SimpleUploadedFile(name, content)},
    )


def complete(client, version, agency):
    draft = start(client, version, agency)
    url = f"/api/v1/drafts/{draft['public_id']}/"
    body = {"answers": ANSWERS, "delivery": "desk"}
    assert client.patch(url, body, content_type="application/json").status_code == 200
    for component in list(version.components.all())[:2]:
        assert upload(client, draft, component).status_code == 201
    return draft, url


def test_a_citizen_files_through_the_api_once_however_often_the_app_retries(client, citizen, version, agency):
    client.force_login(citizen)
    draft = start(client, version, agency)
    assert {p["step"] for p in draft["missing"]} == {"form", "documents", "delivery"}
    draft, url = complete(client, version, agency)
    assert client.get(url).json()["missing"] == []
    submit = f"{url}submit/"
    first = client.post(submit, {"declaration": True}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 201 and first.json()["status"] == "new"
    again = client.post(submit, {"declaration": True}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert again.status_code == 200 and again.json()["code"] == first.json()["code"]
    assert Dossier.objects.filter(filer=citizen).exclude(status="draft").count() == 1
    other, other_url = complete(client, version, agency)
    # Kept in the database, where every web process sees it (not in one process's memory).
    assert SubmissionKey.objects.filter(user=citizen, key="k-1").exists()
    reused = client.post(
        f"{other_url}submit/", {"declaration": True}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert reused.status_code == 409 and reused.json()["code"] == "conflict"
    assert Dossier.objects.get(public_id=other["public_id"]).status == "draft"  # nothing filed


def test_what_is_missing_comes_back_by_step_and_nothing_is_lost(client, citizen, version, agency):
    client.force_login(citizen)
    draft = start(client, version, agency)
    url = f"/api/v1/drafts/{draft['public_id']}/"
    client.patch(url, {"answers": {"ho_ten_tre": "Nguyễn Bảo An"}}, content_type="application/json")
    refused = client.post(f"{url}submit/", {"declaration": False}, content_type="application/json")
    assert refused.status_code == 400 and refused.json()["code"] == "incomplete"
    assert {p["step"] for p in refused.json()["problems"]} == {"form", "documents", "delivery", "check"}
    assert client.get(url).json()["answers"] == {"ho_ten_tre": "Nguyễn Bảo An"}  # kept as typed

    component = version.components.first()
    exe = upload(client, draft, component, content=EXE, name="to-khai.pdf")
    assert exe.status_code == 400 and list(exe.json()) == ["file"]
    assert client.get(url).json()["files"] == []
    unknown = client.patch(url, {"answers": {"khong_co": "x"}}, content_type="application/json")
    assert unknown.status_code == 400 and unknown.json()["code"] == "tampered"
    post = client.patch(url, {"delivery": "post", "delivery_address": " "}, content_type="application/json")
    assert post.status_code == 400 and list(post.json()) == ["delivery_address"]
    wrong = client.post("/api/v1/drafts/", {"procedure": "0.000", "agency": "X"}, content_type="application/json")
    assert wrong.status_code == 400 and set(wrong.json()) == {"procedure"}


def test_a_file_is_removed_and_a_draft_deleted(client, citizen, version, agency):
    client.force_login(citizen)
    draft = start(client, version, agency)
    url = f"/api/v1/drafts/{draft['public_id']}/"
    added = upload(client, draft, version.components.first()).json()
    assert client.delete(f"{url}files/{added['id']}/").status_code == 204
    assert client.get(url).json()["files"] == []
    assert client.delete(url).status_code == 204
    assert client.get(url).status_code == 404 and not Dossier.objects.filter(public_id=draft["public_id"]).exists()


def test_nobody_else_reaches_a_draft(client, citizen, version, agency, staff):
    client.force_login(citizen)
    draft, url = complete(client, version, agency)
    for intruder in (UserFactory(), staff.desk):
        client.force_login(intruder)
        assert client.get(url).status_code == 404
        assert client.patch(url, {"delivery": "post"}, content_type="application/json").status_code == 404
        assert upload(client, draft, version.components.first()).status_code == 404
        assert client.post(f"{url}submit/", {"declaration": True}, content_type="application/json").status_code == 404
        assert client.delete(url).status_code == 404
    client.logout()
    assert client.post(f"{url}submit/", {"declaration": True}, content_type="application/json").status_code == 403
    assert Dossier.objects.get(public_id=draft["public_id"]).status == "draft"


def test_a_write_without_the_csrf_token_is_refused(citizen, version, agency):
    app = Client(enforce_csrf_checks=True)
    app.force_login(citizen)
    body = {"procedure": version.procedure.code, "agency": agency.code}
    refused = app.post("/api/v1/drafts/", body, content_type="application/json")
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    assert not Dossier.objects.filter(filer=citizen).exists()


def test_an_idempotency_key_is_forgotten_after_a_day(citizen):
    import datetime as dt

    from django.utils import timezone

    from dossiers.services.housekeeping import submission_keys_purge

    old = SubmissionKey.objects.create(user=citizen, key="old", draft=uuid.uuid4())
    SubmissionKey.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=1, minutes=1))
    SubmissionKey.objects.create(user=citizen, key="fresh", draft=uuid.uuid4())
    assert submission_keys_purge(now=timezone.now()) == 1
    assert list(SubmissionKey.objects.values_list("key", flat=True)) == ["fresh"]
