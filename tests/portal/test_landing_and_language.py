"""Issue 11, item 13: staff land on their queue after logging in (not on the public home page, and not
on an empty first tab); a browser set to English still gets Vietnamese until the person chooses."""

import pytest
from django.urls import reverse

from dossiers.services import desk
from portal.constants import Role
from tests.dossiers.conftest import (  # noqa: F401  (the dossier fixtures)
    agency,
    citizen,
    filed,
    ready_draft,
    run_to,
    staff,
    version,
)
from tests.factories import PASSWORD, MembershipFactory, UserFactory
from tests.security.test_two_factor import TWO_FACTOR, with_device
from tests.support import totp_code

pytestmark = pytest.mark.django_db


def log_in(client, user):
    return client.post(reverse("portal:login"), {"username": user.email, "password": PASSWORD})


def test_a_desk_officer_lands_on_her_queue_after_both_steps(client):
    user = MembershipFactory(role=Role.DESK_OFFICER).user
    device = with_device(user)
    assert log_in(client, user)["Location"] == reverse("dossiers:desk_queue")
    asked = client.get(reverse("dossiers:desk_queue"))
    assert asked["Location"].startswith(TWO_FACTOR)
    done = client.post(TWO_FACTOR, {"token": totp_code(device), "next": "/desk/"})
    assert done["Location"] == reverse("dossiers:desk_queue")


def test_the_code_step_without_a_next_page_lands_on_the_queue_too(client):
    user = MembershipFactory(role=Role.SPECIALIST).user
    device = with_device(user)
    log_in(client, user)
    assert client.post(TWO_FACTOR, {"token": totp_code(device)})["Location"] == reverse("dossiers:desk_queue")


@pytest.mark.parametrize(
    ("make", "landing"),
    [
        (lambda: UserFactory(), "/"),
        (lambda: MembershipFactory(role=Role.CATALOG_ADMIN).user, "/admin/"),
    ],
)
def test_citizens_land_home_and_catalog_admins_on_the_admin(client, make, landing):
    user = make()
    response = log_in(client, user)
    assert response["Location"] == landing


def test_a_next_page_still_wins(client):
    user = UserFactory()
    response = client.post(
        reverse("portal:login"), {"username": user.email, "password": PASSWORD, "next": "/procedures/"}
    )
    assert response["Location"] == "/procedures/"


def test_the_queue_opens_on_the_first_tab_with_work(client, filed, staff):  # noqa: F811
    dossier = run_to(filed, "received", staff)
    desk.dossier_assign(dossier=dossier, actor=staff.leader, assignee=staff.specialist)
    client.force_login(staff.specialist)
    page = client.get(reverse("dossiers:desk_queue"))
    assert page.context["tab"].key != page.context["tab_items"][0][0].key  # the first tab is empty
    assert {t.key: n for t, n in page.context["tab_items"]}[page.context["tab"].key] >= 1
    assert filed.code in page.content.decode()
    chosen = client.get(reverse("dossiers:desk_queue") + "?tab=" + page.context["tab_items"][0][0].key)
    assert chosen.context["tab"].key == page.context["tab_items"][0][0].key  # a choice is kept, even empty


def test_a_browser_in_english_gets_vietnamese_until_the_person_chooses(client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="vi">' in page.content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"}, HTTP_ACCEPT_LANGUAGE="en-US")
    assert '<html lang="en">' in client.get("/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
