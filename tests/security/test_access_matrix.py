"""Every URL pattern of the URLconf (walked from the resolver, so a new route fails here until it is
given its row) x every kind of visitor, with the status each must get on a GET. The admin's routes
come from its registry: every registered model's list for every visitor.

The world: agency A with desks A1 and A2, a dossier filed online by citizen A (tied to desk A1, just
received) and a draft of hers; agency B with its own desk officer."""

import pytest
from django.contrib import admin
from django.urls import URLResolver, get_resolver, reverse

from dossiers.models import Dossier
from dossiers.services import filing
from portal.constants import Role
from portal.models import StaffMembership
from tests.dossiers.conftest import run_to
from tests.factories import AgencyFactory, DeskFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

ACTORS = [
    "anonymous",
    "citizen_a",
    "citizen_b",
    "desk_a1",
    "desk_a2",
    "other_agency",
    "specialist",
    "leader",
    "catalog_admin",
    "removed_staff",
]
STAFF_A = {"desk_a1", "specialist", "leader"}  # see the dossier on the desk pages
STAFF = STAFF_A | {"desk_a2", "other_agency"}  # work in the desk pages at all
LOGGED_IN = set(ACTORS) - {"anonymous"}


def row(default, **cells):
    """A route's expected statuses: `default` for every visitor, then the exceptions."""
    return {actor: cells.get(actor, default) for actor in ACTORS}


def by(groups: dict):
    """Statuses by group of visitors: {frozenset or name: status}; unnamed visitors get 'rest'."""
    rest = groups.pop("rest")
    result = dict.fromkeys(ACTORS, rest)
    for who, status in groups.items():
        for actor in [who] if isinstance(who, str) else who:
            result[actor] = status
    return result


LOGIN_REQUIRED = row(200, anonymous=302)
OWNER_ONLY = by({"anonymous": 302, "citizen_a": 200, "rest": 404})
DESK_DOSSIER = by({"anonymous": 302, frozenset(STAFF_A): 200, frozenset({"desk_a2", "other_agency"}): 404, "rest": 403})
DESK_PAGE = by({"anonymous": 302, frozenset(STAFF): 200, "rest": 403})
DESK_POST_ONLY = by({"anonymous": 302, frozenset(STAFF): 405, "rest": 403})
LEADERS = by({"anonymous": 302, "leader": 200, "rest": 403})
FILE = by({"citizen_a": 200, frozenset(STAFF_A): 200, "rest": 404})

