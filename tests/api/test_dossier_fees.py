"""A dossier's fees through the API: what is due, the VietQR transfer and where to pay while it is
due, and each payment with its receipt; nothing when no fee was asked."""

import pytest

from dossiers.services import payments
from tests.dossiers.payments_support import charge, give_account, waiting_for_fee

pytestmark = pytest.mark.django_db


@pytest.fixture
def version(version):
    return charge(version)


def test_no_fee_asked_reads_null(client, filed, citizen):
    client.force_login(citizen)
    assert client.get(f"/api/v1/dossiers/{filed.code}/").json()["fee"] is None


def test_the_owner_reads_what_is_due_and_how_to_pay_then_the_receipt(client, filed, staff, citizen, agency):
    give_account(agency)
    due = waiting_for_fee(filed, staff)
    client.force_login(citizen)
    fee = client.get(f"/api/v1/dossiers/{due.code}/").json()["fee"]
    assert (fee["amount"], fee["state"]) == (15000, "due")
    assert fee["lines"][0]["amount"] == 15000 and fee["payments"] == []
    assert fee["transfer"]["account"] == "0011004455667" and fee["transfer"]["payload"].startswith("000201")
    assert fee["pay_url"].endswith(f"/dossiers/{due.code}/")
    payments.payment_record_cash(dossier=due, actor=staff.desk, amount=15000)
    fee = client.get(f"/api/v1/dossiers/{due.code}/").json()["fee"]
    assert fee["state"] == "paid" and fee["transfer"] is None and fee["pay_url"] is None
    [paid] = fee["payments"]
    assert paid["method"] == "cash" and paid["receipt_url"].endswith(f"/dossiers/{due.code}/forms/receipt/?n=1")
    assert client.get(paid["receipt_url"]).status_code == 200


def test_staff_read_it_without_the_owners_pay_link(client, filed, staff):
    due = waiting_for_fee(filed, staff)
    client.force_login(staff.desk)
    fee = client.get(f"/api/v1/dossiers/{due.code}/").json()["fee"]
    assert fee["amount"] == 15000 and fee["pay_url"] is None
