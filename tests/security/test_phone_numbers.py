"""Finding: the +84 and 0 forms of one phone number could belong to two accounts."""

import pytest
from django.urls import reverse

from portal.models import User
from portal.validators import normalize_phone
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_two_spellings_are_one_number():
    assert normalize_phone("+84 912 345 678") == normalize_phone("0912.345.678") == "0912345678"


def test_a_second_account_cannot_take_the_other_spelling(client):
    UserFactory(phone="0912345678")
    data = {
        "full_name": "Lò Thị Mai",
        "national_id": "017199000998",
        "phone": "+84912345678",
        "email": "mai2@example.vn",
        "password1": "Song-Da-2026!",
        "password2": "Song-Da-2026!",
    }
    response = client.post(reverse("portal:register"), data)
    # The page says only "check your mail" (it tells nobody the number is taken); no account is made.
    assert response["Location"] == reverse("portal:register_sent")
    assert not User.objects.filter(email="mai2@example.vn").exists()


def test_a_profile_change_to_the_other_spelling_is_refused(client):
    UserFactory(phone="0912345679")
    other = UserFactory()
    client.force_login(other)
    response = client.post(
        reverse("portal:profile"), {"full_name": other.full_name, "email": other.email, "phone": "+84 912 345 679"}
    )
    other.refresh_from_db()
    assert other.phone != "0912345679"
    assert response.status_code == 200
