"""staff_may_see (one dossier already read, asked in Python) gives the answers of visible_to (the
queue's SQL condition) for every shape of scope: the staff dossier page and a file's download use
the first, the queues the second."""

import pytest

from dossiers import queues
from dossiers.models import Dossier
from dossiers.services.counters import recount_queue_counters
from portal.constants import Role
from tests.dossiers.test_queue import make_filed
from tests.factories import AgencyFactory, DeskFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(agency, ready_draft, citizen):
    """Agency with desks A and B; dossiers at desk A, desk B, no desk, a draft, one of another agency."""
    desk_a = agency.desks.get()
    desk_b = DeskFactory(agency=agency, code="MC-B")
    other = AgencyFactory(code="H99.02")
    from tests.dossiers.test_concurrency import clone_ready_draft

    draft = clone_ready_draft(ready_draft, 1)[0]
    at_a, at_b, at_none, elsewhere = make_filed(ready_draft, citizen, 4)
    Dossier.objects.filter(pk=at_a.pk).update(desk=desk_a)
    Dossier.objects.filter(pk=at_b.pk).update(desk=desk_b)
    Dossier.objects.filter(pk=at_none.pk).update(desk=None)
    Dossier.objects.filter(pk=elsewhere.pk).update(agency=other, desk=None)
    recount_queue_counters()  # the counter cells follow the desks set above
    dossiers = {
        "desk A": at_a,
        "desk B": at_b,
        "no desk": at_none,
        "other agency": elsewhere,
        "draft": draft,
    }
    return agency, other, desk_a, desk_b, {k: Dossier.objects.get(pk=d.pk) for k, d in dossiers.items()}


def _memberships(user):
    return queues.staff_memberships(user)


def _person(*grants):
    user = UserFactory()
    for agency, role, desk in grants:
        MembershipFactory(user=user, agency=agency, role=role, desk=desk)
    return user


def test_staff_may_see_answers_as_the_queue_condition_for_every_scope(world):
    agency, other, desk_a, desk_b, dossiers = world
    people = {
        "officer of desk A": (_person((agency, Role.DESK_OFFICER, desk_a)), {"desk A", "no desk"}),
        "officer of desk A and specialist": (
            _person((agency, Role.DESK_OFFICER, desk_a), (agency, Role.SPECIALIST, None)),
            {"desk A", "desk B", "no desk"},
        ),
        "officer of no desk": (_person((agency, Role.DESK_OFFICER, None)), {"desk A", "desk B", "no desk"}),
        "specialist": (_person((agency, Role.SPECIALIST, None)), {"desk A", "desk B", "no desk"}),
        "officer of desk A, leader elsewhere": (
            _person((agency, Role.DESK_OFFICER, desk_a), (other, Role.LEADER, None)),
            {"desk A", "no desk", "other agency"},
        ),
        "leader of the other agency": (_person((other, Role.LEADER, None)), {"other agency"}),
        "citizen": (UserFactory(), set()),
    }
    for who, (user, expected) in people.items():
        memberships = _memberships(user)
        in_python = {name for name, d in dossiers.items() if queues.staff_may_see(memberships, d)}
        in_sql = {
            name
            for name, d in dossiers.items()
            if memberships and Dossier.objects.filter(queues.visible_to(memberships), pk=d.pk).exists()
        }
        assert in_python == in_sql == expected, who


def test_the_staff_dossier_page_and_file_follow_the_rule(client, world):
    from django.urls import reverse

    from dossiers.models import Attachment

    agency, _other, desk_a, _desk_b, dossiers = world
    officer = _person((agency, Role.DESK_OFFICER, desk_a))
    client.force_login(officer)
    for name, status in (("desk A", 200), ("no desk", 200), ("desk B", 404), ("other agency", 404)):
        dossier = dossiers[name]
        assert client.get(reverse("dossiers:desk_dossier", args=[dossier.code])).status_code == status, name
        attachment = Attachment.objects.filter(dossier=dossier).first()
        assert client.get(reverse("dossiers:file", args=[attachment.public_id])).status_code == status, name
    assert client.get(reverse("dossiers:desk_dossier", args=["H99.01-000000-0000"])).status_code == 404
