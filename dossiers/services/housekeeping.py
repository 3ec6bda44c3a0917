import datetime as dt

from django.conf import settings
from django.db import transaction

from dossiers.constants import Status
from dossiers.models import Attachment, Dossier, SubmissionKey

SUBMISSION_KEY_DAYS = 1


@transaction.atomic
def dossier_expire_drafts(*, now) -> int:
    """Delete expired drafts and the files no other dossier uses; returns how many drafts went."""
    cutoff = now - dt.timedelta(days=settings.DOSSIER_DRAFT_EXPIRY_DAYS)
    expired = Dossier.objects.filter(status=Status.DRAFT, updated_at__lt=cutoff)
    names = set(Attachment.objects.filter(dossier__in=expired).values_list("file", flat=True))
    count = expired.count()
    expired.delete()
    orphans = names - set(Attachment.objects.filter(file__in=names).values_list("file", flat=True))
    storage = Attachment._meta.get_field("file").storage
    transaction.on_commit(lambda: [storage.delete(name) for name in orphans])
    return count


def drafts_warn_owners(*, now) -> int:
    """Tell owners of drafts that will be deleted within DOSSIER_DRAFT_WARNING_DAYS (once per draft
    and expiry date)."""
    from django.urls import reverse
    from django.utils.translation import gettext as _
    from django.utils.translation import override

    from portal.notifications import notify

    warn_from = now - dt.timedelta(days=settings.DOSSIER_DRAFT_EXPIRY_DAYS - settings.DOSSIER_DRAFT_WARNING_DAYS)
    cutoff = now - dt.timedelta(days=settings.DOSSIER_DRAFT_EXPIRY_DAYS)
    count = 0
    drafts = Dossier.objects.filter(
        status=Status.DRAFT, updated_at__lt=warn_from, updated_at__gte=cutoff
    ).select_related("filer", "version__procedure")
    for draft in drafts.iterator(chunk_size=500):
        expires = draft.updated_at + dt.timedelta(days=settings.DOSSIER_DRAFT_EXPIRY_DAYS)
        with override(draft.filer.preferred_language or "vi"):
            subject = _("Bản nháp sắp bị xóa")
            body = _("Bản nháp hồ sơ “%(name)s” sẽ bị xóa vào ngày %(date)s nếu bạn không tiếp tục soạn.") % {
                "name": draft.version.procedure.name,
                "date": expires.strftime("%d/%m/%Y"),
            }
        with transaction.atomic():
            count += len(
                notify(
                    recipient=draft.filer,
                    event="draft_expiring",
                    subject=subject,
                    body=body,
                    key=f"draft:{draft.pk}:expiring:{expires:%Y%m%d}",
                    link=reverse("dossiers:draft", args=[draft.public_id]),
                )
            )
    return count


def submission_keys_purge(*, now) -> int:
    """Forget the API's Idempotency-Keys after a day (an app retries within minutes)."""
    deleted, _ = SubmissionKey.objects.filter(created_at__lt=now - dt.timedelta(days=SUBMISSION_KEY_DAYS)).delete()
    return deleted