EXPECTED = {
    "portal:home": row(200),
    "portal:register": row(302, anonymous=200),
    "portal:register_sent": row(200),
    "portal:register_activate": row(200),  # a page with a button; the token is checked on POST
    "portal:login": row(302, anonymous=200),
    "portal:logout": row(405),
    # Everyone here has passed any second factor they need (tests/security/test_two_factor.py walks
    # every route for staff who have not): the code and setup pages send them on.
    "portal:two_factor": row(302),
    "portal:two_factor_setup": row(302),
    "portal:two_factor_recovery_codes": row(405),
    "portal:profile": LOGIN_REQUIRED,
    "portal:app_tokens": LOGIN_REQUIRED,
    "portal:contact_confirm": LOGIN_REQUIRED,  # a page with a button; the token is checked on POST
    "portal:password_change": LOGIN_REQUIRED,
    "portal:password_change_done": LOGIN_REQUIRED,
    "portal:password_reset": row(200),
    "portal:password_reset_done": row(200),
    "portal:password_reset_confirm": row(200),  # "this link is not valid"
    "portal:password_reset_complete": row(200),
    "portal:inbox": LOGIN_REQUIRED,
    "portal:healthz": row(200),
    "portal:readyz": row(503),  # no worker runs in the tests; the body says only {"ok": false}
    "procedures:list": row(200),
    "procedures:preview": by({"anonymous": 302, "catalog_admin": 200, "rest": 403}),
    "procedures:template": row(404),  # the version has no template: nobody gets one
    "procedures:detail": row(200),
    "dossiers:mine": LOGIN_REQUIRED,
    "dossiers:new": LOGIN_REQUIRED,  # anyone logged in may file for themselves
    "dossiers:draft": OWNER_ONLY,
    "dossiers:draft_applicant": OWNER_ONLY,
    "dossiers:draft_form": OWNER_ONLY,
    "dossiers:draft_documents": OWNER_ONLY,
    "dossiers:draft_pick": OWNER_ONLY,
    "dossiers:draft_delivery": OWNER_ONLY,
    "dossiers:draft_check": OWNER_ONLY,
    "dossiers:draft_delete": row(405, anonymous=302),  # POST only, refused before anything is read
    "dossiers:detail": OWNER_ONLY,
    "dossiers:submitted": OWNER_ONLY,
    "dossiers:supplement": by({"anonymous": 302, "citizen_a": 302, "rest": 404}),  # nothing asked: back to the page
    "dossiers:withdraw": OWNER_ONLY,
    "dossiers:rate": by({"anonymous": 302, "citizen_a": 302, "rest": 404}),  # not finished yet: back to the page
    "dossiers:file": FILE,
    "dossiers:file_preview": FILE,
    "dossiers:track": row(200),
    # Public: a document's record (nothing personal) from its QR code, and the check of a PDF.
    "dossiers:verify": row(200),
    "dossiers:desk_form_reissue": DESK_POST_ONLY,
    "dossiers:verify_document": row(200),
    "dossiers:statistics": row(200),
    "dossiers:indicators_json": row(200),
    "dossiers:desk_indicators": LEADERS,
    "dossiers:desk_indicator_dossiers": LEADERS,
    "dossiers:desk_queue": DESK_PAGE,
    "dossiers:desk_dossier": DESK_DOSSIER,
    "dossiers:desk_act": DESK_POST_ONLY,
    "dossiers:desk_form": DESK_DOSSIER,
    "dossiers:citizen_form": OWNER_ONLY,
    "dossiers:desk_register": DESK_PAGE,
    # Desk officers take dossiers in; specialists and leaders are sent back to their queue.
    "dossiers:counter": by(
        {
            "anonymous": 302,
            frozenset({"desk_a1", "desk_a2", "other_agency"}): 200,
            frozenset({"specialist", "leader"}): 302,
            "rest": 403,
        }
    ),
    "dossiers:desk_on_the_spot": DESK_POST_ONLY,
    # Fees (issue 15): the owner's "pay online" and the desk's refund record are POST only; the
    # gateway's callback takes POST from anyone (its signature decides); an order's sandbox and
    # return pages are for the citizen who opened it, nobody else (this one is nobody's).
    "dossiers:pay": row(405, anonymous=302),
    "dossiers:desk_refund": DESK_POST_ONLY,
    "payments:callback": row(405),
    "payments:sandbox_pay": row(404, anonymous=302),
    "payments:returned": row(404, anonymous=302),
    "set_language": row(302),
    # The API (tests/api): the catalog and its schema for everyone; dossiers as on the pages, with a
    # JSON refusal (403) rather than the login page for the anonymous.
    "api-procedures": row(200),
    "api-procedure": row(200),
    "api-sectors": row(200),
    "api-agencies": row(200),
    "api-schema": row(200),
    "api-docs": row(200),
    "api-dossiers": row(200, anonymous=403),
    "api-dossier": by({"anonymous": 403, "citizen_a": 200, frozenset(STAFF_A): 200, "rest": 404}),
    "api-desk-queue": by({frozenset(STAFF): 200, "rest": 403}),
    "api-desk-action": row(405, anonymous=403),
    # The citizen's actions are POST only; their refusals are in tests/api/test_citizen_actions.py.
    "api-dossier-withdraw": row(405, anonymous=403),
    "api-dossier-rate": row(405, anonymous=403),
    "api-supplement-files": row(405, anonymous=403),
    "api-supplement-send": row(405, anonymous=403),
    # No supplement is asked in this world: 404 for everyone, the owner included.
    "api-dossier-supplement": row(404, anonymous=403),
    "api-notifications": row(200, anonymous=403),
    # Partner systems: a bearer token only (tests/api/test_partners.py); a person's session is not one.
    "oauth-token": row(405),  # POST only
    "oauth-revoke": row(405),  # POST only
    "api-partner-dossiers": row(401),
    "api-partner-dossier": row(401),
    "api-partner-status": row(401),
    "api-partner-tasks": row(401),
    "api-partner-task": row(401),
    "api-partner-task-reply": row(401),
    "api-notification-read": row(405, anonymous=403),  # POST only; its refusals are in tests/api/test_desk_actions.py
    # A draft's endpoints (tests/api/test_drafts.py tests the writes): its filer only.
    "api-draft": by({"anonymous": 403, "citizen_a": 200, "rest": 404}),
    "api-drafts": row(405, anonymous=403),  # POST only
    "api-draft-files": row(405, anonymous=403),  # POST only
    "api-draft-file": row(405, anonymous=403),  # DELETE only
    "api-draft-submit": row(405, anonymous=403),  # POST only
}


