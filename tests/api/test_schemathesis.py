"""schemathesis against a live server over every endpoint of the committed schema, as the anonymous,
a citizen with a filed dossier, a staff member of its agency, a partner system of that agency and a
consulted agency's system with a task to answer: no 5xx, and every response keeps to
the schema (its status code documented, its body of the documented shape and content type)."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from dossiers.models import Dossier
from tests.factories import ProcedureFactory, make_version

CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"
SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "api" / "openapi.yaml"


def session_headers(user) -> list[str]:
    """The session cookie of a login (with the second factor for staff: tests/conftest.py), and a
    CSRF cookie with its token, so that the writes are exercised rather than refused at the door."""
    from django.middleware.csrf import _get_new_csrf_string

    client = Client()
    client.force_login(user)
    token = _get_new_csrf_string()
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    cookies = f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={token}"
    return ["--header", f"Cookie: {cookies}", "--header", f"X-CSRFToken: {token}"]


def partner_headers(agency, responsible, scopes=("dossiers:read", "status:sync")) -> list[str]:
    """A partner system's bearer token (the filed dossier's agency, or a consulted one), for its endpoints."""
    import base64

    from portal.services import partner_issue

    _access, client_id, secret = partner_issue(
        name="Đối tác thử",
        scopes=list(scopes),
        agencies=[agency],
        rate="100000/min",
        responsible=responsible,
    )
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    token = (
        Client()
        .post(
            "/api/oauth/token/", {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=f"Basic {basic}", secure=True
        )
        .json()["access_token"]
    )
    return ["--header", f"Authorization: Bearer {token}", "--include-path-regex", "/partner/"]


def consulted_agency_with_a_task(filed, citizen, staff):
    """A second dossier of the filed one's procedure, sent for an opinion to another agency, whose
    system (an `exchange` client answered for by one of its specialists) reads and replies to it."""
    from dossiers.services import desk, filing, uploads
    from portal.constants import Role
    from tests.dossiers.conftest import ANSWERS, pdf, run_to
    from tests.factories import AgencyFactory, MembershipFactory

    draft = filing.dossier_start(version=filed.version, actor=citizen, agency=filed.agency)
    filing.dossier_save_answers(dossier=draft, actor=citizen, raw=dict(ANSWERS))
    for n, component in enumerate(filed.version.components.all()[:2]):
        uploads.attachment_add(dossier=draft, actor=citizen, component=component, upload=pdf(f"thanh-phan-{n}.pdf"))
    filing.dossier_set_delivery(dossier=draft, actor=citizen, delivery="desk")
    second = run_to(filing.dossier_submit(dossier=draft, actor=citizen, declaration=True), "appraising", staff)
    consulted = AgencyFactory(code="H99.TN", name="Phòng Tài nguyên và Môi trường")
    desk.dossier_forward(
        dossier=second, actor=staff.specialist, tasks=[(consulted, "Xác minh thửa đất", second.due_at.date())]
    )
    consulted.officer = MembershipFactory(agency=consulted, role=Role.SPECIALIST).user
    return consulted


@pytest.mark.django_db(transaction=True)
def test_every_endpoint_keeps_to_the_schema(live_server, filed, citizen, staff, tmp_path):
    for n in range(3):
        make_version(ProcedureFactory(code=f"2.00000{n}", name=f"Thủ tục thử số {n}"), status="published")
    runner = Path(sys.executable).parent / "st"
    consulted = consulted_agency_with_a_task(filed, citizen, staff)
    visitors = (
        ("anonymous", []),
        ("citizen", session_headers(citizen)),
        ("staff", session_headers(staff.desk)),
        ("partner", partner_headers(filed.agency, staff.leader)),
        ("consulted", partner_headers(consulted, consulted.officer, scopes=("exchange", "dossiers:read"))),
    )
    for who, headers in visitors:
        command = [
            str(runner),
            "run",
            str(SCHEMA),
            "--url",
            live_server.url,
            "--checks",
            CHECKS,
            "--max-examples",
            "15",
            "--seed",
            "20261203",
            "--generation-database",
            "none",
            "--workers",
            "1",
            # Each visitor's own credentials are sent as given, not fuzzed: odd Authorization values
            # made the test server (http.server) drop connections now and then under load. Malformed
            # headers are tested in tests/api/test_app_tokens.py.
            "--generation-with-security-parameters",
            "false",
            "--no-color",
            "--report-dir",
            str(tmp_path / who),
            *headers,
        ]
        if not headers:  # the anonymous meet a refusal everywhere but the catalog: no scenarios to chain
            command += ["--phases", "examples,coverage,fuzzing"]
        drafts_before = Dossier.objects.filter(filer=citizen, status="draft").count()
        result = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=tmp_path)
        assert result.returncode == 0, f"{who}:\n{result.stdout[-6000:]}\n{result.stderr[-2000:]}"
        if who == "citizen":  # the writes were exercised, not only refused
            assert Dossier.objects.filter(filer=citizen, status="draft").count() > drafts_before
