"""Fees asked after appraisal (status 6), paid online through the sandbox gateway, in cash or by
transfer; callbacks that must change nothing; refunds; the appointment moved by the days waited."""

import datetime as dt

import pytest
from django.utils import timezone

from dossiers.constants import Action, FeeStatus, Stage, Status
from dossiers.models import DossierEvent, FeeAssessment, IssuedDocument, Payment, PaymentOrder
from dossiers.services import citizen as citizen_services
from dossiers.services import desk, payments
from portal.calendar import calendar_for
from portal.exceptions import ApplicationError
from portal.payments.gateways import ForgedCallback, SandboxGateway
from tests.dossiers.payments_support import charge, give_account, notice, post_notice, waiting_for_fee

pytestmark = pytest.mark.django_db


@pytest.fixture
def version(version):
    """The conftest's procedure, charging 15.000 đồng after appraisal."""
    return charge(version)


@pytest.fixture
def due(filed, staff):
    return waiting_for_fee(filed, staff)


def start_order(dossier, user):
    order, url = payments.order_start(dossier=dossier, actor=user)
    return order, url


def test_the_specialist_asks_for_the_fee_and_the_dossier_waits_in_status_6(due, citizen):
    assert due.stage == Stage.AWAITING_PAYMENT and due.status == Status.AWAITING_PAYMENT
    assert due.previous_stage == Stage.APPRAISING and due.fee_status == FeeStatus.DUE
    assessment = FeeAssessment.objects.get(dossier=due)
    assert assessment.amount == 15000 and assessment.state == FeeAssessment.State.DUE
    assert [line["amount"] for line in assessment.lines] == [15000]
    assert DossierEvent.objects.filter(dossier=due, action=Action.REQUEST_PAYMENT, public=True).count() == 1
    # The payment notice is issued and kept, for the citizen too.
    assert IssuedDocument.objects.filter(dossier=due, number="fee").count() == 1
    from portal.models import Notification

    channels = list(
        Notification.objects.filter(recipient=citizen, event="dossier_payment_requested").values_list(
            "channel", flat=True
        )
    )
    assert channels and len(channels) == len(set(channels))  # told once on each channel


def test_the_amount_is_frozen_when_asked(due, version):
    from procedures.models import FeeItem

    version.status = "draft"
    version.save(update_fields=["status"])
    FeeItem.objects.filter(version=version).update(amount=99000)
    assert FeeAssessment.objects.get(dossier=due).amount == 15000


def test_only_the_specialist_or_the_leader_asks_and_only_once(filed, staff, citizen):
    from tests.dossiers.conftest import run_to

    dossier = run_to(filed, "appraising", staff)
    for who in (staff.desk, citizen):
        with pytest.raises(ApplicationError):
            payments.payment_request(dossier=dossier, actor=who)
    payments.payment_request(dossier=dossier, actor=staff.specialist)
    dossier.refresh_from_db()
    with pytest.raises(ApplicationError):
        payments.payment_request(dossier=dossier, actor=staff.specialist)
    assert FeeAssessment.objects.filter(dossier=dossier).count() == 1


def test_an_exemption_lowers_the_amount_and_a_full_one_leaves_nothing_to_ask(filed, staff, version):
    from procedures.models import FeeExemption, FeeItem
    from tests.dossiers.conftest import run_to

    version.status = "draft"
    version.save(update_fields=["status"])
    fee = FeeItem.objects.get(version=version)
    half = FeeExemption.objects.create(fee=fee, category="Sinh viên", percent=50, reason="Nghị quyết HĐND")
    whole = FeeExemption.objects.create(fee=fee, category="Hộ nghèo", percent=100, reason="Nghị quyết HĐND")
    version.status = "published"
    version.save(update_fields=["status"])
    from portal.cache import forget

    forget()  # the catalog's kept copy of the version was read when the dossier was filed
    dossier = run_to(filed, "appraising", staff)
    with pytest.raises(ApplicationError) as refused:
        payments.payment_request(dossier=dossier, actor=staff.specialist, exemption_ids=[whole.pk])
    assert refused.value.code == "nothing_due"
    moved = payments.payment_request(dossier=dossier, actor=staff.specialist, exemption_ids=[half.pk])
    assessment = FeeAssessment.objects.get(dossier=moved)
    assert assessment.amount == 7500
    assert assessment.lines[0]["exemption_category"] == "Sinh viên"


