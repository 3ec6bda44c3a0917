"""An agency's fee account for VietQR transfers: validated, all three parts or none, kept in the admin."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db

ACCOUNT = {"bank_bin": "970415", "bank_account": "113366668888", "bank_account_name": "UBND XA THU NGHIEM"}


def test_an_agency_takes_a_full_account_or_none():
    agency = AgencyFactory()
    agency.full_clean()
    for field, value in ACCOUNT.items():
        setattr(agency, field, value)
    agency.full_clean()


@pytest.mark.parametrize("left_out", list(ACCOUNT))
def test_part_of_an_account_is_refused(left_out):
    agency = AgencyFactory.build(**(ACCOUNT | {left_out: ""}))
    with pytest.raises(ValidationError) as refused:
        agency.full_clean()
    assert list(refused.value.message_dict) == [left_out]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("bank_bin", "97041"),
        ("bank_bin", "97041a"),
        ("bank_bin", "٩٧٠٤١٥"),
        ("bank_account", "0011-001"),
        ("bank_account", "Đ123"),
        ("bank_account", "12345 678"),
    ],
)
def test_a_bin_or_account_a_bank_would_refuse_is_refused(field, value):
    agency = AgencyFactory.build(**(ACCOUNT | {field: value}))
    with pytest.raises(ValidationError) as refused:
        agency.full_clean()
    assert field in refused.value.message_dict


def test_the_admin_shows_the_account_in_its_own_fieldset(client):
    agency = AgencyFactory(**ACCOUNT)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    page = client.get(reverse("admin:portal_agency_change", args=[agency.pk])).content.decode()
    assert "Tài khoản thu phí, lệ phí" in page
    for field, value in ACCOUNT.items():
        assert f'name="{field}"' in page and value in page
    assert 'name="cutoff_time"' in page and 'name="is_active"' in page
