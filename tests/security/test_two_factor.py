"""Finding: the admin and the staff pages were password-only. Every staff account and superuser now
gives a second factor (an authenticator app's code, or a recovery code once) before any page, file,
action or the admin; a first login sets the app up. Each test is the attack or the user's path."""

import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from dossiers.models import Dossier
from portal.constants import Role
from portal.demo.data import DEMO_TOTP_SECRET
from portal.middleware import BEFORE_SECOND_FACTOR
from portal.two_factor import demo_device_set, hex_key
from tests.factories import PASSWORD, MembershipFactory, UserFactory
from tests.security.test_access_matrix import routes, world  # noqa: F401 (the world fixture)
from tests.support import totp_code

pytestmark = pytest.mark.django_db

TWO_FACTOR = reverse("portal:two_factor")
SETUP = reverse("portal:two_factor_setup")


def password_login(client, user, next_url=""):
    """The login form, as a person uses it: the password step only."""
    response = client.post(reverse("portal:login"), {"username": user.email, "password": PASSWORD, "next": next_url})
    assert response.status_code == 302, "the password was refused"
    return response


def officer(**kwargs):
    return MembershipFactory(role=Role.DESK_OFFICER, **kwargs).user


def with_device(user):
    return TOTPDevice.objects.create(user=user, name="App", confirmed=True)


def test_a_staff_password_alone_opens_no_route(client, world):  # noqa: F811
    """Every route of the URLconf (generated) for a desk officer who gave only her password: the
    code step, or nothing."""
    people, url = world
    user = people["desk_a1"]
    with_device(user)
    password_login(client, user)
    for name, pattern in routes():
        if name in BEFORE_SECOND_FACTOR:
            continue
        response = client.get(url(name, pattern))
        if name.startswith("api-") and name != "api-docs":  # the API refuses in JSON (docs/api.md)
            assert response.status_code == 403 and response.json()["code"] == "second_factor_required", name
            continue
        assert response.status_code == 302 and response["Location"].startswith(TWO_FACTOR), name
    admin = client.get(reverse("admin:index"))
    assert admin.status_code == 302 and admin["Location"].startswith(TWO_FACTOR)


def test_an_action_posted_before_the_second_factor_changes_nothing(client, world):  # noqa: F811
    people, url = world
    user = people["desk_a1"]
    with_device(user)
    password_login(client, user)
    dossier = Dossier.objects.exclude(submitted_at=None).get()
    before = (dossier.status, dossier.assignee_id)
    response = client.post(
        reverse("dossiers:desk_act", args=[dossier.code, "assign"]), {"assignee": people["specialist"].pk}
    )
    assert response.status_code == 302 and response["Location"] == TWO_FACTOR
    dossier.refresh_from_db()
    assert (dossier.status, dossier.assignee_id) == before
    htmx = client.get(reverse("dossiers:desk_queue"), HTTP_HX_REQUEST="true")
    assert htmx["HX-Redirect"] == TWO_FACTOR


def test_a_superuser_password_alone_does_not_open_the_admin(client):
    user = UserFactory(is_superuser=True, is_staff=True)
    with_device(user)
    password_login(client, user)
    response = client.get(reverse("admin:portal_user_changelist"))
    assert response.status_code == 302 and response["Location"].startswith(TWO_FACTOR)


def test_citizens_are_not_asked_for_a_second_factor(client):
    password_login(client, UserFactory())
    assert client.get(reverse("dossiers:mine")).status_code == 200


def test_the_first_staff_login_sets_up_the_app_and_shows_recovery_codes(client):
    user = officer()
    response = password_login(client, user, next_url=reverse("dossiers:desk_queue"))
    response = client.get(response["Location"])
    assert response.status_code == 302 and response["Location"].startswith(SETUP)
    page = client.get(response["Location"])
    body = page.content.decode()
    assert "<svg" in body and "Thiết lập xác thực hai bước" in body
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    key = re.search(r'id="two-factor-key">([A-Z2-7]+)<', body).group(1)
    assert hex_key(key) == device.key
    assert client.get(SETUP).content.decode().count(key) == 1, "a reload shows the same key"

    wrong = client.post(SETUP, {"token": "000000" if totp_code(device) != "000000" else "111111"})
    assert wrong.status_code == 200 and "Mã không đúng" in wrong.content.decode()
    assert client.get(reverse("dossiers:desk_queue")).status_code == 302

    session_key = client.session.session_key
    device.throttling_failure_count = 0  # the wrong code above counts; a person waits, the test resets
    device.save()
    done = client.post(SETUP, {"token": totp_code(device), "next": reverse("dossiers:desk_queue")})
    assert done.status_code == 200
    codes = re.findall(r'<li class="col">([a-z2-7]{8})</li>', done.content.decode())
    assert len(codes) == 10 and set(codes) == set(
        StaticToken.objects.filter(device__user=user).values_list("token", flat=True)
    )
    assert client.session.session_key != session_key, "the session key changes when the login completes"
    assert client.get(reverse("dossiers:desk_queue")).status_code == 200
    assert client.get(SETUP)["Location"] == reverse("portal:profile"), "no second setup over a confirmed app"


