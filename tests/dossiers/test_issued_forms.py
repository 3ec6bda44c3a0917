"""Issue 11, item 10: forms were drawn again from current data on every view, so after a Form 04 the
receipt showed the new date. Each issued form is kept as issued (file, hash, time, issuer); a new
issue is a new version."""

import datetime as dt
import hashlib
import io

import pypdf
import pytest
from django.urls import reverse
from django.utils import timezone

from dossiers.models import IssuedDocument
from dossiers.services import desk
from dossiers.services.documents import form_issue
from tests.dossiers.conftest import run_to

pytestmark = pytest.mark.django_db


def text_of(content: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(content)).pages).split())


def test_the_receipt_keeps_the_date_it_was_issued_with(client, filed, staff):
    dossier = run_to(filed, "appraising", staff)
    kept = IssuedDocument.objects.get(dossier=dossier, number="01")
    assert kept.issued_by == staff.desk and kept.version == 1
    first_due = timezone.localtime(dossier.due_at).strftime("%d/%m/%Y")
    new_day = timezone.localtime(dossier.due_at).date() + dt.timedelta(days=7)
    while new_day.weekday() >= 5:
        new_day += dt.timedelta(days=1)
    desk.dossier_issue_extension(dossier=dossier, actor=staff.leader, new_date=new_day, reason="Chờ xác minh")
    client.force_login(staff.desk)
    receipt = client.get(reverse("dossiers:desk_form", args=[dossier.code, "01"])).content
    assert hashlib.sha256(receipt).hexdigest() == kept.sha256  # the very file that was issued
    assert first_due in text_of(receipt) and new_day.strftime("%d/%m/%Y") not in text_of(receipt)
    apology = client.get(reverse("dossiers:desk_form", args=[dossier.code, "04"])).content
    assert new_day.strftime("%d/%m/%Y") in text_of(apology)
    assert IssuedDocument.objects.get(dossier=dossier, number="04").issued_by == staff.leader


def test_a_new_issue_is_a_new_version_and_is_what_is_served(client, filed, staff):
    dossier = run_to(filed, "received", staff)
    second = form_issue(dossier=dossier, number="01", actor=staff.desk)
    assert second.version == 2 and IssuedDocument.objects.filter(dossier=dossier, number="01").count() == 2
    client.force_login(staff.desk)
    served = client.get(reverse("dossiers:desk_form", args=[dossier.code, "01"])).content
    assert hashlib.sha256(served).hexdigest() == second.sha256


def test_the_control_slip_stays_live(client, filed, staff):
    dossier = run_to(filed, "returned", staff)
    assert not IssuedDocument.objects.filter(dossier=dossier, number="05").exists()
    client.force_login(staff.desk)
    assert "return_result" in text_of(client.get(reverse("dossiers:desk_form", args=[dossier.code, "05"])).content) or (
        "Trả kết quả" in text_of(client.get(reverse("dossiers:desk_form", args=[dossier.code, "05"])).content)
    )