def test_paid_online_through_the_sandbox_the_dossier_goes_back_to_appraisal_with_a_receipt(due, citizen, client):
    order, url = start_order(due, citizen)
    assert url == f"/payments/sandbox/{order.public_id}/"
    response = post_notice(client, order)
    assert response.status_code == 200, response.content
    due.refresh_from_db()
    assert due.stage == Stage.APPRAISING and due.fee_status == FeeStatus.PAID and due.paid_via == "online"
    payment = Payment.objects.get(assessment__dossier=due)
    assert payment.state == Payment.State.RECEIVED and payment.amount == 15000 and payment.method == "online"
    assert payment.receipt is not None and payment.receipt.number == "receipt"
    order.refresh_from_db()
    assert order.state == PaymentOrder.State.PAID and order.payment == payment
    assert DossierEvent.objects.filter(dossier=due, action=Action.PAY, actor=None).count() == 1


def test_a_double_click_on_pay_online_makes_one_order(due, citizen):
    first, _url = start_order(due, citizen)
    second, _url = start_order(due, citizen)
    assert first.pk == second.pk and PaymentOrder.objects.count() == 1


def test_a_forged_signature_changes_nothing_and_answers_403(due, citizen, client):
    order, _url = start_order(due, citizen)
    body, _headers = notice(order)
    forged = client.post(
        "/payments/callback/sandbox/",
        data=body,
        content_type="application/json",
        headers={"X-Sandbox-Signature": "0" * 64},
    )
    assert forged.status_code == 403
    # A body changed after it was signed is a forgery too (the amount lowered).
    _body, headers = notice(order)
    tampered = client.post(
        "/payments/callback/sandbox/",
        data=_body.replace(b'"amount": 15000', b'"amount": 1'),
        content_type="application/json",
        headers=headers,
    )
    assert tampered.status_code == 403
    with pytest.raises(ForgedCallback):
        payments.callback_receive(gateway_name="sandbox", body=body, headers={})
    due.refresh_from_db()
    order.refresh_from_db()
    assert due.stage == Stage.AWAITING_PAYMENT and order.state == PaymentOrder.State.PENDING
    assert not Payment.objects.exists()


def test_a_replayed_callback_is_taken_once(due, citizen, client):
    order, _url = start_order(due, citizen)
    body, headers = notice(order, ref="TXN-REPLAY")
    for _ in range(3):
        response = client.post(
            "/payments/callback/sandbox/", data=body, content_type="application/json", headers=headers
        )
        assert response.status_code == 200
    assert Payment.objects.count() == 1
    assert DossierEvent.objects.filter(dossier=due, action=Action.PAY).count() == 1
    assert IssuedDocument.objects.filter(dossier=due, number="receipt").count() == 1


def test_a_wrong_amount_or_currency_changes_nothing_and_answers_400(due, citizen, client):
    order, _url = start_order(due, citizen)
    assert post_notice(client, order, amount=1000).status_code == 400
    assert post_notice(client, order, currency="USD").status_code == 400
    due.refresh_from_db()
    assert due.stage == Stage.AWAITING_PAYMENT and not Payment.objects.exists()


def test_an_unknown_order_or_gateway_is_refused(due, citizen, client):
    order, _url = start_order(due, citizen)
    order.public_id = "00000000-0000-0000-0000-000000000000"
    assert post_notice(client, order).status_code == 400
    response = client.post("/payments/callback/nosuch/", data=b"{}", content_type="application/json")
    assert response.status_code == 404


