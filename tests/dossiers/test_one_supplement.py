"""Issue 11, item 1: the law asks for everything missing at once ("một lần đầy đủ"). A second
supplement request at the same step (the desk check, or appraisal) is refused with a clear message, and
each request that is made reaches the citizen (notifications key on the move's event, not on its kind)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from dossiers.constants import Stage
from dossiers.exceptions import ActionNotAllowed
from dossiers.services import citizen as citizen_services
from dossiers.services import desk, uploads
from portal.models import Notification
from tests.dossiers.conftest import pdf, run_to

pytestmark = pytest.mark.django_db


def ask(dossier, actor, component, reason="Bản chụp mờ"):
    return desk.dossier_request_supplement(
        dossier=dossier, actor=actor, items=[{"kind": "component", "ref": component.id, "reason": reason}]
    )


def answer(dossier, citizen, component):
    uploads.attachment_add(dossier=dossier, actor=citizen, component=component, upload=pdf("ban-moi.pdf"))
    return citizen_services.dossier_submit_supplement(dossier=dossier, actor=citizen)


def supplement_notices(citizen):
    return Notification.objects.filter(recipient=citizen, event="dossier_supplement", channel="in_app")


def test_a_second_request_at_the_desk_check_is_refused(filed, staff, citizen, version):
    component = version.components.first()
    ask(filed, staff.desk, component)
    dossier = answer(filed, citizen, component)
    assert dossier.stage == Stage.CHECKING
    with pytest.raises(ActionNotAllowed, match="một lần đầy đủ") as refusal:
        ask(dossier, staff.desk, component, reason="Lại thiếu")
    assert "từ chối tiếp nhận (Mẫu 03)" in refusal.value.message
    dossier.refresh_from_db()
    assert dossier.stage == Stage.CHECKING and dossier.supplements.count() == 1


def test_a_second_request_during_appraisal_is_refused(filed, staff, citizen, version):
    component = version.components.first()
    dossier = run_to(filed, "appraising", staff)
    ask(dossier, staff.specialist, component)
    dossier = answer(dossier, citizen, component)
    assert dossier.stage == Stage.APPRAISING
    with pytest.raises(ActionNotAllowed, match="một lần đầy đủ"):
        ask(dossier, staff.specialist, component)
    assert dossier.supplements.count() == 1


def test_one_request_at_each_step_and_the_citizen_hears_of_both(filed, staff, citizen, version):
    component = version.components.first()
    ask(filed, staff.desk, component)
    dossier = answer(filed, citizen, component)
    dossier = run_to(dossier, "appraising", staff)
    ask(dossier, staff.specialist, component, reason="Thiếu dấu")
    assert dossier.supplements.count() == 2
    notices = list(supplement_notices(citizen).order_by("created_at"))
    assert len(notices) == 2
    assert "Bản chụp mờ" in notices[0].body and "Thiếu dấu" in notices[1].body


def test_the_desk_page_no_longer_offers_the_form_and_a_post_changes_nothing(client, filed, staff, citizen, version):
    component = version.components.first()
    ask(filed, staff.desk, component)
    dossier = answer(filed, citizen, component)
    client.force_login(staff.desk)
    page = client.get(reverse("dossiers:desk_dossier", args=[dossier.code]))
    html = page.content.decode()
    assert "request_supplement" not in page.context["actions"] and 'id="supplement-done"' in html
    response = client.post(
        reverse("dossiers:desk_act", args=[dossier.code, "request_supplement"]),
        {"expected_stage": "checking", "item": [f"component:{component.id}"], f"reason_component:{component.id}": "X"},
        follow=True,
    )
    assert "một lần đầy đủ" in response.content.decode()
    assert dossier.supplements.count() == 1 and supplement_notices(citizen).count() == 1


def test_the_desk_sees_what_the_answer_replaced(client, filed, staff, citizen, version):
    """Issue 11, item 13: a supplement request showed no list of what was replaced."""
    component = version.components.first()
    before = filed.attachments.get(component=component, is_current=True)
    ask(filed, staff.desk, component)
    dossier = answer(filed, citizen, component)
    client.force_login(staff.desk)
    page = client.get(reverse("dossiers:desk_dossier", args=[dossier.code]))
    [(request, [item], number)] = page.context["supplement_history"]
    assert number == 1
    assert item.reason == "Bản chụp mờ" and [f.pk for f in item.replaced] == [before.pk]
    assert [f.original_name for f in item.added] == ["ban-moi.pdf"]
    html = page.content.decode()
    assert f"<del>{before.original_name}</del>" in html and "ban-moi.pdf" in html
    section = html[html.index('id="supplements"') :]
    form_02 = reverse("dossiers:desk_form", args=[dossier.code, "02"])
    asked = timezone.localtime(request.created_at).strftime("%H:%M %d/%m/%Y")
    answered = timezone.localtime(request.responded_at).strftime("%H:%M %d/%m/%Y")
    assert f'<a href="{form_02}?n=1">Mẫu 02 (1)</a> · Yêu cầu lúc {asked} · đã bổ sung lúc {answered}' in section
    new = item.added[0]
    assert f"<strong>{item.label}</strong>: Bản chụp mờ" in section
    assert f'Thay <a href="{reverse("dossiers:file", args=[before.public_id])}"><del>' in section
    assert f'→ <a href="{reverse("dossiers:file", args=[new.public_id])}">ban-moi.pdf</a>' in section
