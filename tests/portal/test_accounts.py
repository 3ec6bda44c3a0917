import pytest
from django.core import mail
from django.urls import reverse

from portal.constants import Role
from portal.models import User
from tests.factories import PASSWORD, AgencyFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

GOOD = {
    "full_name": "Lê Thị Hoa",
    "national_id": "017199000777",
    "phone": "0912 345 678",
    "email": "Hoa.Le@Example.vn",
    "password1": "Song-Da-2026!",
    "password2": "Song-Da-2026!",
}


def register(client, **changes):
    return client.post(reverse("portal:register"), {**GOOD, **changes})


def activation_path(message):
    link = next(line for line in message.body.splitlines() if "/accounts/register/activate/" in line)
    return link.split("testserver", 1)[1]


def test_citizen_registers_activates_from_the_mail_and_is_logged_in(client):
    response = register(client)
    assert response["Location"] == reverse("portal:register_sent")
    user = User.objects.get(national_id="017199000777")
    assert (user.email, user.phone, user.is_active, user.registration_pending) == (
        "hoa.le@example.vn",
        "0912345678",
        False,
        True,
    )
    sent = client.get(response["Location"])
    assert "hoa.le@example.vn" in sent.content.decode() and "48 giờ" in sent.content.decode()
    assert client.get(reverse("portal:home")).context["user"].is_anonymous
    assert [m.to for m in mail.outbox] == [["hoa.le@example.vn"]]
    path = activation_path(mail.outbox[0])
    # Opening the link (as a mail scanner does) changes nothing; the button activates.
    assert "Kích hoạt tài khoản" in client.get(path).content.decode()
    assert not User.objects.get(pk=user.pk).is_active
    response = client.post(path)
    assert response["Location"] == "/"
    user.refresh_from_db()
    assert user.is_active and not user.registration_pending
    assert client.get(reverse("portal:home")).context["user"] == user


def test_the_activated_account_logs_in_with_its_password(client):
    register(client)
    credentials = {"username": "017199000777", "password": GOOD["password1"]}
    assert client.post(reverse("portal:login"), credentials).status_code == 200  # not before activation
    client.post(activation_path(mail.outbox[0]))
    client.logout()
    assert client.post(reverse("portal:login"), credentials).status_code == 302


def test_registration_returns_to_next_after_activation(client):
    response = client.post(reverse("portal:register") + "?next=/procedures/", {**GOOD, "next": "/procedures/"})
    assert response["Location"] == reverse("portal:register_sent")
    path = activation_path(mail.outbox[0])
    assert "next=%2Fprocedures%2F" in path
    assert client.post(path, {"next": "/procedures/"})["Location"] == "/procedures/"


def test_registration_ignores_an_offsite_next(client):
    client.post(reverse("portal:register"), {**GOOD, "next": "https://evil.example/"})
    path = activation_path(mail.outbox[0])
    assert "evil" not in path
    assert client.post(path, {"next": "https://evil.example/"})["Location"] == "/"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"national_id": "01719900077"}, "national_id", "đúng 12 chữ số"),
        ({"national_id": "01719900077a"}, "national_id", "đúng 12 chữ số"),
        ({"password1": "123", "password2": "123"}, "password1", "quá ngắn"),
        ({"password1": "12345678901", "password2": "12345678901"}, "password1", "hoàn toàn là số"),
        ({"password2": "Khac-nhau-2026"}, "password2", "không khớp"),
        ({"email": "khong-phai-email"}, "email", "Email không hợp lệ"),
        ({"phone": "12345"}, "phone", "Số điện thoại không hợp lệ"),
        ({"full_name": ""}, "full_name", "Vui lòng nhập họ và tên"),
    ],
)
def test_bad_registration_shows_vietnamese_message_and_keeps_input(client, changes, field, message):
    response = register(client, **changes)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors[field])
    assert message in errors
    html = response.content.decode()
    assert 'value="Lê Thị Hoa"' in html or field == "full_name"
    assert GOOD["phone"] in html or field == "phone"
    assert not User.objects.filter(national_id="017199000777").exists()


