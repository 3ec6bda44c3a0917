"""Findings: sessions lasted 14 days with no idle timeout; pages and exports with personal data had no
Cache-Control; no Permissions-Policy; `Server: gunicorn`; cookies without the __Host- prefix in
production; a minimum password length of 8."""

import subprocess
import sys
import time

import pytest
from django.urls import reverse

from portal.constants import Role
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def age(client, *, idle=0, started=0):
    session = client.session
    now = int(time.time())
    session["portal_seen"] = now - idle
    session["portal_started"] = now - started
    session.save()


def test_staff_are_logged_out_after_30_idle_minutes(client):
    client.force_login(MembershipFactory(role=Role.DESK_OFFICER).user)
    assert client.get(reverse("dossiers:desk_queue")).status_code == 200
    age(client, idle=29 * 60)
    assert client.get(reverse("dossiers:desk_queue")).status_code == 200
    age(client, idle=31 * 60)
    response = client.get(reverse("dossiers:desk_queue") + "?tab=all")
    assert response.status_code == 302 and response["Location"].startswith(reverse("portal:login"))
    assert "next=/desk/%3Ftab%3Dall" in response["Location"]
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"])
    assert "Phiên làm việc đã hết hạn" in page.content.decode()


def test_citizens_get_an_hour(client):
    client.force_login(UserFactory())
    client.get(reverse("dossiers:mine"))
    age(client, idle=50 * 60)
    assert client.get(reverse("dossiers:mine")).status_code == 200
    age(client, idle=61 * 60)
    assert client.get(reverse("dossiers:mine")).status_code == 302


def test_an_active_session_still_ends_after_its_lifetime(client):
    client.force_login(UserFactory())
    client.get("/")
    age(client, idle=10, started=13 * 60 * 60)
    assert client.get(reverse("dossiers:mine")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_activity_is_noted_at_most_once_a_minute(client):
    client.force_login(UserFactory())
    client.get("/")
    first = client.session["portal_seen"]
    client.get("/")
    assert client.session["portal_seen"] == first


def test_personal_pages_and_files_are_not_stored(client, filed, citizen):
    client.force_login(citizen)
    for url in (
        reverse("dossiers:detail", args=[filed.code]),
        reverse("dossiers:mine"),
        reverse("portal:profile"),
        reverse("dossiers:file", args=[filed.attachments.first().public_id]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"], url
        assert "public" not in response["Cache-Control"]


def test_every_response_has_a_permissions_policy(client):
    for url in ("/", reverse("procedures:list"), "/no-such-page/"):
        assert "camera=()" in client.get(url)["Permissions-Policy"]


def test_passwords_need_twelve_characters(client):
    data = {
        "full_name": "Lò Thị Mai",
        "national_id": "017199000999",
        "phone": "0912000999",
        "email": "mai@example.vn",
        "password1": "Ngan@2026x",
        "password2": "Ngan@2026x",
    }
    response = client.post(reverse("portal:register"), data)
    assert response.status_code == 200 and "ít nhất 12 ký tự" in response.content.decode()
    data.update(password1="password1234", password2="password1234")
    assert "quá phổ biến" in client.post(reverse("portal:register"), data).content.decode()


def test_production_cookies_carry_the_host_prefix():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.LANGUAGE_COOKIE_NAME, s.SESSION_COOKIE_SECURE, "
        "s.SESSION_COOKIE_AGE)"
    )
    env = {
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": "k" * 20 + "abcdefghij" * 4,
        "DJANGO_ALLOWED_HOSTS": "portal.example.vn",
        "PATH": "/usr/bin:/bin",
    }
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert out.split() == ["__Host-sessionid", "__Host-csrftoken", "__Host-language", "True", "43200"]
