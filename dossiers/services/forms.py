"""Issued forms are kept as issued: rendered once when the step that issues them happens, stored with
their hash, time and issuer; a new issue of the same form is a new version."""

import hashlib

from django.core.files.base import ContentFile
from django.db.models import Max
from django.utils import timezone

from dossiers import printouts
from dossiers.models import IssuedForm


def form_issue(*, dossier, number: str, actor, index: int = 1) -> IssuedForm:
    """Render form `number` of `dossier` now and keep it (Form 02: `index` is which request)."""
    content = printouts.render_form(dossier, number, request_index=index)
    latest = IssuedForm.objects.filter(dossier=dossier, number=number, index=index).aggregate(v=Max("version"))["v"]
    issued = IssuedForm(
        dossier=dossier,
        number=number,
        index=index,
        version=(latest or 0) + 1,
        sha256=hashlib.sha256(content).hexdigest(),
        issued_at=timezone.now(),
        issued_by=actor,
    )
    issued.file.save(f"mau-{number}.pdf", ContentFile(content), save=False)
    issued.save()
    return issued