def routes(patterns=None, namespace=None):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            yield from routes(pattern.url_patterns, pattern.namespace or namespace)
        else:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name, pattern


@pytest.fixture
def world(agency, version, citizen, filed, staff):
    filed = run_to(filed, "received", staff)  # Form 01 exists from here
    other_desk = DeskFactory(agency=agency, code="MC-H99.01-B")
    desk_a1 = agency.desks.get(code="MC-H99.01")
    Dossier.objects.filter(pk=filed.pk).update(desk=desk_a1)
    StaffMembership.objects.filter(user=staff.desk).update(desk=desk_a1)
    other_agency = AgencyFactory(code="H98.01")
    removed = MembershipFactory(agency=agency, role=Role.DESK_OFFICER).user
    StaffMembership.objects.filter(user=removed).delete()
    draft = filing.dossier_start(version=version, actor=citizen, agency=agency)
    people = {
        "anonymous": None,
        "citizen_a": citizen,
        "citizen_b": UserFactory(),
        "desk_a1": staff.desk,
        "desk_a2": MembershipFactory(agency=agency, role=Role.DESK_OFFICER, desk=other_desk).user,
        "other_agency": MembershipFactory(agency=other_agency, role=Role.DESK_OFFICER).user,
        "specialist": staff.specialist,
        "leader": staff.leader,
        "catalog_admin": MembershipFactory(agency=AgencyFactory(code="H00"), role=Role.CATALOG_ADMIN).user,
        "removed_staff": removed,
    }
    code = filed.code
    component = version.components.first()
    args = {
        "portal:contact_confirm": {"token": "not-a-token"},
        "portal:register_activate": {"token": "not-a-token"},
        "portal:password_reset_confirm": {"uidb64": "MQ", "token": "set-password"},
        "procedures:preview": {"pk": version.pk},
        "procedures:template": {"pk": 999999},
        "dossiers:new": {"code": version.procedure.code},
        "dossiers:draft_form": {"public_id": draft.public_id, "index": 0},
        "dossiers:draft_pick": {"public_id": draft.public_id, "component_id": component.pk},
        "dossiers:file": {"public_id": filed.attachments.first().public_id},
        "dossiers:file_preview": {"public_id": filed.attachments.first().public_id},
        "dossiers:verify_document": {"public_id": filed.issued_forms.get(number="01").public_id},
        "dossiers:desk_act": {"code": code, "action": "assign"},
        "dossiers:desk_form": {"code": code, "number": "01"},
        "dossiers:citizen_form": {"code": code, "number": "01"},
        "dossiers:desk_indicator_dossiers": {"figure": "received"},
        "dossiers:desk_refund": {"code": code, "payment_id": 1},
        "payments:callback": {"gateway": "sandbox"},
        "payments:sandbox_pay": {"order_id": "0b7c1e0e-5f5e-4a8e-9a43-6a1d3c2f9e11"},
        "payments:returned": {"order_id": "0b7c1e0e-5f5e-4a8e-9a43-6a1d3c2f9e11"},
        "api-procedure": {"code": version.procedure.code},
        "api-desk-action": {"code": code, "action": "accept"},
        "api-notification-read": {"pk": 1},
        # No task is sent to this world's agency (tests/api/test_exchange.py has them).
        "api-partner-task": {"task_id": 999999},
        "api-partner-task-reply": {"task_id": 999999},
        "api-draft-file": {"public_id": draft.public_id, "file_id": filed.attachments.first().public_id},
    }

    def url(name, pattern):
        if name in args:
            kwargs = args[name]
        elif "public_id" in pattern.pattern.converters:
            kwargs = {"public_id": draft.public_id}
        elif "code" in pattern.pattern.converters:
            kwargs = {"code": version.procedure.code if name.startswith("procedures:") else code}
        else:
            kwargs = {}
        return reverse(name, kwargs=kwargs)

    return people, url


