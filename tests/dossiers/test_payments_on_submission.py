"""A procedure that takes its fee on submission: the portal asks at once, the desk checks once it is
paid; at the counter the officer takes it in cash before going on."""

import pytest

from dossiers.constants import Action, FeeStatus, Stage
from dossiers.models import DossierEvent, FeeAssessment, Payment
from dossiers.services import payments
from tests.dossiers.payments_support import charge, post_notice

pytestmark = pytest.mark.django_db


@pytest.fixture
def version(version):
    return charge(version, stage="on_submission", amount=8000)


def test_filed_online_it_waits_for_the_fee_before_the_desk_checks(filed, citizen, client, staff):
    assert filed.stage == Stage.AWAITING_PAYMENT and filed.previous_stage == Stage.CHECKING
    assert filed.fee_status == FeeStatus.DUE and FeeAssessment.objects.get(dossier=filed).amount == 8000
    event = DossierEvent.objects.get(dossier=filed, action=Action.REQUEST_PAYMENT)
    assert event.actor is None  # the portal asked, as the procedure says
    # Not in the desk's "to check" tab until paid.
    from dossiers import queues

    memberships = queues.staff_memberships(staff.desk)
    tabs = queues.tabs_for(memberships)
    counts = queues.tab_counts(user=staff.desk, memberships=memberships, tabs=tabs)
    assert counts.get("check", 0) == 0
    order, _url = payments.order_start(dossier=filed, actor=citizen)
    assert post_notice(client, order).status_code == 200
    filed.refresh_from_db()
    assert filed.stage == Stage.CHECKING and filed.paid_via == "online"
    counts = queues.tab_counts(user=staff.desk, memberships=memberships, tabs=tabs)
    assert counts.get("check", 0) == 1
    # Before the clock ran, nothing moves: the appointment is set when the desk accepts.
    assert not DossierEvent.objects.filter(dossier=filed, action=Action.PAYMENT_WAIT).exists()


def test_the_staff_page_does_not_offer_asking_again(filed, staff):
    from dossiers import selectors

    assert Action.REQUEST_PAYMENT not in selectors.staff_actions(dossier=filed, user=staff.specialist)


def test_a_procedure_charging_nothing_is_never_asked(ready_draft, citizen, version):
    from procedures.models import FeeItem

    version.status = "draft"
    version.save(update_fields=["status"])
    FeeItem.objects.filter(version=version).update(amount=0)
    version.status = "published"
    version.save(update_fields=["status"])
    from portal.cache import forget

    forget()
    from dossiers.services import filing

    dossier = filing.dossier_submit(dossier=ready_draft, actor=citizen, declaration=True)
    assert dossier.stage == Stage.CHECKING and dossier.fee_status == FeeStatus.NONE


def test_the_walk_in_pays_cash_at_the_counter_then_the_dossier_is_received(version, agency, staff):
    from dossiers.services.counter import dossier_receive_at_counter
    from tests.dossiers.conftest import ANSWERS, pdf

    components = list(version.components.all())
    dossier = dossier_receive_at_counter(
        version=version,
        agency=agency,
        actor=staff.desk,
        snapshot={
            "full_name": "Hoàng Thị Mai",
            "national_id": "017190004444",
            "phone": "0912000111",
            "email": "",
            "address": "Xóm Đồi",
        },
        answers=dict(ANSWERS),
        files={components[0].id: [pdf("to-khai.pdf")], components[1].id: [pdf("chung-sinh.pdf")]},
        delivery="desk",
    )
    assert dossier.stage == Stage.AWAITING_PAYMENT and dossier.previous_stage == Stage.RECEIVED
    payments.payment_record_cash(dossier=dossier, actor=staff.desk, amount=8000)
    dossier.refresh_from_db()
    assert dossier.stage == Stage.RECEIVED and dossier.paid_via == "cash"
    assert Payment.objects.get().receipt is not None


def test_the_confirmation_page_says_the_fee_comes_first(filed, citizen, client):
    client.force_login(citizen)
    page = client.get(f"/dossiers/{filed.code}/submitted/").content.decode()
    assert 'id="fee-due"' in page and "8.000 đồng" in page and f"/dossiers/{filed.code}/#fees" in page


def test_the_check_step_shows_the_bill_and_when_it_is_paid(ready_draft, citizen, client):
    client.force_login(citizen)
    page = client.get(f"/dossiers/drafts/{ready_draft.public_id}/check/").content.decode()
    total = page[page.index('id="bill-total"') :]
    assert "8.000 đồng" in total and "nộp ngay sau khi nộp hồ sơ" in total


@pytest.fixture
def exemptions(version):
    from procedures.models import FeeExemption, FeeItem

    version.status = "draft"
    version.save(update_fields=["status"])
    fee = FeeItem.objects.get(version=version)
    half = FeeExemption.objects.create(fee=fee, category="Sinh viên", percent=50, reason="Thông tư 244/2016/TT-BTC")
    whole = FeeExemption.objects.create(fee=fee, category="Hộ nghèo", percent=100, reason="Thông tư 244/2016/TT-BTC")
    version.status = "published"
    version.save(update_fields=["status"])
    return half, whole


def submit(client, draft, **data):
    return client.post(f"/dossiers/drafts/{draft.public_id}/check/", {"declaration": "on", **data})


def test_a_student_claims_half_on_filing_and_pays_half(exemptions, ready_draft, citizen, client):
    half, _whole = exemptions
    client.force_login(citizen)
    page = client.get(f"/dossiers/drafts/{ready_draft.public_id}/check/").content.decode()
    assert "Sinh viên" in page and "Hộ nghèo" in page
    assert submit(client, ready_draft, exemptions=[half.pk]).status_code == 302
    dossier = type(ready_draft).objects.get(pk=ready_draft.pk)
    assert dossier.stage == Stage.AWAITING_PAYMENT
    assessment = FeeAssessment.objects.get(dossier=dossier)
    assert assessment.amount == 4000 and assessment.lines[0]["exemption_category"] == "Sinh viên"
    claim = DossierEvent.objects.get(dossier=dossier, action=Action.CLAIM_EXEMPTION)
    assert "Sinh viên" in claim.note


def test_claimed_exempt_in_full_nothing_is_asked_and_the_desk_sees_the_claim(exemptions, ready_draft, citizen, client):
    _half, whole = exemptions
    client.force_login(citizen)
    assert submit(client, ready_draft, exemptions=[whole.pk]).status_code == 302
    dossier = type(ready_draft).objects.get(pk=ready_draft.pk)
    assert dossier.stage == Stage.CHECKING and dossier.fee_status == FeeStatus.NONE
    assert not FeeAssessment.objects.filter(dossier=dossier).exists()
    assert "Hộ nghèo" in DossierEvent.objects.get(dossier=dossier, action=Action.CLAIM_EXEMPTION).note


def test_an_exemption_of_another_procedure_is_refused_and_nothing_is_filed(exemptions, ready_draft, citizen, client):
    client.force_login(citizen)
    response = submit(client, ready_draft, exemptions=[999999])
    assert response.status_code == 200 and "không thuộc thủ tục này" in response.content.decode()
    assert type(ready_draft).objects.get(pk=ready_draft.pk).stage == Stage.DRAFT
