from csp.decorators import csp_update
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django_ratelimit.core import is_ratelimited

from dossiers import selectors
from dossiers.forms import TrackForm
from dossiers.services.access_log import dossier_read_record
from portal.client_ip import rate
from portal.constants import AccessReason


def _too_many_lookups(request) -> bool:
    """Guessing look-up keys is slow: PORTAL_RATE_TRACK look-ups per client address (behind the
    trusted proxies, the real client's, so one visitor cannot block everyone behind the proxy)."""
    return is_ratelimited(request, group="track", key="ip", rate=rate("PORTAL_RATE_TRACK"), increment=True)


def _note_staff_read(request, attachment) -> None:
    """A file read by staff (not its dossier's owner) goes to the personal-data access log."""
    dossier = attachment.dossier
    if not selectors.is_owner(dossier=dossier, user=request.user):
        dossier_read_record(dossier=dossier, actor=request.user, request=request, reason=AccessReason.FILE)


def track(request):
    """Public look-up by dossier code and look-up key: status, public timeline, appointment date;
    nothing personal."""
    form = TrackForm(request.GET if "code" in request.GET else None)
    dossier = None
    if form.is_bound and _too_many_lookups(request):
        form.is_valid()
        form.add_error(None, _("Bạn đã tra cứu quá nhiều lần trong một phút. Vui lòng thử lại sau ít phút."))
        return render(request, "dossiers/track.html", {"form": form, "dossier": None}, status=429)
    if form.is_bound and form.is_valid():
        dossier = selectors.dossier_get_for_tracking(
            code=form.cleaned_data["code"], lookup_key=form.cleaned_data["key"]
        )
        if dossier is None:
            form.add_error(
                None,
                _(
                    "Không tìm thấy hồ sơ với mã hồ sơ và mã tra cứu này. Hãy kiểm tra lại hai mã "
                    "in trên giấy tiếp nhận."
                ),
            )
    steps = selectors.timeline(dossier, public_only=True) if dossier else []
    return render(request, "dossiers/track.html", {"form": form, "dossier": dossier, "timeline": steps})


@never_cache
def download(request, public_id):
    attachment = selectors.attachment_get_for_user(user=request.user, public_id=public_id)
    if attachment is None:
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    _note_staff_read(request, attachment)
    response = FileResponse(
        handle, as_attachment=True, filename=attachment.original_name, content_type=attachment.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
@xframe_options_sameorigin
@csp_update({"frame-ancestors": ["'self'"]})
def preview(request, public_id):
    """Inline view of an image or PDF, for the staff page's preview frame (same access as download)."""
    attachment = selectors.attachment_get_for_user(user=request.user, public_id=public_id)
    if attachment is None or attachment.extension not in ("pdf", "jpg", "png"):
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    _note_staff_read(request, attachment)
    response = FileResponse(handle, content_type=attachment.content_type)
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
