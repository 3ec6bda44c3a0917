"""Partner systems through OAuth2 client credentials: a token only for the scopes the client was
given, each endpoint asking its scope, only the client's agencies, the reads logged under its
responsible officer, its own request rate, and a revoked client refused at once."""

import base64

import pytest
from django.urls import reverse

from portal.constants import Role
from portal.models import PartnerAccess, PersonalDataAccess
from portal.services import partner_issue, partner_revoke
from tests.dossiers.conftest import run_to
from tests.factories import AgencyFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

TOKEN = "/api/oauth/token/"


def issue(agency, scopes, rate="600/min"):
    officer = MembershipFactory(agency=agency, role=Role.LEADER).user
    return partner_issue(name="Cổng DVC quốc gia", scopes=scopes, agencies=[agency], rate=rate, responsible=officer)


def token_for(client, client_id, secret, scope=""):
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    body = {"grant_type": "client_credentials", **({"scope": scope} if scope else {})}
    return client.post(TOKEN, body, HTTP_AUTHORIZATION=f"Basic {basic}", secure=True)


def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}", "secure": True}


def test_a_client_gets_a_token_only_for_its_scopes(client, agency):
    _access, client_id, secret = issue(agency, ["dossiers:read"])
    granted = token_for(client, client_id, secret, "dossiers:read")
    assert granted.status_code == 200 and granted.json()["scope"] == "dossiers:read"
    assert token_for(client, client_id, secret).json()["scope"] == "dossiers:read"  # none asked: all it has
    refused = token_for(client, client_id, secret, "dossiers:read exchange")
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_scope"
    assert token_for(client, client_id, "wrong-secret", "dossiers:read").status_code == 401


def test_the_dossiers_of_its_agency_and_no_other(client, filed, agency, staff):
    _access, client_id, secret = issue(agency, ["dossiers:read"])
    token = token_for(client, client_id, secret, "dossiers:read").json()["access_token"]
    listed = client.get("/api/v1/partner/dossiers/", **bearer(token))
    assert listed.status_code == 200
    assert [(d["code"], d["status_number"]) for d in listed.json()["results"]] == [(filed.code, 1)]

    detail = client.get(f"/api/v1/partner/dossiers/{filed.code}/", **bearer(token))
    assert detail.status_code == 200 and detail.json()["applicant"]["national_id"] == "017095001111"
    entry = PersonalDataAccess.objects.get()
    assert (entry.reason, entry.dossier_code) == ("partner_api", filed.code)
    assert entry.actor == PartnerAccess.objects.get().responsible

    other = AgencyFactory(code="H99.05")
    assert client.get(f"/api/v1/partner/dossiers/?agency={other.code}", **bearer(token)).status_code == 400
    _a, other_id, other_secret = issue(other, ["dossiers:read"])
    stranger = token_for(client, other_id, other_secret).json()["access_token"]
    assert client.get("/api/v1/partner/dossiers/", **bearer(stranger)).json()["results"] == []
    assert client.get(f"/api/v1/partner/dossiers/{filed.code}/", **bearer(stranger)).status_code == 404
    assert PersonalDataAccess.objects.count() == 1


def test_status_changes_in_the_shared_lists_numbers(client, filed, agency, staff):
    run_to(filed, "received", staff)
    _access, client_id, secret = issue(agency, ["status:sync"])
    token = token_for(client, client_id, secret).json()["access_token"]
    feed = client.get("/api/v1/partner/status-changes/?page_size=1", **bearer(token)).json()
    assert [(c["code"], c["status"], c["status_number"]) for c in feed["results"]] == [(filed.code, "new", 1)]
    rest = client.get(feed["next"], **bearer(token)).json()
    assert [(c["status"], c["status_number"], c["procedure"]) for c in rest["results"]] == [("received", 2, "1.001193")]
    assert rest["results"][0]["received_at"] is not None and rest["next"] is None
    # The scope it lacks, and a person's endpoints, stay closed to it.
    assert client.get("/api/v1/partner/dossiers/", **bearer(token)).status_code == 403
    assert client.get("/api/v1/dossiers/", **bearer(token)).status_code == 403
    assert client.get(f"/api/v1/dossiers/{filed.code}/", **bearer(token)).status_code == 403


def test_no_token_a_bad_one_or_a_persons_session_gets_401(client, agency, citizen):
    for headers in ({}, {"HTTP_AUTHORIZATION": "Bearer not-a-token"}):
        response = client.get("/api/v1/partner/status-changes/", secure=True, **headers)
        assert response.status_code == 401 and response.json()["code"] in ("not_authenticated", "authentication_failed")
    client.force_login(citizen)
    assert client.get("/api/v1/partner/status-changes/", secure=True).status_code == 401


def test_a_revoked_client_is_refused_at_once(client, agency):
    access, client_id, secret = issue(agency, ["status:sync"])
    token = token_for(client, client_id, secret).json()["access_token"]
    assert client.get("/api/v1/partner/status-changes/", **bearer(token)).status_code == 200
    partner_revoke(access=access)
    assert client.get("/api/v1/partner/status-changes/", **bearer(token)).status_code == 401
    assert token_for(client, client_id, secret).status_code in (400, 401)


def test_each_client_has_its_own_rate(client, agency):
    _access, client_id, secret = issue(agency, ["status:sync"], rate="3/min")
    token = token_for(client, client_id, secret).json()["access_token"]
    statuses = [client.get("/api/v1/partner/status-changes/", **bearer(token)).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    _other, other_id, other_secret = issue(agency, ["status:sync"], rate="3/min")
    other = token_for(client, other_id, other_secret).json()["access_token"]
    assert client.get("/api/v1/partner/status-changes/", **bearer(other)).status_code == 200


def test_a_superuser_issues_a_client_in_the_admin_and_sees_its_secret_once(client, agency):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    officer = MembershipFactory(agency=agency, role=Role.LEADER).user
    form = {
        "name": "Phần mềm một cửa huyện",
        "scopes": ["status:sync"],
        "agencies": [agency.pk],
        "rate": "120/min",
        "responsible": officer.pk,
    }
    bad = client.post(reverse("admin:portal_partneraccess_add"), {**form, "rate": "nhiều"})
    assert bad.status_code == 200 and "600/min" in bad.content.decode()
    response = client.post(reverse("admin:portal_partneraccess_add"), form, follow=True)
    access = PartnerAccess.objects.get()
    assert list(access.agencies.all()) == [agency] and access.scopes == ["status:sync"]
    shown = [str(m) for m in response.context["messages"]]
    secret = shown[0].split("client_secret ")[1].split(".")[0]
    assert token_for(client, access.application.client_id, secret).status_code == 200
    revoke = {"action": "revoke", "_selected_action": [access.pk]}
    client.post(reverse("admin:portal_partneraccess_changelist"), revoke, follow=True)
    access.refresh_from_db()
    assert access.revoked_at is not None


def test_only_superusers_open_the_partner_admin(client, agency):
    catalog_admin = MembershipFactory(agency=agency, role=Role.CATALOG_ADMIN).user
    client.force_login(catalog_admin)
    assert client.get(reverse("admin:portal_partneraccess_changelist")).status_code == 403
