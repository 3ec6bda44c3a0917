"""Bank reconciliation: a statement CSV imported in the admin; lines carrying a dossier's transfer
content and the amount due pay it by transfer; the rest stay unmatched with their reason."""

import pytest

from dossiers.constants import FeeStatus, Stage
from dossiers.fees import transfer_content
from dossiers.models import Payment, StatementLine
from dossiers.services.reconciliation import statement_import, statement_match
from portal.exceptions import ApplicationError
from tests.dossiers.payments_support import charge, give_account, waiting_for_fee

pytestmark = pytest.mark.django_db

ACCOUNT = "0011004455667"


@pytest.fixture
def version(version):
    return charge(version)


@pytest.fixture
def due(filed, staff, agency):
    give_account(agency, account=ACCOUNT)
    return waiting_for_fee(filed, staff)


def csv_of(*rows) -> bytes:
    lines = ["reference,date,amount,content", *(",".join(row) for row in rows)]
    return "\n".join(lines).encode()


def test_a_line_with_the_transfer_content_pays_the_dossier(due):
    content = f"MBVCB.123456.{transfer_content(due)}.CT tu 0123 NGUYEN VAN BO"
    added, known, _ = statement_import(
        account=ACCOUNT,
        content=csv_of(
            ("FT26338001", "04/12/2026", "15.000", content), ("FT26338002", "04/12/2026", "50000", "tien an")
        ),
        actor=None,
    )
    assert (added, known) == (2, 0)
    assert statement_match() == {"matched": 1, "unmatched": 1}
    due.refresh_from_db()
    assert due.stage == Stage.APPRAISING and due.fee_status == FeeStatus.PAID and due.paid_via == "transfer"
    matched = StatementLine.objects.get(reference="FT26338001")
    assert matched.state == StatementLine.State.MATCHED and matched.payment.method == "transfer"
    left = StatementLine.objects.get(reference="FT26338002")
    assert left.state == StatementLine.State.UNMATCHED and left.problem
    # The same statement again adds nothing and pays nothing twice.
    added, known, _ = statement_import(
        account=ACCOUNT, content=csv_of(("FT26338001", "04/12/2026", "15000", content)), actor=None
    )
    assert (added, known) == (0, 1)
    statement_match()
    assert Payment.objects.count() == 1


def test_a_wrong_amount_is_kept_for_refund_and_the_dossier_still_waits(due):
    statement_import(account=ACCOUNT, content=csv_of(("FT1", "2026-12-04", "10000", transfer_content(due))), actor=None)
    statement_match()
    due.refresh_from_db()
    assert due.stage == Stage.AWAITING_PAYMENT
    payment = Payment.objects.get()
    assert payment.state == Payment.State.REFUND_DUE and "không đúng" in payment.refund_reason


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"date,amount\n04/12/2026,1000\n", "thiếu cột"),
        ("reference,date,amount,content\nFT1,hôm qua,1000,x\n".encode(), "Dòng 2"),
        (b"reference,date,amount,content\n", "không có dòng"),
        ("reference,date,amount,content\nFT1,04/12/2026,1000,x\n".encode("utf-16"), "UTF-8"),
    ],
)
def test_a_bad_statement_is_refused_whole_with_the_reason(content, message):
    with pytest.raises(ApplicationError) as refused:
        statement_import(account=ACCOUNT, content=content, actor=None)
    assert message in refused.value.message
    assert not StatementLine.objects.exists()


def test_the_admin_import_page_is_for_superusers(due, client, staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import UserFactory

    client.force_login(staff.desk)
    assert client.get("/admin/dossiers/statementline/import/").status_code in (302, 403)
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    page = client.get("/admin/dossiers/statementline/import/")
    assert page.status_code == 200 and ACCOUNT in page.content.decode()
    upload = SimpleUploadedFile("saoke.csv", csv_of(("FT9", "04/12/2026", "15000", transfer_content(due))))
    response = client.post("/admin/dossiers/statementline/import/", {"account": ACCOUNT, "file": upload})
    assert response.status_code == 302
    due.refresh_from_db()
    assert due.paid_via == "transfer"


def test_a_line_naming_a_dossier_never_asked_for_a_fee_stays_unmatched(filed):
    from dossiers.fees import transfer_content

    type(filed).objects.filter(pk=filed.pk).update(fee_status="paid")  # as the demo history marks them
    statement_import(
        account=ACCOUNT, content=csv_of(("FT7", "04/12/2026", "15000", transfer_content(filed))), actor=None
    )
    assert statement_match() == {"matched": 0, "unmatched": 1}
    type(filed).objects.filter(pk=filed.pk).update(fee_status="")
