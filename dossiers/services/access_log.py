from portal.constants import AccessReason
from portal.services import personal_data_access_record


def dossier_read_record(*, dossier, actor, request, reason: str = AccessReason.DOSSIER_PAGE):
    """Note in the personal-data access log that `actor` (staff, or a partner's responsible officer)
    read the dossier's applicant's data: its page, its API detail, one of its files."""
    return personal_data_access_record(
        actor=actor, reason=reason, request=request, subject_id=dossier.applicant_id, dossier_code=dossier.code or ""
    )
