"""The gateway registry and the sandbox gateway: its checkout page and its signed callbacks."""

import datetime as dt
import json

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.payments import gateways
from portal.payments.gateways import BadCallback, ForgedCallback, SandboxGateway

PAID_AT = dt.datetime(2026, 12, 4, 9, 30, tzinfo=dt.UTC)


def signed(body: bytes) -> dict:
    return {"X-Sandbox-Signature": SandboxGateway.sign(body)}


def notice_body(**changes) -> bytes:
    fields = {"order_id": "order-1", "amount": 150000, "transaction_ref": "SBX-1", "paid_at": PAID_AT} | changes
    return SandboxGateway.notice_body(**fields)


def test_the_registry_builds_configured_gateways_by_name(settings):
    settings.PAYMENT_GATEWAYS = {
        "sandbox": "portal.payments.gateways.SandboxGateway",
        "test": "portal.payments.gateways.SandboxGateway",
    }
    assert gateways.gateway_names() == ["sandbox", "test"]
    assert isinstance(gateways.gateway("sandbox"), SandboxGateway)
    assert gateways.gateway("test").name == "test"


@pytest.mark.parametrize("name", ["vnpay", "", "SANDBOX"])
def test_an_unknown_gateway_name_is_refused(name):
    with pytest.raises(gateways.UnknownGateway):
        gateways.gateway(name)


def test_a_gateway_not_configured_is_unknown_even_if_its_class_exists(settings):
    settings.PAYMENT_GATEWAYS = {}
    with pytest.raises(gateways.UnknownGateway):
        gateways.gateway("sandbox")


@pytest.mark.urls("tests.portal.payments.urls")
def test_checkout_sends_the_payer_to_the_sandbox_page():
    order = gateways.OrderInfo(
        order_id="5b0f", amount=150000, description="Phí hồ sơ", expires_at=PAID_AT + dt.timedelta(minutes=15)
    )
    assert order.currency == "VND"
    checkout = gateways.gateway("sandbox").checkout(order, "https://portal.example.vn/back/")
    assert checkout == gateways.Checkout(url="/payments/sandbox/5b0f/")


def test_a_signed_notice_is_read():
    body = notice_body()
    notice = gateways.gateway("sandbox").parse_callback(body, signed(body))
    assert notice == gateways.Notice(
        gateway="sandbox",
        order_id="order-1",
        amount=150000,
        currency="VND",
        transaction_ref="SBX-1",
        paid=True,
        paid_at=PAID_AT,
    )


def test_a_failed_payment_is_a_notice_too_and_headers_are_read_in_any_case():
    body = notice_body(status="failed")
    notice = SandboxGateway().parse_callback(body, {"x-sandbox-signature": SandboxGateway.sign(body).upper()})
    assert notice.paid is False and notice.paid_at == PAID_AT


def test_the_signature_is_hmac_sha256_of_the_raw_body_under_the_secret(settings):
    import hashlib
    import hmac

    settings.PAYMENT_SANDBOX_SECRET = "another secret of the sandbox bank"
    expected = hmac.new(b"another secret of the sandbox bank", b"{}", hashlib.sha256).hexdigest()
    assert SandboxGateway.sign(b"{}") == expected


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-Sandbox-Signature": ""},
        {"X-Sandbox-Signature": "0" * 64},
        {"X-Sandbox-Signature": "not hex at all"},
        {"X-Sandbox-Signature": "é" * 64},  # compare_digest would raise TypeError on non-ASCII text
        {"X-Other-Signature": SandboxGateway.sign(notice_body())},
    ],
)
def test_a_missing_or_forged_signature_is_refused(headers):
    with pytest.raises(ForgedCallback):
        SandboxGateway().parse_callback(notice_body(), headers)


def test_a_body_changed_after_signing_is_refused():
    headers = signed(notice_body())
    with pytest.raises(ForgedCallback):
        SandboxGateway().parse_callback(notice_body(amount=1500), headers)


def test_a_body_signed_under_another_secret_is_refused(settings):
    body = notice_body()
    settings.PAYMENT_SANDBOX_SECRET = "a secret the portal does not hold!"
    headers = signed(body)
    settings.PAYMENT_SANDBOX_SECRET = "the portal's own sandbox secret..."
    with pytest.raises(ForgedCallback):
        SandboxGateway().parse_callback(body, headers)


def without(key):
    data = json.loads(notice_body())
    del data[key]
    return json.dumps(data).encode()


def with_(**changes):
    return json.dumps(json.loads(notice_body()) | changes).encode()


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"\xff\xfe",
        b"[]",
        without("order_id"),
        without("amount"),
        without("transaction_ref"),
        without("status"),
        without("paid_at"),
        without("currency"),
        with_(amount="150000"),
        with_(amount=150000.0),
        with_(amount=True),
        with_(amount=-1),
        with_(amount=None),
        with_(order_id=""),
        with_(transaction_ref=7),
        with_(status="refunded"),
        with_(paid_at="yesterday"),
        with_(paid_at="2026-12-04T09:30:00"),
    ],
)
def test_a_signed_but_malformed_notice_is_a_bad_callback(body):
    with pytest.raises(BadCallback):
        SandboxGateway().parse_callback(body, signed(body))


def test_both_refusals_are_callback_errors():
    assert issubclass(ForgedCallback, gateways.CallbackError) and issubclass(BadCallback, gateways.CallbackError)


def test_the_sandbox_refuses_an_empty_secret(settings):
    settings.PAYMENT_SANDBOX_SECRET = ""
    with pytest.raises(ImproperlyConfigured):
        SandboxGateway.sign(b"{}")


def test_the_sandbox_refuses_the_demo_secret_in_production(settings):
    settings.PAYMENT_SANDBOX_SECRET = settings.PAYMENT_SANDBOX_DEMO_SECRET
    SandboxGateway.sign(b"{}")
    settings.DJANGO_ENV = "production"
    with pytest.raises(ImproperlyConfigured):
        SandboxGateway().parse_callback(b"{}", {"X-Sandbox-Signature": "0" * 64})