@pytest.mark.parametrize("identifier", ["017199000777", "hoa.le@example.vn", "HOA.LE@example.vn", "0912345678"])
def test_login_with_cccd_email_or_phone(client, identifier):
    UserFactory(email="hoa.le@example.vn", national_id="017199000777", phone="0912345678")
    response = client.post(reverse("portal:login"), {"username": identifier, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]


def test_wrong_password_gives_a_clear_message(client):
    UserFactory(email="hoa.le@example.vn")
    response = client.post(reverse("portal:login"), {"username": "hoa.le@example.vn", "password": "sai"})
    assert response.status_code == 200
    assert "không đúng" in response.content.decode()


def test_account_locks_after_five_failures_even_with_the_right_password(client):
    UserFactory(email="hoa.le@example.vn", national_id="017199000777")
    # Mixing identifiers of one account still counts against that account.
    for identifier in ["hoa.le@example.vn", "017199000777"] * 2 + ["hoa.le@example.vn"]:
        client.post(reverse("portal:login"), {"username": identifier, "password": "sai-mat-khau"})
    response = client.post(reverse("portal:login"), {"username": "hoa.le@example.vn", "password": PASSWORD})
    assert response.status_code in (403, 429)
    assert "tạm thời bị khóa" in response.content.decode()


def test_password_reset_sends_a_working_link(client):
    UserFactory(email="hoa.le@example.vn")
    response = client.post(reverse("portal:password_reset"), {"email": "hoa.le@example.vn"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    link = next(line for line in body.splitlines() if "/accounts/password/reset/" in line)
    path = link.split("testserver", 1)[1]
    response = client.get(path, follow=True)
    assert response.context["validlink"]
    response = client.post(
        response.redirect_chain[-1][0], {"new_password1": "Moi-Mat-Khau-99", "new_password2": "Moi-Mat-Khau-99"}
    )
    assert response.status_code == 302
    assert User.objects.get(email="hoa.le@example.vn").check_password("Moi-Mat-Khau-99")


def test_password_reset_for_unknown_email_reveals_nothing(client):
    response = client.post(reverse("portal:password_reset"), {"email": "khong.co@example.vn"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_profile_edit_saves_and_validates(client):
    user = UserFactory()
    client.force_login(user)
    data = {
        "full_name": "Tên Mới",
        "phone": user.phone,
        "email": user.email,
        "address": "Xã Yên Bồng",
        "date_of_birth": "1990-05-01",
        "preferred_language": "vi",
    }
    assert client.post(reverse("portal:profile"), data).status_code == 302
    user.refresh_from_db()
    assert (user.full_name, user.address) == ("Tên Mới", "Xã Yên Bồng")
    # A new email or phone waits for its confirmation link (tests/security/test_contact_change.py).
    other = UserFactory(email="taken@example.vn")
    response = client.post(reverse("portal:profile"), {**data, "email": other.email})
    assert response.status_code == 200
    assert response.context["form"].errors["email"]


def test_profile_requires_login(client):
    response = client.get(reverse("portal:profile"))
    assert response.status_code == 302
    assert reverse("portal:login") in response["Location"]


def test_navigation_follows_the_role(client):
    citizen = UserFactory()
    client.force_login(citizen)
    html = client.get("/").content.decode()
    assert "/admin/" not in html
    staff = MembershipFactory(role=Role.DESK_OFFICER, agency=AgencyFactory()).user
    client.force_login(staff)
    html = client.get("/").content.decode()
    assert reverse("dossiers:desk_queue") in html and "/admin/" not in html
    client.force_login(MembershipFactory(role=Role.CATALOG_ADMIN, agency=AgencyFactory()).user)
    assert "/admin/" in client.get("/").content.decode()


def test_logout_is_a_post(client):
    client.force_login(UserFactory())
    assert client.get(reverse("portal:logout")).status_code == 405
    assert client.post(reverse("portal:logout")).status_code == 302