def test_every_route_has_its_row():
    names = {name for name, _ in routes()}
    assert names - set(EXPECTED) == set(), "give each new route its expected statuses here"
    assert set(EXPECTED) - names == set(), "a route in the table no longer exists"


def test_access_matrix(client, world):
    people, url = world
    wrong = []
    for actor in ACTORS:
        client.logout()
        if people[actor] is not None:
            client.force_login(people[actor])
        for name, pattern in routes():
            path = url(name, pattern)
            status = client.get(path).status_code
            if status != EXPECTED[name][actor]:
                wrong.append(f"{actor:14} {path:60} got {status}, expected {EXPECTED[name][actor]}")
    assert wrong == [], "\n" + "\n".join(wrong)


# What a catalog admin opens in /admin/: the catalog, agencies and desks (read) and the calendars.
# Everything else there (accounts, groups, memberships, login attempts, what was sent to people, the
# access log) is for superusers only.
CATALOG_ADMIN_MODELS = {"agency", "desk", "calendaroverride"}


@pytest.mark.parametrize("actor", ACTORS)
def test_admin_matrix(client, world, actor):
    people, _ = world
    if people[actor] is not None:
        client.force_login(people[actor])
    seen = []
    for model in admin.site._registry:
        path = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        response = client.get(path, follow=actor != "anonymous")
        if actor == "anonymous":
            expected = 302
        elif actor == "catalog_admin":
            catalog = model._meta.app_label == "procedures" or model._meta.model_name in CATALOG_ADMIN_MODELS
            expected = 200 if catalog else 403
        else:
            expected = 403
        assert response.status_code == expected, (actor, path)
        seen.append(path)
    assert len(seen) > 10


# A partner system's token on every API route: a person's endpoints see an anonymous visitor (the
# token is no one's session); the partner endpoints ask each for its scope, over the agency's dossiers.
PARTNER_ROUTES = {
    "api-partner-dossiers": ("dossiers:read", 200),
    "api-partner-dossier": ("dossiers:read", 200),
    "api-partner-status": ("status:sync", 200),
    "api-partner-tasks": ("exchange", 200),
    "api-partner-task": ("exchange", 404),  # no such task among its agencies'
    "api-partner-task-reply": ("exchange", 405),  # POST only
}


@pytest.mark.parametrize("scopes", [["dossiers:read"], ["status:sync"], ["exchange"], ["catalog:read"]])
def test_partner_tokens_on_every_api_route(client, world, agency, scopes):
    import base64

    from portal.services import partner_issue

    people, url = world
    _access, client_id, secret = partner_issue(
        name="Đối tác", scopes=scopes, agencies=[agency], rate="10000/min", responsible=people["leader"]
    )
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    token = client.post(
        "/api/oauth/token/", {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=f"Basic {basic}", secure=True
    ).json()["access_token"]
    client.logout()
    wrong = []
    for name, pattern in routes():
        if not (name.startswith("api-") or name.startswith("oauth-")):
            continue
        if name in PARTNER_ROUTES:
            scope, allowed = PARTNER_ROUTES[name]
            expected = allowed if scope in scopes else 403
        else:
            expected = EXPECTED[name]["anonymous"]
        path = url(name, pattern)
        status = client.get(path, HTTP_AUTHORIZATION=f"Bearer {token}", secure=True).status_code
        if status != expected:
            wrong.append(f"{scopes} {path:60} got {status}, expected {expected}")
    assert wrong == [], "\n" + "\n".join(wrong)
