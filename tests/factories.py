import factory

from portal.constants import AgencyLevel, Role
from portal.models import Agency, Desk, StaffMembership, User

PASSWORD = "Matkhau@2026"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"T{n:02d}.01")
    name = factory.Sequence(lambda n: f"UBND xã Thử Nghiệm {n}")
    level = AgencyLevel.COMMUNE


class DeskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Desk

    agency = factory.SubFactory(AgencyFactory)
    code = factory.Sequence(lambda n: f"MC-T{n:03d}")
    name = factory.LazyAttribute(lambda o: f"Bộ phận Một cửa {o.agency.name}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Thử {n}")
    email = factory.Sequence(lambda n: f"nguoidung{n}@example.vn")
    national_id = factory.Sequence(lambda n: f"0010990{n:05d}")
    phone = factory.Sequence(lambda n: f"09880{n:05d}")

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save(update_fields=["password"])


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMembership

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)
    role = Role.DESK_OFFICER


# --- catalog ------------------------------------------------------------------------------------
from procedures.constants import VersionStatus  # noqa: E402
from procedures.models import (  # noqa: E402
    DossierComponent,
    FeeItem,
    FormField,
    Procedure,
    ProcedureVersion,
    ProcessingStep,
    Sector,
)
from procedures.services import procedure_refresh_search  # noqa: E402


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"S{n}")
    name = factory.Sequence(lambda n: f"Lĩnh vực {n}")


class ProcedureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Procedure
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"9.{n:06d}")
    name = factory.Sequence(lambda n: f"Thủ tục thử nghiệm số {n}")
    sector = factory.SubFactory(SectorFactory)
    level = "commune"

    @factory.post_generation
    def search(obj, create, extracted, **kwargs):
        if create:
            procedure_refresh_search(procedure=obj)


def make_version(
    procedure=None, *, status=VersionStatus.PUBLISHED, components=2, fields=3, fees=1, number=None, **content
):
    """A version with parts, created as a draft then moved to `status` directly (test setup only)."""
    procedure = procedure or ProcedureFactory()
    defaults = {"description": "Mô tả thủ tục", "processing_time_value": 5, "processing_time_unit": "working_days"}
    version = ProcedureVersion.objects.create(
        procedure=procedure,
        number=number or (procedure.versions.count() + 1),
        status=VersionStatus.DRAFT,
        **{**defaults, **content},
    )
    for i in range(components):
        DossierComponent.objects.create(version=version, order=i, name=f"Giấy tờ {i + 1}", originals=1)
    for i in range(fields):
        FormField.objects.create(
            version=version,
            order=i,
            key=f"truong_{i}",
            label_vi=f"Trường {i}",
            label_en=f"Field {i}",
            field_type="text",
            required=True,
        )
    for i in range(fees):
        FeeItem.objects.create(version=version, order=i, name="Lệ phí", amount=10000 * (i + 1))
    ProcessingStep.objects.create(version=version, order=0, name="Tiếp nhận", role="desk_officer", share=20)
    ProcessingStep.objects.create(version=version, order=1, name="Thẩm định", role="specialist", share=80)
    if status != VersionStatus.DRAFT:
        version.status = status
        version.save(update_fields=["status"])
    procedure_refresh_search(procedure=procedure)
    return version
