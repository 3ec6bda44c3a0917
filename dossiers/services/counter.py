"""Walk-in intake at the desk: the officer files for the citizen, scans the papers per component,
and receives at once (channel "in person"). Same-day procedures can then be settled on the spot."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers.constants import Action, Channel, Delivery, FilerRelation, Stage
from dossiers.exceptions import ActionNotAllowed
from dossiers.models import Dossier
from dossiers.services import desk, uploads
from dossiers.services.codes import dossier_code, new_lookup_key
from dossiers.services.events import event_append
from dossiers.services.filing import SNAPSHOT_FIELDS, answers_form, dossier_search_text, validate_snapshot
from dossiers.services.transitions import OWN_DOSSIER_MESSAGE, transition
from portal.constants import Role
from portal.exceptions import ApplicationError
from portal.validators import normalize_phone
from procedures.constants import VersionStatus


@transaction.atomic
def dossier_receive_at_counter(
    *,
    version,
    actor,
    agency,
    snapshot: dict,
    answers: dict,
    files: dict,
    delivery: str,
    delivery_address: str = "",
    now=None,
) -> Dossier:
    """`answers` are raw form values by field key; `files` maps a component id to uploaded files."""
    from portal.models import StaffMembership, User

    now = now or timezone.now()
    membership = StaffMembership.objects.filter(user=actor, agency=agency, role=Role.DESK_OFFICER).first()
    if membership is None:
        raise ActionNotAllowed(_("Chỉ cán bộ một cửa của cơ quan mới tiếp nhận được hồ sơ."), code="forbidden")
    if version.status != VersionStatus.PUBLISHED or not version.procedure.agencies.filter(pk=agency.pk).exists():
        raise ApplicationError(_("Cơ quan không giải quyết thủ tục này."), field="procedure")
    snapshot = {key: str(snapshot.get(key, "")).strip() for key in SNAPSHOT_FIELDS}
    snapshot["phone"] = normalize_phone(snapshot["phone"])
    errors = validate_snapshot(snapshot)
    if errors:
        raise ValidationError(errors)
    if delivery not in Delivery.values:
        raise ApplicationError(_("Hãy chọn một cách nhận kết quả."), field="delivery")
    applicant = User.objects.filter(national_id=snapshot["national_id"]).first()
    if applicant is not None and applicant.pk == actor.pk:
        # transition() refuses it too; saying so here keeps the scans from being uploaded first.
        raise ApplicationError(str(OWN_DOSSIER_MESSAGE), field="national_id")
    dossier = Dossier(
        version=version,
        applicant=applicant,
        applicant_snapshot=snapshot,
        filer=actor,
        filer_relation=FilerRelation.SELF,
        agency=agency,
        desk=membership.desk or agency.desks.filter(is_active=True).order_by("code").first(),
        channel=Channel.IN_PERSON,
        answers=answers,
        delivery=delivery,
        delivery_address=delivery_address.strip(),
        stage=Stage.DRAFT,
    )
    dossier.full_clean()
    dossier.save()
    event_append(dossier=dossier, actor=actor, action=Action.CREATE, to_status="draft", public=False)
    form = answers_form(dossier)
    if not form.is_valid():
        raise ValidationError(dict(form.errors.items()))
    components = {c.id: c for c in version.components.all()}
    for component_id, uploaded in files.items():
        for upload in uploaded:
            uploads.attachment_add(
                dossier=dossier, actor=actor, component=components[component_id], upload=upload, digitised=True
            )
    missing = [c.name for c in components.values() if c.required and not files.get(c.id)]
    if missing:
        raise ApplicationError(
            _("Chưa quét giấy tờ bắt buộc: %(names)s.") % {"names": "; ".join(missing)}, field="files"
        )

    def received(d):
        d.answers = form.answers()
        d.code = dossier_code(agency=agency, day=timezone.localdate(now))
        d.lookup_key, d.submitted_at, d.received_at, d.declaration_accepted = new_lookup_key(), now, now, True
        d.search_text = dossier_search_text(d)
        return [
            "answers",
            "code",
            "lookup_key",
            "submitted_at",
            "received_at",
            "declaration_accepted",
            "search_text",
            *desk.start_clock(d, now),
        ]

    moved = transition(dossier=dossier, actor=actor, action=Action.RECEIVE_AT_COUNTER, changes=received)
    if moved.applicant:
        desk.tell_applicant(moved, "accepted")
    from dossiers.services.documents import form_issue

    form_issue(dossier=moved, number="01", actor=actor)
    # A procedure that takes its fee on submission takes it now, at the counter (status 6 until the
    # officer records it).
    from dossiers.services.payments import payment_request_on_submission

    return payment_request_on_submission(moved)


@transaction.atomic
def dossier_settle_on_the_spot(*, dossier: Dossier, actor, note: str, how: str, result_file=None) -> Dossier:
    """ "4 tại chỗ": receive (done), appraise, approve and return in one sitting; every step is its
    own transition and event."""
    dossier = desk.dossier_assign(dossier=dossier, actor=actor, assignee=actor)
    dossier = desk.dossier_appraise(dossier=dossier, actor=actor, note=note)
    dossier = desk.dossier_submit_for_approval(dossier=dossier, actor=actor)
    dossier = desk.dossier_approve(dossier=dossier, actor=actor, result_file=result_file)
    return desk.dossier_return_result(dossier=dossier, actor=actor, how=how)
