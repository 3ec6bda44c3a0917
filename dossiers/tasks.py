from celery import shared_task
from django.utils import timezone

from dossiers.services.housekeeping import dossier_expire_drafts


@shared_task(name="dossiers.tasks.expire_drafts")
def expire_drafts() -> int:
    """Delete drafts untouched for DOSSIER_DRAFT_EXPIRY_DAYS (their owners saw the warning on their list)."""
    return dossier_expire_drafts(now=timezone.now())