def test_the_code_page_takes_the_app_code_once_and_goes_where_she_was_going(client):
    user = officer()
    device = with_device(user)
    password_login(client, user)
    asked = client.get(reverse("dossiers:desk_queue") + "?tab=all")
    assert asked["Location"] == TWO_FACTOR + "?next=%2Fdesk%2F%3Ftab%3Dall"
    code = totp_code(device)
    response = client.post(TWO_FACTOR, {"token": code, "next": "/desk/?tab=all"})
    assert response.status_code == 302 and response["Location"] == "/desk/?tab=all"
    assert client.get(reverse("dossiers:desk_queue")).status_code == 200

    thief = Client()  # the same code seen over her shoulder, used at once elsewhere
    password_login(thief, user)
    replay = thief.post(TWO_FACTOR, {"token": code})
    assert replay.status_code == 200 and "không đúng hoặc đã hết hạn" in replay.content.decode()
    assert thief.get(reverse("dossiers:desk_queue")).status_code == 302


def test_wrong_codes_are_throttled(client):
    user = officer()
    device = with_device(user)
    password_login(client, user)
    good = totp_code(device)
    for wrong in ("000001", "000002", "000003"):
        client.post(TWO_FACTOR, {"token": wrong if wrong != good else "999999"})
    response = client.post(TWO_FACTOR, {"token": good})
    assert response.status_code == 200 and "sai nhiều lần" in response.content.decode()
    assert client.get(reverse("dossiers:desk_queue")).status_code == 302


def test_a_recovery_code_works_once(client):
    user = officer()
    device = with_device(user)
    from portal.two_factor import recovery_codes_renew

    codes = recovery_codes_renew(user=user)
    password_login(client, user)
    response = client.post(TWO_FACTOR, {"token": codes[0].upper()[:4] + " " + codes[0][4:]}, follow=True)
    assert response.status_code == 200 and "còn 9 mã" in response.content.decode()
    assert client.get(reverse("dossiers:desk_queue")).status_code == 200

    again = Client()
    password_login(again, user)
    refused = again.post(TWO_FACTOR, {"token": codes[0]})
    assert "Mã khôi phục không đúng hoặc đã được dùng" in refused.content.decode()
    assert device.pk  # the app still works beside the codes


def test_new_recovery_codes_replace_the_old_ones(client):
    user = officer()
    client.force_login(user)
    from portal.two_factor import recovery_codes_renew

    old = recovery_codes_renew(user=user)
    page = client.post(reverse("portal:two_factor_recovery_codes"))
    new = re.findall(r'<li class="col">([a-z2-7]{8})</li>', page.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert not StaticToken.objects.filter(token__in=old).exists()


def test_a_removed_device_ends_the_verified_session(client):
    user = officer()
    client.force_login(user)
    assert client.get(reverse("dossiers:desk_queue")).status_code == 200
    TOTPDevice.objects.filter(user=user).delete()  # a superuser removed the lost phone's device
    response = client.get(reverse("dossiers:desk_queue"))
    assert response.status_code == 302 and response["Location"].startswith(SETUP)


def test_the_next_page_stays_on_this_site(client):
    user = officer()
    device = with_device(user)
    password_login(client, user)
    response = client.post(TWO_FACTOR + "?next=https://evil.example/", {"token": totp_code(device)})
    assert response["Location"] == reverse("dossiers:desk_queue")  # her landing page, not the other site


def test_the_demo_secret_opens_nothing_in_production(client, settings):
    user = officer()
    demo_device_set(user=user, secret=DEMO_TOTP_SECRET)
    code = f"{TOTP(bytes.fromhex(hex_key(DEMO_TOTP_SECRET))).token():06d}"
    settings.PORTAL_DEMO_TOTP_ALLOWED = False
    password_login(client, user)
    refused = client.post(TWO_FACTOR, {"token": code})
    assert refused.status_code == 200 and client.get(reverse("dossiers:desk_queue")).status_code == 302
    assert "HOABINH" not in refused.content.decode(), "the page does not print the demo key here"
    settings.PORTAL_DEMO_TOTP_ALLOWED = True
    assert client.post(TWO_FACTOR, {"token": code}).status_code == 302
    assert client.get(reverse("dossiers:desk_queue")).status_code == 200


def test_load_demo_gives_staff_the_printed_demo_secret(capsys, settings):
    from portal.demo.data import STAFF, SUPERUSER

    call_command("load_demo")
    out = capsys.readouterr().out
    assert DEMO_TOTP_SECRET in out
    for email in [STAFF[0][0], SUPERUSER[0]]:
        assert TOTPDevice.objects.get(user__email=email, confirmed=True).key == hex_key(DEMO_TOTP_SECRET)
    call_command("demo_code")
    assert re.match(r"\d{6}  \(valid for", capsys.readouterr().out)
    settings.PORTAL_DEMO_TOTP_ALLOWED = False
    with pytest.raises(Exception, match="not accepted here"):
        call_command("demo_code")


def test_the_account_page_shows_the_second_factor_and_renews_the_codes(client):
    user = officer()
    client.force_login(user)
    from portal.two_factor import recovery_codes_renew

    recovery_codes_renew(user=user)
    page = client.get(reverse("portal:profile")).content.decode()
    assert "Còn 10 mã khôi phục" in page and reverse("portal:two_factor_recovery_codes") in page
    citizen = Client()
    citizen.force_login(UserFactory())
    assert "Xác thực hai bước" not in citizen.get(reverse("portal:profile")).content.decode()


def test_the_readme_prints_the_demo_key():
    from pathlib import Path

    assert DEMO_TOTP_SECRET in (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
