"""The staff dossier page's action forms: an unbound form's rendering is kept per process
(dossier_tags.action_form), so it must be exactly crispy's, follow the list it offers (a new
specialist shows at once), the stage the officer saw and the language; a form with the person's
input and errors is never served from the kept copy."""

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
from django.urls import reverse
from django.utils import translation

from dossiers.desk_forms import AssignForm, ReasonForm
from dossiers.selectors import specialists_of
from dossiers.templatetags.dossier_tags import action_form
from portal.constants import Role
from tests.dossiers.conftest import run_to
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_an_unbound_form_is_crispys_rendering(filed, staff):
    form = AssignForm(
        initial={"expected_stage": "received"}, prefix="assign", specialists=specialists_of(filed.agency_id)
    )
    expected = as_crispy_form(
        AssignForm(initial={"expected_stage": "received"}, prefix="assign", specialists=specialists_of(filed.agency_id))
    )
    assert action_form(form) == expected
    assert action_form(form) == expected  # the kept copy


def test_a_new_specialist_shows_in_the_assign_form_at_once(client, filed, staff):
    run_to(filed, "received", staff)
    client.force_login(staff.leader)
    page = reverse("dossiers:desk_dossier", args=[filed.code])
    assert "Chuyên Viên" in client.get(page).content.decode()
    MembershipFactory(agency=filed.agency, role=Role.SPECIALIST, user__full_name="Chuyên Viên Mới Đến")
    assert "Chuyên Viên Mới Đến" in client.get(page).content.decode()


def test_the_stage_seen_and_the_language_are_the_forms_own():
    received = action_form(ReasonForm(initial={"expected_stage": "received"}, prefix="refuse"))
    checking = action_form(ReasonForm(initial={"expected_stage": "checking"}, prefix="refuse"))
    assert 'value="received"' in received and 'value="checking"' in checking
    with translation.override("en"):
        english = action_form(ReasonForm(initial={"expected_stage": "checking"}, prefix="refuse"))
    assert "Lý do" in checking and "Reason" in english


def test_a_bound_form_keeps_what_was_typed_and_shows_its_error():
    typed = ReasonForm(data={"refuse-expected_stage": "checking", "refuse-reason": ""}, prefix="refuse")
    assert not typed.is_valid()
    html = action_form(typed)
    assert "Vui lòng nhập lý do." in html
    other = ReasonForm(data={"refuse-expected_stage": "checking", "refuse-reason": "Thiếu <giấy> tờ"}, prefix="refuse")
    assert "Thiếu &lt;giấy&gt; tờ" in action_form(other)
    assert "Vui lòng nhập lý do." not in action_form(other)
