"""Public verification of issued documents: the page a document's QR code opens, and a check of any
PDF (its signatures, and whether this portal issued it). Nothing personal is shown: the kind of
document, the agency, when it was issued and signed, and by whom it was signed."""

import hashlib

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_ratelimit.core import is_ratelimited

from dossiers import printouts, selectors
from dossiers.forms import VerifyForm
from portal import signing
from portal.client_ip import rate


def _kind(document) -> str:
    if document.is_result:
        return _("Văn bản kết quả giải quyết thủ tục hành chính")
    return str(printouts.LABELS.get(document.number, document.number))


def _record(document) -> dict | None:
    if document is None:
        return None
    return {
        "document": document,
        "kind": _kind(document),
        "reissued": selectors.newer_version_exists(document),
    }


@never_cache
def verify(request, public_id=None):
    """GET: the form (and, from a QR code, the document's record). POST: check the uploaded PDF."""
    named = None
    if public_id is not None:
        named = selectors.issued_document(public_id=public_id)
        if named is None:
            raise Http404
    form, verdict, match, status = VerifyForm(), None, None, 200
    if request.method == "POST":
        form = VerifyForm(request.POST, request.FILES)
        if is_ratelimited(request, group="verify", key="ip", rate=rate("PORTAL_RATE_VERIFY"), increment=True):
            form.is_valid()
            form.add_error(None, _("Bạn đã kiểm tra quá nhiều tệp trong một phút. Vui lòng thử lại sau ít phút."))
            status = 429
        elif form.is_valid():
            content = form.cleaned_data["file"].read()
            verdict = signing.validate_pdf(content)
            digest = hashlib.sha256(content).hexdigest()
            match = _record(selectors.issued_document(sha256=digest))
            match = match or {"missing": True}
            if named is not None:
                match["same_as_named"] = match.get("document") == named
        else:
            status = 400
    context = {"form": form, "named": _record(named), "verdict": verdict, "match": match}
    return render(request, "dossiers/verify.html", context, status=status)
