import pytest
from django.core import mail
from django.utils import timezone

from dossiers.constants import Status
from dossiers.models import Dossier, DossierEvent
from dossiers.services import filing
from dossiers.services.filing import SubmissionIncomplete
from portal.models import Notification, SmsMessage
from portal.notifications import deliver

pytestmark = pytest.mark.django_db(transaction=False)


def test_submit_gives_code_lookup_key_and_status(filed, agency, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    assert filed.status == Status.NEW
    assert filed.code == f"H99.01-{today:%y%m%d}-0001"
    assert len(filed.lookup_key) == 6
    assert filed.answers["ngay_sinh"] == "2026-11-20"
    assert list(DossierEvent.objects.filter(dossier=filed).values_list("action", flat=True)) == ["create", "submit"]


def test_codes_follow_a_sequence_per_agency_per_day(version, agency, citizen, ready_draft):
    first = filing.dossier_submit(dossier=ready_draft, actor=citizen, declaration=True)
    second_draft = filing.dossier_start(version=version, actor=citizen, agency=agency)
    Dossier.objects.filter(pk=second_draft.pk).update(answers=ready_draft.answers, delivery="desk")
    for attachment in first.attachments.all():
        attachment.pk, attachment.public_id, attachment.dossier_id = None, None, second_draft.pk
        import uuid

        attachment.public_id = uuid.uuid4()
        attachment.save()
    second = filing.dossier_submit(dossier=second_draft, actor=citizen, declaration=True)
    assert int(second.code[-4:]) == int(first.code[-4:]) + 1


def test_double_submit_files_one_dossier(ready_draft, citizen):
    one = filing.dossier_submit(dossier=ready_draft, actor=citizen, declaration=True)
    two = filing.dossier_submit(dossier=ready_draft, actor=citizen, declaration=True)
    assert one.pk == two.pk and one.code == two.code
    assert Dossier.objects.exclude(status=Status.DRAFT).count() == 1
    assert DossierEvent.objects.filter(action="submit").count() == 1


def test_incomplete_draft_lists_every_problem(version, agency, citizen):
    dossier = filing.dossier_start(version=version, actor=citizen, agency=agency)
    with pytest.raises(SubmissionIncomplete) as info:
        filing.dossier_submit(dossier=dossier, actor=citizen, declaration=False)
    steps = [p.step for p in info.value.problems]
    assert steps.count("documents") == 2  # both required components, the optional one not
    assert "form" in steps and "delivery" in steps and "check" in steps
    dossier.refresh_from_db()
    assert dossier.status == Status.DRAFT and dossier.code is None


def test_submission_notifies_by_email_and_in_app_after_commit(
    ready_draft, citizen, enqueued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        filed = filing.dossier_submit(dossier=ready_draft, actor=citizen, declaration=True)
    assert enqueued == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    email = Notification.objects.get(recipient=citizen, channel="email")
    sms = Notification.objects.get(recipient=citizen, channel="sms")
    national = Notification.objects.get(channel="national")  # the status sync (docs/api.md)
    assert sorted(enqueued) == sorted([(email.pk,), (sms.pk,), (national.pk,)])  # in-app needs no delivery
    assert Notification.objects.get(recipient=citizen, channel="in_app").subject == email.subject
    deliver(email.pk)
    deliver(email.pk)  # a redelivered task sends nothing twice
    assert len(mail.outbox) == 1 and filed.code in mail.outbox[0].subject
    assert filed.lookup_key in mail.outbox[0].body
    email.refresh_from_db()
    assert email.state == "sent" and email.attempts == 1
    deliver(sms.pk)
    assert SmsMessage.objects.get().phone == citizen.phone and filed.code in SmsMessage.objects.get().text


def test_channels_follow_the_profile(ready_draft, citizen):
    citizen.notify_by_sms = citizen.notify_by_email = False
    citizen.save()
    filing.dossier_submit(dossier=ready_draft, actor=citizen, declaration=True)
    assert set(Notification.objects.filter(recipient=citizen).values_list("channel", flat=True)) == {"in_app"}


def test_retired_version_cannot_be_submitted(ready_draft, citizen):
    from procedures.services import procedure_version_retire

    procedure_version_retire(version=ready_draft.version)
    with pytest.raises(Exception, match="Thủ tục đã được cập nhật"):
        filing.dossier_submit(dossier=ready_draft, actor=citizen, declaration=True)


def test_filing_for_someone_else_records_both(version, agency, citizen):
    from tests.factories import UserFactory

    grandmother = UserFactory(full_name="Bà Nội", national_id="017050009999")
    dossier = filing.dossier_start(version=version, actor=citizen, agency=agency)
    filing.dossier_save_applicant(
        dossier=dossier,
        actor=citizen,
        relation="family",
        snapshot={"full_name": "Bà Nội", "national_id": "017050009999", "phone": "0912000999", "address": "Xóm 1"},
    )
    dossier.refresh_from_db()
    assert dossier.filer == citizen and dossier.applicant == grandmother
    assert dossier.filer_relation == "family" and dossier.applicant_snapshot["full_name"] == "Bà Nội"


def test_expired_drafts_are_deleted_with_their_files_and_filed_dossiers_stay(
    ready_draft, filed, citizen, version, agency, django_capture_on_commit_callbacks
):
    import datetime as dt

    from dossiers.services.housekeeping import dossier_expire_drafts

    old = filing.dossier_start(version=version, actor=citizen, agency=agency)
    from dossiers.services import uploads
    from tests.dossiers.conftest import pdf

    attachment = uploads.attachment_add(
        dossier=old, actor=citizen, component=version.components.first(), upload=pdf("cu.pdf")
    )
    name = attachment.file.name
    Dossier.objects.filter(pk=old.pk).update(updated_at=timezone.now() - dt.timedelta(days=31))
    Dossier.objects.filter(pk=filed.pk).update(updated_at=timezone.now() - dt.timedelta(days=400))
    with django_capture_on_commit_callbacks(execute=True):
        assert dossier_expire_drafts(now=timezone.now()) == 1
    assert not Dossier.objects.filter(pk=old.pk).exists()
    assert Dossier.objects.filter(pk=filed.pk).exists()
    assert not attachment.file.storage.exists(name)


def test_in_app_message_shows_in_the_bell_and_inbox(client, ready_draft, citizen):
    filed = filing.dossier_submit(dossier=ready_draft, actor=citizen, declaration=True)
    client.force_login(citizen)
    home = client.get("/").content.decode()
    assert 'id="unread-count">1' in home
    inbox = client.get("/notifications/").content.decode()
    assert f"Hồ sơ {filed.code} đã được nộp" in inbox and "Mới" in inbox
    assert 'id="unread-count"' not in client.get("/").content.decode()  # read once shown
