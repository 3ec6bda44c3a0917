import pytest
from django.urls import reverse

from portal.constants import Role
from procedures.models import ProcedureVersion
from tests.factories import MembershipFactory, UserFactory, make_version

pytestmark = pytest.mark.django_db


def staff(role):
    return MembershipFactory(role=role).user


def test_catalog_admin_publishes_through_the_change_form_buttons(client):
    old = make_version()
    client.force_login(staff(Role.CATALOG_ADMIN))
    url = reverse("admin:procedures_procedureversion_change", args=[old.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"_clone": "1"})
    draft = ProcedureVersion.objects.get(status="draft")
    assert response["Location"] == reverse("admin:procedures_procedureversion_change", args=[draft.pk])
    response = client.post(
        reverse("admin:procedures_procedureversion_changelist"), {"action": "publish", "_selected_action": [draft.pk]}
    )
    assert response.status_code == 302
    old.refresh_from_db()
    draft.refresh_from_db()
    assert (old.status, draft.status) == ("retired", "published")


def test_publish_action_on_a_published_version_reports_an_error_and_changes_nothing(client):
    version = make_version()
    client.force_login(staff(Role.CATALOG_ADMIN))
    response = client.post(
        reverse("admin:procedures_procedureversion_changelist"),
        {"action": "publish", "_selected_action": [version.pk]},
        follow=True,
    )
    assert "Chỉ công bố được bản nháp" in response.content.decode()
    version.refresh_from_db()
    assert version.status == "published"


@pytest.mark.parametrize("role", [Role.DESK_OFFICER, Role.SPECIALIST, Role.LEADER])
def test_other_staff_cannot_open_or_change_the_catalog_admin(client, role):
    version = make_version()
    client.force_login(staff(role))
    url = reverse("admin:procedures_procedureversion_change", args=[version.pk])
    assert client.get(url, follow=True).status_code == 403
    client.post(url, {"_clone": "1"})
    client.post(
        reverse("admin:procedures_procedureversion_changelist"),
        {"action": "clone_to_draft", "_selected_action": [version.pk]},
    )
    assert not ProcedureVersion.objects.filter(status="draft").exists()
    assert client.get(reverse("admin:procedures_procedure_add"), follow=True).status_code == 403


def test_citizens_cannot_open_the_admin(client):
    client.force_login(UserFactory())
    assert client.get(reverse("admin:procedures_procedureversion_changelist")).status_code == 302
