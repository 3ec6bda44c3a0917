"""Finding: email and phone changed with the session alone (no password, no confirmation), which
enabled a takeover through the password reset."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from portal.models import SmsMessage
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(client):
    user = UserFactory(email="chu@example.vn", phone="0912000111", full_name="Chủ Tài Khoản")
    client.force_login(user)
    return user


def post_profile(client, user, **changes):
    data = {"full_name": user.full_name, "email": user.email, "phone": user.phone, "preferred_language": "vi"}
    return client.post(reverse("portal:profile"), {**data, **changes})


def link_in(text):
    return re.search(r"https?://\S+/accounts/profile/confirm/\S+/", text).group(0)


def test_the_session_alone_does_not_change_the_email(client, owner):
    for password in ("", "Sai-mat-khau-9"):
        response = post_profile(client, owner, email="ke.gian@example.vn", current_password=password)
        assert response.status_code == 200 and "Mật khẩu hiện tại không đúng" in response.content.decode()
    owner.refresh_from_db()
    assert owner.email == "chu@example.vn" and mail.outbox == []


def test_a_new_email_is_used_once_its_link_is_opened_and_the_old_one_is_told(client, owner):
    response = post_profile(client, owner, email="moi@example.vn", current_password=PASSWORD)
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.email == "chu@example.vn"  # not yet
    to_new = [m for m in mail.outbox if m.to == ["moi@example.vn"]]
    to_old = [m for m in mail.outbox if m.to == ["chu@example.vn"]]
    assert len(to_new) == 1 and len(to_old) == 1 and "Nếu không phải bạn" in to_old[0].body
    assert SmsMessage.objects.filter(phone="0912000111").exists()  # told on the phone as well
    link = link_in(to_new[0].body)
    assert client.get(link).status_code == 200
    owner.refresh_from_db()
    assert owner.email == "chu@example.vn"  # a GET changes nothing
    client.post(link)
    owner.refresh_from_db()
    assert owner.email == "moi@example.vn"
    client.post(link)  # used once: the account's contacts changed, so the link no longer matches
    assert "không hợp lệ" in client.get(reverse("portal:profile")).content.decode()


def test_the_link_works_only_for_its_account_and_before_a_password_change(client, owner):
    post_profile(client, owner, email="moi@example.vn", current_password=PASSWORD)
    link = link_in(next(m for m in mail.outbox if m.to == ["moi@example.vn"]).body)
    client.force_login(UserFactory())
    client.post(link)
    owner.refresh_from_db()
    assert owner.email == "chu@example.vn"
    owner.set_password("Mat-khau-moi-2026")
    owner.save()
    client.force_login(owner)
    client.post(link)
    owner.refresh_from_db()
    assert owner.email == "chu@example.vn"


def test_a_new_phone_gets_its_link_by_sms(client, owner):
    post_profile(client, owner, phone="0987654321", current_password=PASSWORD)
    owner.refresh_from_db()
    assert owner.phone == "0912000111"
    text = SmsMessage.objects.get(phone="0987654321").text
    client.post(link_in(text))
    owner.refresh_from_db()
    assert owner.phone == "0987654321"


def test_other_fields_still_save_without_the_password(client, owner):
    response = post_profile(client, owner, full_name="Chủ Tài Khoản Mới", address="Xóm Mới")
    assert response.status_code == 302
    owner.refresh_from_db()
    assert (owner.full_name, owner.address) == ("Chủ Tài Khoản Mới", "Xóm Mới")
