import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from procedures.constants import VersionStatus
from procedures.exceptions import VersionStateError
from procedures.models import DossierComponent, ProcedureVersion
from procedures.services import (
    procedure_version_clone,
    procedure_version_publish,
    procedure_version_retire,
    procedure_version_update_draft,
)
from tests.factories import make_version

pytestmark = pytest.mark.django_db


def test_clone_edit_publish_retires_the_old_version_unchanged():
    old = make_version(description="Bản cũ", components=2, fields=3)
    draft = procedure_version_clone(version=old)
    assert draft.status == VersionStatus.DRAFT and draft.number == old.number + 1
    assert draft.components.count() == 2 and draft.fields.count() == 3 and draft.processing_steps.count() == 2
    procedure_version_update_draft(version=draft, description="Bản mới", processing_time_value=3)
    DossierComponent.objects.create(version=draft, order=9, name="Giấy tờ mới")
    procedure_version_publish(version=draft)

    old.refresh_from_db()
    draft.refresh_from_db()
    assert old.status == VersionStatus.RETIRED and old.retired_at is not None
    assert old.description == "Bản cũ" and old.components.count() == 2  # untouched
    assert draft.status == VersionStatus.PUBLISHED and draft.published_at is not None
    assert draft.components.count() == 3
    assert ProcedureVersion.objects.filter(procedure=old.procedure, status="published").count() == 1


def test_published_version_refuses_edits_of_content_and_parts():
    version = make_version()
    version.description = "sửa lén"
    with pytest.raises(ValidationError):
        version.save()
    component = version.components.first()
    component.name = "sửa lén"
    with pytest.raises(ValidationError):
        component.save()
    with pytest.raises(ValidationError):
        component.delete()
    with pytest.raises(ValidationError):
        DossierComponent.objects.create(version=version, name="thêm lén")
    with pytest.raises(VersionStateError):
        procedure_version_update_draft(version=version, description="x")


def test_database_allows_one_published_version_per_procedure():
    version = make_version()
    with pytest.raises(IntegrityError), transaction.atomic():
        ProcedureVersion.objects.create(procedure=version.procedure, number=9, status=VersionStatus.PUBLISHED)


def test_only_one_draft_at_a_time():
    version = make_version()
    procedure_version_clone(version=version)
    with pytest.raises(VersionStateError):
        procedure_version_clone(version=version)


def test_publish_refuses_non_drafts_and_incomplete_drafts():
    version = make_version()
    with pytest.raises(VersionStateError):
        procedure_version_publish(version=version)
    empty = make_version(status=VersionStatus.DRAFT, components=0, procedure=None)
    with pytest.raises(VersionStateError, match="thành phần"):
        procedure_version_publish(version=empty)


def test_publish_refuses_step_shares_that_do_not_add_up():
    draft = make_version(status=VersionStatus.DRAFT)
    step = draft.processing_steps.first()
    step.share = 5
    step.save()
    with pytest.raises(VersionStateError, match="100"):
        procedure_version_publish(version=draft)


def test_retire_removes_from_public_catalog():
    version = make_version()
    procedure_version_retire(version=version)
    version.refresh_from_db()
    assert version.status == VersionStatus.RETIRED
    with pytest.raises(VersionStateError):
        procedure_version_retire(version=version)


def test_processing_time_in_plain_words():
    assert make_version(processing_time_value=5).processing_time_text == "5 ngày làm việc"
    same_day = make_version(processing_time_value=0, processing_time_unit="same_day")
    assert same_day.processing_time_text == "Giải quyết trong ngày"
    assert make_version(processing_time_value=4, processing_time_unit="working_hours").processing_time_text == (
        "4 giờ làm việc"
    )


def test_partial_online_needs_a_reason():
    version = make_version(status=VersionStatus.DRAFT)
    with pytest.raises(ValidationError):
        procedure_version_update_draft(version=version, online_level="partial", partial_reason="")
