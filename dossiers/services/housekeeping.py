import datetime as dt

from django.conf import settings
from django.db import transaction

from dossiers.constants import Status
from dossiers.models import Attachment, Dossier


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
