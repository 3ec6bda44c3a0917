"""What the dossier pages read: the version's parts from the catalog's kept copy (never a draft's),
the events as a timeline, and a number of queries that does not grow with the dossier's events."""

import pytest
from django.urls import reverse

from dossiers import selectors
from dossiers.services.events import event_append
from procedures import services as catalog
from procedures.selectors import version_with_parts

pytestmark = pytest.mark.django_db


def test_a_published_version_is_kept_and_a_draft_is_read_afresh(version, django_assert_num_queries):
    names = [c.name for c in version.components.all()]
    kept = version_with_parts(pk=version.pk)
    with django_assert_num_queries(0):
        assert version_with_parts(pk=version.pk) is kept
        assert [c.name for c in kept.components.all()] == names

    draft = catalog.procedure_version_clone(version=version)
    first = version_with_parts(pk=draft.pk)
    draft.components.all().delete()
    again = version_with_parts(pk=draft.pk)
    assert again is not first and list(again.components.all()) == []


def test_the_staff_page_shows_each_event_with_its_actor_in_a_fixed_number_of_queries(
    client, filed, staff, django_assert_max_num_queries
):
    client.force_login(staff.desk)
    url = reverse("dossiers:desk_dossier", args=[filed.code])
    client.get(url)  # the version's parts are read once and kept
    with django_assert_max_num_queries(12) as few:
        response = client.get(url)
    for n in range(15):
        event_append(dossier=filed, actor=staff.leader, action="assign", note=f"ghi chú {n}")
    with django_assert_max_num_queries(len(few)):
        response = client.get(url)
    html = response.content.decode()
    assert html.count("Lãnh Đạo") >= 15 and "ghi chú 14" in html


def test_the_citizen_timeline_leaves_out_the_draft_events(client, filed, citizen):
    event_append(dossier=filed, actor=citizen, action="create", to_status="draft", note="nháp riêng")
    assert any(e.to_status == "draft" for e in selectors.timeline(filed))
    client.force_login(citizen)
    html = client.get(reverse("dossiers:detail", args=[filed.code])).content.decode()
    assert "nháp riêng" not in html
    assert filed.get_status_display() in html


def test_my_dossiers_links_each_dossier_and_pages_in_a_fixed_number_of_queries(
    client, ready_draft, citizen, django_assert_max_num_queries
):
    from dossiers.services import filing
    from tests.dossiers.test_concurrency import clone_ready_draft

    drafts = [ready_draft, *clone_ready_draft(ready_draft, 22)]
    filed = [filing.dossier_submit(dossier=d, actor=citizen, declaration=True) for d in drafts[:21]]
    client.force_login(citizen)
    with django_assert_max_num_queries(8):
        first = client.get(reverse("dossiers:mine")).content.decode()
    second = client.get(reverse("dossiers:mine"), {"page": 2}).content.decode()
    both = first + second
    for dossier in filed:
        assert f'href="{reverse("dossiers:detail", args=[dossier.code])}"' in both
    for draft in drafts[21:]:
        assert f'href="{reverse("dossiers:draft", args=[draft.public_id])}"' in both
    assert first.count('class="bg-white rounded shadow-sm p-3 mb-2"') == 20 and "page=2" in first
    assert filed[0].get_status_display() in both and filed[0].version.procedure.name in both


def test_submitting_reads_the_version_parts_from_the_kept_copy(ready_draft, citizen, django_assert_max_num_queries):
    from dossiers.services import filing
    from procedures.models import DossierComponent, FormField

    version_with_parts(pk=ready_draft.version_id)  # kept, as after the citizen's earlier steps
    with django_assert_max_num_queries(30) as queries:
        filed = filing.dossier_submit(dossier=ready_draft, actor=citizen, declaration=True)
    assert filed.code
    part_tables = {DossierComponent._meta.db_table, FormField._meta.db_table}
    assert not [q["sql"] for q in queries.captured_queries if any(f'FROM "{t}"' in q["sql"] for t in part_tables)]
    exists_checks = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT 1 AS")]
    assert exists_checks == []  # no full_clean() look-up of each related row


def test_submitting_for_someone_else_notifies_the_filer_and_the_applicant_once_each(ready_draft, citizen):
    from dossiers.models import Dossier
    from dossiers.services import filing
    from portal.models import Notification
    from tests.factories import UserFactory

    mother = UserFactory(full_name="Lò Thị Mai")
    Dossier.objects.filter(pk=ready_draft.pk).update(applicant=mother)
    ready_draft.refresh_from_db()
    filed = filing.dossier_submit(dossier=ready_draft, actor=citizen, declaration=True)
    filing.dossier_submit(dossier=ready_draft, actor=citizen, declaration=True)  # a double click
    sent = Notification.objects.filter(event="dossier_submitted", channel="in_app")
    assert sorted(sent.values_list("recipient_id", flat=True)) == sorted([citizen.pk, mother.pk])
    assert all(filed.version.procedure.name in n.body and filed.code in n.subject for n in sent)


def test_a_dossiers_files_requests_and_tasks_come_with_it(filed, staff, django_assert_num_queries):
    """_with_parts gives `dossier.attachments.all()` and the like as prefetch_related would: no
    further query for the lists or for each row's way back to its dossier, and the same rows."""
    from dossiers.queues import staff_memberships  # noqa: F401  (memberships read before counting)

    staff_memberships(staff.desk)
    dossier = selectors.dossier_get_for_staff(user=staff.desk, code=filed.code)
    expected = list(filed.attachments.select_related("component").order_by("component__order", "created_at"))
    with django_assert_num_queries(0):
        files = list(dossier.attachments.all())
        assert all(f.dossier is dossier for f in files)
        assert [f.component.name for f in files] == [f.component.name for f in expected]
        assert list(dossier.supplements.all()) == []
    assert files == expected and expected


