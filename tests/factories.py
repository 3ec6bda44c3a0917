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
