"""Finding (High): every staff account read every citizen's identity data in /admin/. Staff roles no
longer open the admin; only superusers and catalog admins do, and a catalog admin sees the catalog
and the calendars, never people."""

import pytest
from django.urls import reverse

from portal.constants import Role
from portal.services import staff_create
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

PEOPLE_URLS = [
    reverse("admin:portal_user_changelist"),
    reverse("admin:portal_user_changelist") + "?q=001099",
    reverse("admin:portal_staffmembership_changelist"),
    reverse("admin:portal_notification_changelist"),
    reverse("admin:portal_smsmessage_changelist"),
]


@pytest.fixture
def citizen():
    return UserFactory(national_id="001099123456", address="Số 7 ngõ Bí Mật")


def staff(role, *, flag=True):
    user = MembershipFactory(role=role).user
    user.is_staff = flag  # as every staff account had before: the flag alone must not open the admin
    user.save()
    return user


@pytest.mark.parametrize("role", [Role.DESK_OFFICER, Role.SPECIALIST, Role.LEADER])
def test_desk_staff_cannot_read_citizens_in_the_admin(client, citizen, role):
    client.force_login(staff(role))
    for url in [*PEOPLE_URLS, reverse("admin:portal_user_change", args=[citizen.pk]), reverse("admin:index")]:
        response = client.get(url, follow=True)
        assert response.status_code == 403, url
        body = response.content.decode()
        assert citizen.national_id not in body and "Bí Mật" not in body


def test_catalog_admin_keeps_the_catalog_and_calendars_but_not_people(client, citizen):
    client.force_login(staff(Role.CATALOG_ADMIN, flag=False))
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:procedures_procedure_changelist")).status_code == 200
    assert client.get(reverse("admin:portal_calendaroverride_add")).status_code == 200
    assert client.get(reverse("admin:portal_agency_changelist")).status_code == 200
    index = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:portal_user_changelist") not in index
    for url in [*PEOPLE_URLS, reverse("admin:portal_user_change", args=[citizen.pk])]:
        response = client.get(url, follow=True)
        assert response.status_code == 403, url
        assert citizen.national_id not in response.content.decode()


def test_superuser_reads_people(client, citizen):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.get(reverse("admin:portal_user_changelist") + "?q=001099123456")
    assert response.status_code == 200 and citizen.national_id in response.content.decode()


def test_a_removed_catalog_admin_loses_the_admin_at_once(client):
    user = staff(Role.CATALOG_ADMIN)
    client.force_login(user)
    assert client.get(reverse("admin:index")).status_code == 200
    user.memberships.all().delete()
    assert client.get(reverse("admin:index"), follow=True).status_code == 403


def test_the_admin_has_no_login_form_of_its_own(client):
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert response.status_code == 302 and response["Location"].startswith(reverse("portal:login"))
    assert "next=/admin/" in response["Location"]
    # The admin's password form (which asked for is_staff only) is gone: a POST logs nobody in.
    user = staff(Role.DESK_OFFICER)
    client.post(reverse("admin:login"), {"username": user.email, "password": "Matkhau@2026"})
    assert "_auth_user_id" not in client.session


def test_new_staff_accounts_get_no_admin_flag():
    user = staff_create(full_name="Cán bộ Mới", email="canbomoi@example.vn", password="Matkhau@2026x")
    assert user.is_staff is False


def test_menu_links_the_admin_only_for_those_who_may_open_it(client):
    client.force_login(staff(Role.LEADER))
    assert 'href="/admin/"' not in client.get("/").content.decode()
    client.force_login(staff(Role.CATALOG_ADMIN))
    assert 'href="/admin/"' in client.get("/").content.decode()