def test_the_staff_page_reads_inter_agency_tasks_only_while_they_await_replies(client, filed, staff):
    """The tasks serve the reply form: a dossier waiting for another agency comes with them (no
    further query), any other is read without them; the replies' history is in the timeline."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dossiers.services import desk
    from tests.dossiers.conftest import run_to
    from tests.factories import AgencyFactory

    dossier = run_to(filed, "appraising", staff)
    client.force_login(staff.specialist)
    url = reverse("dossiers:desk_dossier", args=[dossier.code])
    client.get(url)
    with CaptureQueriesContext(connection) as read:
        assert client.get(url).status_code == 200
    assert not [q for q in read.captured_queries if "interagencytask" in q["sql"]]

    partner = AgencyFactory(code="H99.TN", name="Phòng Tài nguyên")
    desk.dossier_forward(dossier=dossier, actor=staff.specialist, tasks=[(partner, "Xác minh", dossier.due_at.date())])
    waiting = selectors.dossier_get_for_staff(user=staff.specialist, code=dossier.code)
    with CaptureQueriesContext(connection) as read:
        assert [t.agency.code for t in waiting.agency_tasks.all()] == ["H99.TN"]
    assert read.captured_queries == []
    assert "Phòng Tài nguyên: Xác minh" in client.get(url).content.decode()


def test_the_citizen_page_reads_the_extension_letter_with_the_dossier(filed, citizen, staff, django_assert_num_queries):
    """Form 04 (the apology and new date) shows on the citizen's page: it comes in the dossier's own
    statement, whether there is one or not."""
    from django.utils import timezone

    from dossiers.models import ExtensionLetter

    dossier = selectors.dossier_get_for_owner(user=citizen, code=filed.code)
    with django_assert_num_queries(0):
        assert getattr(dossier, "extension", None) is None
    ExtensionLetter.objects.create(
        dossier=filed,
        issued_by=staff.leader,
        previous_due_at=timezone.now(),
        new_due_at=timezone.now() + timezone.timedelta(days=3),
        reason="Cần xác minh thêm",
        created_at=timezone.now(),
    )
    dossier = selectors.dossier_get_for_owner(user=citizen, code=filed.code)
    with django_assert_num_queries(0):
        assert dossier.extension.reason == "Cần xác minh thêm"


def test_the_timeline_read_once_compiled_is_what_the_queryset_gives(filed, staff, django_assert_num_queries):
    """The history, by a statement compiled once per process, holds the queryset's rows with Django's
    converters applied (a time with its zone on every database), the public one without drafts."""
    from django.utils import timezone

    from dossiers.models import DossierEvent

    events = DossierEvent.objects.filter(dossier=filed).order_by("created_at", "id")
    with django_assert_num_queries(1):
        staff_view = selectors.timeline(filed)
    expected = list(events.values_list("created_at", "action", "actor__full_name"))
    assert [(e.at, e.action, e.actor_name) for e in staff_view] == [(at, a, n or "") for at, a, n in expected]
    assert staff_view and all(timezone.is_aware(e.at) for e in staff_view)
    public = selectors.timeline(filed, public_only=True)
    assert [e.action for e in public] == list(
        events.filter(public=True).exclude(to_status="draft").values_list("action", flat=True)
    )


def test_the_citizen_page_lists_files_and_steps_escaped(client, filed, citizen):
    """The citizen's page: each current file with its component, size and the desk's scan mark, the
    replaced ones with when, the public steps with their status and note; every name escaped."""
    from django.utils import timezone

    from dossiers.models import Attachment, DossierEvent

    current, replaced = list(filed.attachments.order_by("id"))[:2]
    Attachment.objects.filter(pk=current.pk).update(original_name="<b>giay.pdf</b>", is_digitised=True, size=2048)
    when = timezone.now() - timezone.timedelta(hours=3)
    Attachment.objects.filter(pk=replaced.pk).update(is_current=False, superseded_at=when, original_name="cu & cũ.pdf")
    DossierEvent.objects.create(
        dossier=filed, action="calendar_change", note="Ghi chú <i>nghiêng</i>", created_at=timezone.now()
    )
    DossierEvent.objects.create(dossier=filed, action="assign", note="nội bộ", public=False, created_at=timezone.now())
    client.force_login(citizen)
    html = client.get(reverse("dossiers:detail", args=[filed.code])).content.decode()
    current_link = reverse("dossiers:file", args=[current.public_id])
    assert f'<a href="{current_link}">&lt;b&gt;giay.pdf&lt;/b&gt;</a>' in html and "<b>giay" not in html
    assert "(2 KB, bản số hóa do cán bộ Một cửa quét tại quầy)" in html
    assert f"{current.component.name}: " in html
    old = html[html.index("Phiên bản trước của giấy tờ") :]
    assert "cu &amp; cũ.pdf" in old and f"thay thế lúc {timezone.localtime(when):%H:%M %d/%m/%Y}" in old
    steps = html[html.index("Quá trình xử lý") :]
    assert "Đã nộp hồ sơ trực tuyến" in steps and "Ghi chú &lt;i&gt;nghiêng&lt;/i&gt;" in steps
    assert "Ngày hẹn thay đổi theo lịch làm việc" in steps and "nội bộ" not in steps
