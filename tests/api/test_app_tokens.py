"""A citizen's app tokens: made on her page (shown once), standing for her on the API without the
CSRF token, revoked at once; never for staff, and refused once their owner becomes staff."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from portal.constants import Role
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
PAGE = "/accounts/app-tokens/"


def make_token(client) -> str:
    page = client.post(PAGE, {"create": "1"}).content.decode()
    return re.search(r'<code class="d-block[^"]*">([^<]+)</code>', page).group(1)


def test_a_citizen_makes_a_token_and_her_app_files_with_it(client, citizen, filed, version, agency):
    client.force_login(citizen)
    token = make_token(client)
    assert token not in client.get(PAGE).content.decode()  # shown once
    app = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Token {token}")
    listed = app.get("/api/v1/dossiers/")
    assert listed.status_code == 200 and [d["code"] for d in listed.json()["results"]] == [filed.code]
    started = app.post(
        "/api/v1/drafts/", {"procedure": version.procedure.code, "agency": agency.code}, content_type="application/json"
    )
    assert started.status_code == 201  # no CSRF token needed with an app token
    assert app.get("/api/v1/desk/queue/").status_code == 403  # she is no officer


def test_a_revoked_token_stops_at_once_and_only_ones_own_can_be_revoked(client, citizen):
    client.force_login(citizen)
    token = make_token(client)
    app = Client(HTTP_AUTHORIZATION=f"Token {token}")
    assert app.get("/api/v1/dossiers/").status_code == 200
    other = Client()
    other.force_login(UserFactory())
    response = other.post(PAGE, {"revoke": token[:15]}, follow=True)
    assert "Không tìm thấy khóa này" in response.content.decode()
    assert app.get("/api/v1/dossiers/").status_code == 200
    done = client.post(PAGE, {"revoke": token[:15]}, follow=True).content.decode()
    assert "Đã thu hồi khóa" in done
    assert app.get("/api/v1/dossiers/").status_code in (401, 403)
    assert Client(HTTP_AUTHORIZATION="Token not-a-token").get("/api/v1/dossiers/").status_code in (401, 403)


def test_at_most_five_live_tokens(client, citizen):
    client.force_login(citizen)
    for _ in range(5):
        make_token(client)
    refused = client.post(PAGE, {"create": "1"}, follow=True).content.decode()
    assert "Bạn đã có 5 khóa còn hạn" in refused


def test_staff_make_none_and_a_token_of_someone_who_became_staff_is_refused(client, citizen, staff, agency):
    client.force_login(staff.desk)
    page = client.post(PAGE, {"create": "1"}, follow=True).content.decode()
    assert "không dùng khóa ứng dụng" in page and 'id="new-token"' not in page
    client.force_login(citizen)
    token = make_token(client)
    MembershipFactory(user=citizen, agency=agency, role=Role.DESK_OFFICER)
    refused = Client(HTTP_AUTHORIZATION=f"Token {token}").get("/api/v1/desk/queue/")
    assert refused.status_code in (401, 403) and refused.json()["code"] == "staff_token"


def test_the_page_asks_for_a_login(client):
    response = client.get(PAGE)
    assert response.status_code == 302 and reverse("portal:login") in response["Location"]


@pytest.mark.parametrize(
    "value", ["Token \xff\xfe", "Token a b", "Token", "Token " + "x" * 5000, "Bearer \xff", "Bearer", "Bearer a b"]
)
def test_a_malformed_authorization_header_is_refused_not_a_server_error(value):
    response = Client(raise_request_exception=False).get("/api/v1/dossiers/", HTTP_AUTHORIZATION=value)
    assert response.status_code in (401, 403) and response.json()["code"]