def test_an_expired_order_changes_nothing_and_the_job_closes_it(due, citizen, client):
    order, _url = start_order(due, citizen)
    PaymentOrder.objects.filter(pk=order.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert post_notice(client, order).status_code == 400
    due.refresh_from_db()
    assert due.stage == Stage.AWAITING_PAYMENT and not Payment.objects.exists()
    assert payments.orders_expire() == 1
    order.refresh_from_db()
    assert order.state == PaymentOrder.State.EXPIRED
    # The citizen starts again: a new order, not the expired one.
    again, _url = start_order(due, citizen)
    assert again.pk != order.pk


def test_a_failed_payment_leaves_the_dossier_waiting(due, citizen, client):
    order, _url = start_order(due, citizen)
    assert post_notice(client, order, status="failed").status_code == 200
    order.refresh_from_db()
    due.refresh_from_db()
    assert order.state == PaymentOrder.State.FAILED and due.stage == Stage.AWAITING_PAYMENT


def test_a_payment_after_the_withdrawal_is_kept_and_marked_for_refund(due, citizen, staff, client):
    order, _url = start_order(due, citizen)
    citizen_services.dossier_request_withdrawal(dossier=due, actor=citizen, reason="Không cần nữa")
    assert post_notice(client, order).status_code == 200
    due.refresh_from_db()
    assert due.stage == Stage.WITHDRAWAL_REQUESTED
    payment = Payment.objects.get()
    assert payment.state == Payment.State.REFUND_DUE and "không còn chờ nộp phí" in payment.refund_reason
    assert payment.receipt is not None  # money taken is always receipted
    stopped = desk.dossier_confirm_withdrawal(dossier=due, actor=staff.desk)
    assert stopped.fee_status == FeeStatus.CANCELLED


def test_a_double_payment_is_marked_for_refund_and_the_desk_records_the_refund(due, citizen, staff, client):
    order, _url = start_order(due, citizen)
    assert post_notice(client, order, ref="TXN-A").status_code == 200
    due.refresh_from_db()
    # The same fee paid again by transfer (the bank's statement line).
    extra = payments.payment_record_transfer(
        dossier_id=due.pk, amount=15000, reference="0011004455667:FT001", at=timezone.now()
    )
    assert extra.state == Payment.State.REFUND_DUE and "nộp thừa" in extra.refund_reason
    due.refresh_from_db()
    assert due.stage == Stage.APPRAISING  # moved on once, by the first payment
    for who in (citizen, staff.specialist):
        with pytest.raises(ApplicationError):
            payments.refund_record(dossier=due, payment_id=extra.pk, actor=who, note="Chuyển khoản lại")
    with pytest.raises(ApplicationError):
        payments.refund_record(dossier=due, payment_id=extra.pk, actor=staff.desk, note=" ")
    refunded = payments.refund_record(dossier=due, payment_id=extra.pk, actor=staff.desk, note="Chuyển khoản lại FT9")
    assert refunded.state == Payment.State.REFUNDED and refunded.refunded_by == staff.desk
    with pytest.raises(ApplicationError):
        payments.refund_record(dossier=due, payment_id=extra.pk, actor=staff.desk, note="lần hai")
    assert DossierEvent.objects.filter(dossier=due, action=Action.REFUND).count() == 1


def test_a_paid_fee_is_marked_for_refund_when_the_dossier_is_refused(due, citizen, staff, client):
    order, _url = start_order(due, citizen)
    post_notice(client, order)
    due.refresh_from_db()
    dossier = desk.dossier_submit_for_approval(
        dossier=desk.dossier_appraise(dossier=due, actor=staff.specialist, note="Không đủ điều kiện"),
        actor=staff.specialist,
    )
    desk.dossier_refuse_after_appraisal(dossier=dossier, actor=staff.leader, reason="Không đủ điều kiện")
    payment = Payment.objects.get()
    assert payment.state == Payment.State.REFUND_DUE and payment.refund_reason == "Hồ sơ bị từ chối giải quyết."


def test_cash_at_the_counter_is_recorded_by_the_desk_officer_for_the_exact_amount(due, staff, citizen):
    for who in (staff.specialist, citizen):
        with pytest.raises(ApplicationError):
            payments.payment_record_cash(dossier=due, actor=who, amount=15000)
    with pytest.raises(ApplicationError) as wrong:
        payments.payment_record_cash(dossier=due, actor=staff.desk, amount=10000)
    assert wrong.value.field == "amount"
    payment = payments.payment_record_cash(
        dossier=due, actor=staff.desk, amount=15000, expected_stage="awaiting_payment"
    )
    due.refresh_from_db()
    assert payment.method == "cash" and payment.recorded_by == staff.desk
    assert due.stage == Stage.APPRAISING and due.paid_via == "cash"
    assert DossierEvent.objects.filter(dossier=due, action=Action.RECORD_PAYMENT, actor=staff.desk).count() == 1


def test_the_appointment_moves_by_the_working_days_waited(due, staff):
    cal = calendar_for(due.agency)
    asked_on = cal.add_working_days(timezone.localdate(), 0)
    # Asked so that three working days have passed by today, whatever day today is (on a Saturday the
    # last three are Wednesday to Friday: counting back from Saturday itself gave two).
    back, counted = timezone.localdate(), 0
    while counted < 3:
        counted += cal.is_working_day(back)
        back -= dt.timedelta(days=1)
    type(due).objects.filter(pk=due.pk).update(
        stage_entered_at=timezone.make_aware(dt.datetime.combine(back, dt.time(9, 0)))
    )
    waited = cal.working_days_between(back, asked_on)
    assert waited == 3
    before = type(due).objects.get(pk=due.pk).due_at
    payments.payment_record_cash(dossier=due, actor=staff.desk, amount=15000)
    due.refresh_from_db()
    assert timezone.localdate(due.due_at) == cal.add_working_days(timezone.localdate(before), 3)
    assert due.payment_wait_days == 3 and FeeAssessment.objects.get(dossier=due).waited_days == 3
    event = DossierEvent.objects.get(dossier=due, action=Action.PAYMENT_WAIT)
    assert event.public and event.data["days"] == 3
    # A recomputation of the appointment (a calendar change) keeps the days added.
    from dossiers.services.recompute import _recompute_one

    _recompute_one(due.pk)
    due.refresh_from_db()
    assert timezone.localdate(due.due_at) == cal.add_working_days(timezone.localdate(before), 3)


def test_paid_the_same_day_the_appointment_stays(due, staff):
    before = due.due_at
    payments.payment_record_cash(dossier=due, actor=staff.desk, amount=15000)
    due.refresh_from_db()
    assert due.due_at == before and not DossierEvent.objects.filter(dossier=due, action=Action.PAYMENT_WAIT).exists()


def test_the_online_payment_rate_counts_online_payments_of_fee_bearing_dossiers(due, citizen, client):
    from dossiers.indicators import indicators
    from dossiers.models import DailyFigures

    def rate():
        sums = {
            "fee_bearing": sum(DailyFigures.objects.values_list("fee_bearing", flat=True)),
            "paid_online": sum(DailyFigures.objects.values_list("paid_online", flat=True)),
        }
        return indicators(sums, received_online=0, overdue_open=0)["online_payment_rate"]

    assert rate() == 0.0
    order, _url = start_order(due, citizen)
    post_notice(client, order)
    assert rate() == 1.0


def test_cash_does_not_count_as_an_online_payment(due, staff):
    from dossiers.models import DailyFigures

    payments.payment_record_cash(dossier=due, actor=staff.desk, amount=15000)
    assert sum(DailyFigures.objects.values_list("paid_online", flat=True)) == 0
    assert sum(DailyFigures.objects.values_list("fee_bearing", flat=True)) == 1


def test_the_citizen_page_shows_the_bill_the_vietqr_code_and_the_pay_button(due, citizen, client, agency):
    give_account(agency)
    client.force_login(citizen)
    page = client.get(f"/dossiers/{due.code}/").content.decode()
    assert 'id="fees"' in page and "15.000" in page and 'id="pay-online"' in page
    assert 'id="vietqr"' in page and "<svg" in page
    from dossiers.fees import transfer_content

    assert transfer_content(due) in page


def test_the_pay_button_takes_the_owner_to_the_sandbox_and_back(due, citizen, client):
    client.force_login(citizen)
    response = client.post(f"/dossiers/{due.code}/pay/")
    order = PaymentOrder.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/payments/sandbox/{order.public_id}/"
    page = client.get(response["Location"])
    assert page.status_code == 200 and "15.000" in page.content.decode()
    done = client.post(response["Location"], {"choice": "pay"})
    assert done.status_code == 302 and done["Location"] == f"/payments/return/{order.public_id}/"
    assert 'id="payment-result"' in client.get(done["Location"]).content.decode()
    due.refresh_from_db()
    assert due.stage == Stage.APPRAISING
    receipt = client.get(f"/dossiers/{due.code}/forms/receipt/?n=1")
    assert receipt.status_code == 200 and receipt.content.startswith(b"%PDF")


def test_others_cannot_pay_see_the_sandbox_page_or_the_return_page(due, citizen, client, staff):
    from tests.factories import UserFactory

    order, _url = start_order(due, citizen)
    stranger = UserFactory()
    client.force_login(stranger)
    assert client.post(f"/dossiers/{due.code}/pay/").status_code == 404
    assert client.get(f"/payments/sandbox/{order.public_id}/").status_code == 404
    assert client.post(f"/payments/sandbox/{order.public_id}/", {"choice": "pay"}).status_code == 404
    assert client.get(f"/payments/return/{order.public_id}/").status_code == 404
    with pytest.raises(ApplicationError):
        payments.order_start(dossier=due, actor=staff.desk)
    due.refresh_from_db()
    assert due.stage == Stage.AWAITING_PAYMENT


def test_the_desk_page_shows_the_payment_and_offers_the_cash_form(due, staff, client):
    client.force_login(staff.desk)
    page = client.get(f"/desk/dossiers/{due.code}/").content.decode()
    assert 'id="fees"' in page and "record_payment" in page
    response = client.post(
        f"/desk/dossiers/{due.code}/act/record_payment/",
        {"record_payment-expected_stage": "awaiting_payment", "record_payment-amount": "15000"},
    )
    assert response.status_code == 302
    due.refresh_from_db()
    assert due.paid_via == "cash"
    page = client.get(f"/desk/dossiers/{due.code}/").content.decode()
    assert "Biên lai điện tử" in page and "Tiền mặt tại Bộ phận Một cửa" in page


def test_the_sandbox_notice_is_signed_with_the_configured_secret(settings, due, citizen, client):
    order, _url = start_order(due, citizen)
    body = SandboxGateway.notice_body(str(order.public_id), 15000, "TXN-K")
    signature = SandboxGateway.sign(body)
    settings.PAYMENT_SANDBOX_SECRET = "another-secret"
    response = client.post(
        "/payments/callback/sandbox/",
        data=body,
        content_type="application/json",
        headers={"X-Sandbox-Signature": signature},
    )
    assert response.status_code == 403


def test_without_a_gateway_the_page_offers_transfer_and_cash_only(settings, due, citizen, client):
    settings.PAYMENT_GATEWAYS, settings.PAYMENT_DEFAULT_GATEWAY = {}, ""
    client.force_login(citizen)
    page = client.get(f"/dossiers/{due.code}/").content.decode()
    assert 'id="fees"' in page and 'id="pay-online"' not in page
    response = client.post(f"/dossiers/{due.code}/pay/", follow=True)
    assert "chưa được cấu hình" in response.content.decode() and not PaymentOrder.objects.exists()


def test_nobody_but_the_portal_marks_a_fee_paid_online(due, citizen, staff):
    from django.db import transaction

    from dossiers.services.transitions import transition

    for who in (citizen, staff.desk, staff.specialist, staff.leader):
        with pytest.raises(ApplicationError), transaction.atomic():
            transition(dossier=due, actor=who, action=Action.PAY)
    due.refresh_from_db()
    assert due.stage == Stage.AWAITING_PAYMENT


def test_waiting_for_the_fee_past_the_appointment_is_not_counted_overdue(due):
    from dossiers.services.figures import figures_count_overdue

    type(due).objects.filter(pk=due.pk).update(due_at=timezone.now() - dt.timedelta(days=2))
    assert figures_count_overdue(timezone.localdate()) == 0
    type(due).objects.filter(pk=due.pk).update(stage=Stage.APPRAISING)  # were it with the agency
    assert figures_count_overdue(timezone.localdate()) == 1
    type(due).objects.filter(pk=due.pk).update(stage=Stage.AWAITING_PAYMENT)


def test_the_specialist_picks_the_fees_that_apply_on_the_staff_page(filed, staff, client, version):
    from procedures.models import FeeItem
    from tests.dossiers.conftest import run_to

    version.status = "draft"
    version.save(update_fields=["status"])
    other = FeeItem.objects.create(version=version, order=5, name="Lệ phí có tài sản gắn liền", amount=100000)
    version.status = "published"
    version.save(update_fields=["status"])
    from portal.cache import forget

    forget()
    dossier = run_to(filed, "appraising", staff)
    client.force_login(staff.specialist)
    page = client.get(f"/desk/dossiers/{dossier.code}/").content.decode()
    assert "Lệ phí có tài sản gắn liền" in page and "request_payment-fees" in page
    url = f"/desk/dossiers/{dossier.code}/act/request_payment/"
    refused = client.post(url, {"request_payment-expected_stage": "appraising"})
    assert refused.status_code == 400 and "Chọn ít nhất một khoản" in refused.content.decode()
    kept = FeeItem.objects.get(version=version, order=0)
    response = client.post(url, {"request_payment-expected_stage": "appraising", "request_payment-fees": [kept.pk]})
    assert response.status_code == 302
    assessment = FeeAssessment.objects.get(dossier=dossier)
    assert assessment.amount == 15000 and [line["fee_id"] for line in assessment.lines] == [kept.pk]
    assert other.pk not in [line["fee_id"] for line in assessment.lines]


def test_the_public_statistics_show_the_online_payment_rate(due, citizen, client):
    import re

    order, _url = start_order(due, citizen)
    post_notice(client, order)
    page = client.get("/statistics/").content.decode()
    shown = re.search(r'id="online-payment-rate">([^<]*)<', page).group(1)
    assert shown.startswith("100")


def test_the_leader_stops_a_dossier_whose_fee_never_came_and_the_fee_is_no_longer_due(due, staff, citizen):
    order, _url = start_order(due, citizen)
    stopped = desk.dossier_stop(dossier=due, actor=staff.leader, reason="Quá thời hạn mà không nộp phí, lệ phí.")
    assert stopped.stage == Stage.STOPPED and stopped.fee_status == FeeStatus.CANCELLED
    assert FeeAssessment.objects.get(dossier=due).state == FeeAssessment.State.CANCELLED
    order.refresh_from_db()
    assert order.state == PaymentOrder.State.CANCELLED
