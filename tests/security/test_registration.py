"""Finding: registration told whether a CCCD, phone or email had an account ("Số CCCD này đã có tài
khoản"). Now every well-formed registration gets the same answer, and what happened is said only in a
mail to the address typed in; an account is made only when its mail's link is followed."""

import datetime as dt
import re
import time
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from portal.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW = {
    "full_name": "Lò Thị Mai",
    "national_id": "017199000998",
    "phone": "0912000998",
    "email": "mai@example.vn",
    "password1": "Song-Da-2026!",
    "password2": "Song-Da-2026!",
}


def register(client, **changes):
    return client.post(reverse("portal:register"), {**NEW, **changes})


def answer(client, **changes):
    """What the browser learns: the redirect and the page it leads to (CSRF values aside)."""
    response = register(client, **changes)
    page = client.get(response["Location"]).content.decode()
    return response.status_code, response["Location"], re.sub(r'value="[^"]{40,}"', "", page)


def activation_path(message):
    link = re.search(r"https?://testserver(/accounts/register/activate/\S+)", message.body)
    return link.group(1)


def mails_to(address):
    return [m for m in mail.outbox if m.to == [address]]


@pytest.mark.parametrize(
    "existing",
    [
        {"email": "MAI@example.vn"},
        {"national_id": "017199000998"},
        {"phone": "0912000998"},
        {"email": "mai@example.vn", "national_id": "017199000998", "phone": "0912000998"},
    ],
)
def test_the_answer_is_the_same_whether_or_not_the_details_have_an_account(client, existing):
    fresh = answer(client)
    User.objects.all().delete()
    UserFactory(**existing)
    assert answer(client) == fresh
    assert fresh[1] == reverse("portal:register_sent")


def test_an_email_with_an_account_gets_a_mail_saying_so_and_nothing_changes(client):
    holder = UserFactory(email="mai@example.vn", full_name="Chủ Cũ")
    register(client)
    holder.refresh_from_db()
    assert holder.check_password(PASSWORD) and holder.full_name == "Chủ Cũ" and holder.is_active
    assert User.objects.count() == 1
    [message] = mail.outbox
    assert message.to == ["mai@example.vn"] and "đã có tài khoản" in message.body
    assert "/accounts/password/reset/" in message.body and "/accounts/register/activate/" not in message.body


def test_a_taken_cccd_or_phone_makes_no_account_and_tells_both_addresses(client):
    holder = UserFactory(national_id="017199000998", email="chu@example.vn")
    register(client)
    assert list(User.objects.all()) == [holder]
    [to_typed] = mails_to("mai@example.vn")
    assert "không tạo được tài khoản" in to_typed.body and "/accounts/register/activate/" not in to_typed.body
    [to_holder] = mails_to("chu@example.vn")
    assert "bằng số CCCD hoặc số điện thoại" in to_holder.body
    assert "017199000998" not in to_typed.body  # the mail names no detail of the other account


def test_the_other_spelling_of_a_phone_is_the_same_number(client):
    holder = UserFactory(phone="0912000998", email="chu@example.vn")
    register(client, phone="+84 912 000 998")
    assert list(User.objects.all()) == [holder] and mails_to("chu@example.vn")


def test_every_case_hashes_the_password_so_the_timing_is_the_same(client):
    from django.contrib.auth import base_user

    for existing in (None, {"email": "mai@example.vn"}, {"national_id": "017199000998"}):
        User.objects.all().delete()
        if existing:
            UserFactory(**existing)
        with mock.patch.object(base_user, "make_password", wraps=base_user.make_password) as hashing:
            register(client)
        assert hashing.call_count == 1, existing


def test_the_link_works_once(client):
    register(client)
    path = activation_path(mail.outbox[0])
    client.post(path)
    client.logout()
    response = client.post(path, follow=True)
    assert "đã được dùng" in response.content.decode()
    assert response.context["user"].is_anonymous


def test_a_tampered_or_foreign_link_is_refused(client):
    register(client)
    path = activation_path(mail.outbox[0])
    token = path.rstrip("/").split("/")[-1].split("?")[0]
    forged = path.replace(token, token[:-2] + ("AA" if not token.endswith("AA") else "BB"))
    assert "không hợp lệ" in client.post(forged, follow=True).content.decode()
    assert not User.objects.get(email="mai@example.vn").is_active


def test_an_expired_link_is_refused(client, settings):
    register(client)
    path = activation_path(mail.outbox[0])
    later = time.time() + (settings.PORTAL_ACTIVATION_HOURS + 1) * 3600
    with mock.patch("django.core.signing.time.time", return_value=later):
        response = client.post(path, follow=True)
    assert "hết hạn" in response.content.decode()
    assert not User.objects.get(email="mai@example.vn").is_active


def test_an_account_waiting_for_activation_cannot_log_in_or_reset(client):
    register(client)
    mail.outbox.clear()
    response = client.post(reverse("portal:login"), {"username": "mai@example.vn", "password": NEW["password1"]})
    assert response.status_code == 200 and response.context["user"].is_anonymous
    client.post(reverse("portal:password_reset"), {"email": "mai@example.vn"})
    assert mail.outbox == []


def test_registering_again_before_activating_sends_the_same_link_and_keeps_the_first_password(client, settings):
    settings.PORTAL_RESET_MAIL_SECONDS = 0
    register(client)
    register(client, password1="Ke-Gian-Khac-2026", password2="Ke-Gian-Khac-2026")
    first, second = mails_to("mai@example.vn")
    assert User.objects.count() == 1
    client.post(activation_path(second))
    user = User.objects.get(email="mai@example.vn")
    # Someone else typing this email cannot set the password its owner will activate.
    assert user.is_active and user.check_password(NEW["password1"])


def test_many_registrations_send_one_mail_per_address(client):
    for _ in range(4):
        register(client)
    assert len(mails_to("mai@example.vn")) == 1


def test_an_expired_pending_account_gives_way_to_a_new_registration(client, settings):
    register(client, email="go-nham@example.vn")  # mistyped address: the link never arrives
    User.objects.filter(email="go-nham@example.vn").update(
        date_joined=timezone.now() - dt.timedelta(hours=settings.PORTAL_ACTIVATION_HOURS + 1)
    )
    register(client)
    assert list(User.objects.values_list("email", flat=True)) == ["mai@example.vn"]
    assert activation_path(mails_to("mai@example.vn")[0])


def test_an_account_a_superuser_deactivated_is_never_replaced(client):
    blocked = UserFactory(national_id="017199000998", email="chu@example.vn", is_active=False)
    User.objects.filter(pk=blocked.pk).update(date_joined=timezone.now() - dt.timedelta(days=400))
    register(client)
    assert list(User.objects.all()) == [blocked]
    assert not any("/accounts/register/activate/" in m.body for m in mail.outbox)


def test_password_reset_gives_the_same_answer_whether_or_not_the_account_exists(client):
    UserFactory(email="co@example.vn")
    known = client.post(reverse("portal:password_reset"), {"email": "co@example.vn"})
    unknown = client.post(reverse("portal:password_reset"), {"email": "khong@example.vn"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert [m.to for m in mail.outbox] == [["co@example.vn"]]
