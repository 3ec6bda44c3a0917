"""Findings: the tracking limit was keyed on the connecting address, so behind the TLS proxy one
client's look-ups blocked every citizen; logins had no per-address throttle (20 identifiers sprayed
from one address passed); registration had no rate limit; four reset requests sent four mails."""

import pytest
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse

from portal.client_ip import client_ip
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"


def via_proxy(address):
    """A request as the documented TLS proxy passes it on: the proxy connects, and appends the
    address it received the request from to X-Forwarded-For."""
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": address}


@pytest.fixture
def one_proxy(settings):
    settings.PORTAL_TRUSTED_PROXIES = 1


def test_the_client_address_comes_from_the_trusted_hop_only(settings):
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5")
    settings.PORTAL_TRUSTED_PROXIES = 0
    assert client_ip(request) == PROXY  # no proxy configured: the header is the client's, not believed
    settings.PORTAL_TRUSTED_PROXIES = 1
    assert client_ip(request) == "203.0.113.5"  # the entry the proxy wrote, not the forged one
    settings.PORTAL_TRUSTED_PROXIES = 2
    assert client_ip(request) == "6.6.6.6"
    settings.PORTAL_TRUSTED_PROXIES = 3
    assert client_ip(request) == PROXY  # fewer hops than proxies: it did not come through them
    garbage = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="not-an-address")
    settings.PORTAL_TRUSTED_PROXIES = 1
    assert client_ip(garbage) == PROXY


def test_one_clients_lookups_behind_the_proxy_do_not_block_others(client, filed, settings, one_proxy):
    settings.PORTAL_RATE_TRACK = "5/h"
    url = reverse("dossiers:track")
    for _ in range(5):
        assert client.get(url, {"code": filed.code, "key": "ZZZZZZ"}, **via_proxy("203.0.113.5")).status_code == 200
    assert client.get(url, {"code": filed.code, "key": "ZZZZZZ"}, **via_proxy("203.0.113.5")).status_code == 429
    # A forged X-Forwarded-For entry does not give the guesser a fresh address.
    forged = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.77, 203.0.113.5"}
    assert client.get(url, {"code": filed.code, "key": "ZZZZZZ"}, **forged).status_code == 429
    response = client.get(url, {"code": filed.code, "key": filed.lookup_key}, **via_proxy("203.0.113.9"))
    assert response.status_code == 200 and response.context["dossier"] == filed


def test_spraying_passwords_from_one_address_is_stopped(client, settings, one_proxy):
    settings.PORTAL_RATE_LOGIN = "10/h"
    users = [UserFactory() for _ in range(20)]
    statuses = [
        client.post(
            reverse("portal:login"), {"username": u.email, "password": "Sai-mat-khau-1"}, **via_proxy("203.0.113.5")
        ).status_code
        for u in users
    ]
    assert statuses[:10] == [200] * 10 and set(statuses[10:]) == {429}
    refused = client.post(
        reverse("portal:login"), {"username": users[0].email, "password": "Matkhau@2026"}, **via_proxy("203.0.113.5")
    )
    assert refused.status_code == 429 and "Quá nhiều yêu cầu" in refused.content.decode()
    ok = client.post(
        reverse("portal:login"), {"username": users[0].email, "password": "Matkhau@2026"}, **via_proxy("203.0.113.6")
    )
    assert ok.status_code == 302  # another citizen behind the same proxy logs in


def test_registration_is_rate_limited_per_address(client, settings, one_proxy):
    settings.PORTAL_RATE_REGISTER = "3/h"
    for _ in range(3):
        client.post(reverse("portal:register"), {}, **via_proxy("203.0.113.5"))
    assert client.post(reverse("portal:register"), {}, **via_proxy("203.0.113.5")).status_code == 429
    assert client.get(reverse("portal:register"), **via_proxy("203.0.113.5")).status_code == 200  # reading is free


def test_reset_requests_send_one_mail_per_account(client, settings, one_proxy):
    settings.PORTAL_RATE_PASSWORD_RESET = "3/h"
    UserFactory(email="hoa.le@example.vn")
    for _ in range(3):
        response = client.post(
            reverse("portal:password_reset"), {"email": "hoa.le@example.vn"}, **via_proxy("203.0.113.5")
        )
        assert response.status_code == 302  # the same answer each time
    assert len(mail.outbox) == 1
    blocked = client.post(reverse("portal:password_reset"), {"email": "hoa.le@example.vn"}, **via_proxy("203.0.113.5"))
    assert blocked.status_code == 429 and len(mail.outbox) == 1
