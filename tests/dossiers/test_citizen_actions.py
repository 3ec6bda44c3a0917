import pytest
from django.urls import reverse

from dossiers.constants import Status
from dossiers.exceptions import ActionNotAllowed
from dossiers.models import Attachment, Rating
from dossiers.services import citizen as citizen_services
from dossiers.services import desk, uploads
from portal.constants import Role
from tests.dossiers.conftest import pdf, run_to
from tests.factories import AgencyFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk_officer(agency):
    return MembershipFactory(agency=agency, role=Role.DESK_OFFICER).user


@pytest.fixture
def outsider_staff():
    return MembershipFactory(agency=AgencyFactory(code="OTHER"), role=Role.DESK_OFFICER).user


def test_supplement_round_trip_keeps_earlier_versions(client, filed, citizen, desk_officer, version):
    birth_certificate = version.components.all()[1]
    desk.dossier_request_supplement(
        dossier=filed,
        actor=desk_officer,
        note="Bổ sung một lần",
        items=[
            {
                "kind": "component",
                "ref": birth_certificate.id,
                "label": birth_certificate.name,
                "reason": "Bản chụp mờ",
            },
            {"kind": "field", "ref": "cccd_me", "label": "CCCD của mẹ", "reason": "Sai số CCCD"},
        ],
    )
    filed.refresh_from_db()
    assert filed.status == Status.SUPPLEMENT_REQUESTED
    client.force_login(citizen)
    response = client.get(reverse("dossiers:supplement", args=[filed.code]))
    page = response.content.decode()
    assert "Bản chụp mờ" in page and "Sai số CCCD" in page
    # Exactly the requested items are editable, nothing else.
    assert [c.name for c, _files, _reason in response.context["rows"]] == ["Giấy chứng sinh"]
    assert list(response.context["form"].fields) == ["f_cccd_me"]

    # Sending before fixing anything is refused with the list of what is missing.
    response = client.post(
        reverse("dossiers:supplement", args=[filed.code]), {"f_cccd_me": "017199000999", "send": "1"}, follow=True
    )
    assert "Chưa đính kèm giấy tờ mới" in response.content.decode()
    # An item that was not requested cannot be changed.
    with pytest.raises(ActionNotAllowed):
        uploads.attachment_add(dossier=filed, actor=citizen, component=version.components.all()[0], upload=pdf())

    client.post(
        reverse("dossiers:supplement", args=[filed.code]),
        {"upload": "1", "component": birth_certificate.id, "file": pdf("ro-net.pdf")},
    )
    old = Attachment.objects.get(dossier=filed, component=birth_certificate, original_name="chung-sinh.pdf")
    uploads.attachment_remove(attachment=old, actor=citizen)
    response = client.post(
        reverse("dossiers:supplement", args=[filed.code]), {"f_cccd_me": "017199000999", "send": "1"}
    )
    assert response.status_code == 302
    filed.refresh_from_db()
    assert filed.status == Status.NEW  # back to where it was when the desk asked
    assert filed.answers["cccd_me"] == "017199000999"
    old.refresh_from_db()
    assert old.is_current is False and old.superseded_at is not None  # the history keeps it
    assert filed.supplements.get().responded_at is not None


def test_withdrawal_request_needs_a_reason(client, filed, citizen):
    client.force_login(citizen)
    response = client.post(reverse("dossiers:withdraw", args=[filed.code]), {"reason": ""})
    assert "Vui lòng nêu lý do" in response.content.decode()
    client.post(reverse("dossiers:withdraw", args=[filed.code]), {"reason": "Nộp nhầm thủ tục"})
    filed.refresh_from_db()
    assert filed.status == Status.WITHDRAWAL_REQUESTED
    assert filed.events.last().note == "Nộp nhầm thủ tục"


def test_withdrawal_is_refused_once_the_result_is_ready(filed, citizen, staff):
    run_to(filed, "result_ready", staff)
    with pytest.raises(ActionNotAllowed):
        citizen_services.dossier_request_withdrawal(dossier=filed, actor=citizen, reason="muộn")


RATING = {
    "timeliness": "5",
    "contacts": "4",
    "information_accuracy": "5",
    "staff_attitude": "5",
    "cost": "5",
    "complaint_made": "no",
    "overall": "satisfied",
    "comment": "Nhanh gọn",
}


def test_rating_once_after_the_result(client, filed, citizen, staff):
    client.force_login(citizen)
    response = client.post(reverse("dossiers:rate", args=[filed.code]), RATING, follow=True)
    assert "Chỉ đánh giá được hồ sơ đã có kết quả" in response.content.decode()
    run_to(filed, "returned", staff)
    assert "rate" in client.get(reverse("dossiers:detail", args=[filed.code])).context["actions"]
    response = client.post(reverse("dossiers:rate", args=[filed.code]), {**RATING, "overall": ""})
    assert "Vui lòng chọn một mức đánh giá" in response.content.decode()
    client.post(reverse("dossiers:rate", args=[filed.code]), RATING)
    client.post(reverse("dossiers:rate", args=[filed.code]), {**RATING, "overall": "dissatisfied"})
    assert Rating.objects.get().overall == "satisfied"
    assert "rate" not in client.get(reverse("dossiers:detail", args=[filed.code])).context["actions"]


def test_the_sixth_criterion_complaint_handling_is_asked_of_those_who_complained(client, filed, citizen, staff):
    """Issue 11, item 7 (Decree 61 Art. 31)."""
    run_to(filed, "returned", staff)
    client.force_login(citizen)
    url = reverse("dossiers:rate", args=[filed.code])
    assert "Việc tiếp nhận, xử lý phản ánh, kiến nghị" in client.get(url).content.decode()
    missing = client.post(url, {**RATING, "complaint_made": "yes"})
    assert missing.status_code == 200 and "Hãy đánh giá việc tiếp nhận, xử lý phản ánh" in missing.content.decode()
    assert "Nhanh gọn" in missing.content.decode()  # what was typed is kept
    client.post(url, {**RATING, "complaint_made": "yes", "complaint_handling": "2"})
    rating = Rating.objects.get()
    assert (rating.complaint_made, rating.complaint_handling) == (True, 2)


def test_no_complaint_stores_no_complaint_score(client, filed, citizen, staff):
    run_to(filed, "returned", staff)
    client.force_login(citizen)
    client.post(reverse("dossiers:rate", args=[filed.code]), {**RATING, "complaint_handling": "5"})
    rating = Rating.objects.get()
    assert (rating.complaint_made, rating.complaint_handling) == (False, None)


def test_the_service_refuses_a_complaint_without_its_score(filed, citizen, staff):
    from dossiers.services import citizen as citizen_services
    from portal.exceptions import ApplicationError

    dossier = run_to(filed, "returned", staff)
    scores = {k: int(RATING[k]) for k in ("timeliness", "contacts", "information_accuracy", "staff_attitude", "cost")}
    with pytest.raises(ApplicationError, match="xử lý phản ánh"):
        citizen_services.dossier_rate(
            dossier=dossier, actor=citizen, **scores, overall="neutral", complaint_made=True, complaint_handling=None
        )
    assert not Rating.objects.exists()


def test_a_citizen_cannot_make_a_staff_move(filed, citizen):
    with pytest.raises(ActionNotAllowed):
        desk.dossier_request_supplement(
            dossier=filed, actor=citizen, items=[{"kind": "field", "ref": "cccd_me", "label": "x", "reason": "y"}]
        )


def test_tracking_shows_status_and_nothing_personal(client, filed):
    response = client.get(reverse("dossiers:track"), {"code": filed.code, "key": filed.lookup_key.lower()})
    html = response.content.decode()
    assert response.context["dossier"] == filed
    assert "Mới đăng ký" in html
    for personal in ("Nguyễn Văn Bố", "017095001111", "Nguyễn Bảo An", "0987111222"):
        assert personal not in html
    wrong = client.get(reverse("dossiers:track"), {"code": filed.code, "key": "AAAAAA"})
    assert wrong.context["dossier"] is None and "Không tìm thấy hồ sơ" in wrong.content.decode()


# --- the access matrix ---------------------------------------------------------------------------


def _urls(dossier):
    attachment = dossier.attachments.first()
    return {
        "page": reverse("dossiers:detail", args=[dossier.code]),
        "file": reverse("dossiers:file", args=[attachment.public_id]),
        "withdraw": reverse("dossiers:withdraw", args=[dossier.code]),
        "rate": reverse("dossiers:rate", args=[dossier.code]),
        "supplement": reverse("dossiers:supplement", args=[dossier.code]),
    }


@pytest.mark.parametrize("who", ["owner", "other_citizen", "anonymous", "agency_staff", "other_staff"])
def test_access_matrix(client, filed, citizen, desk_officer, outsider_staff, who):
    users = {
        "owner": citizen,
        "other_citizen": UserFactory(),
        "anonymous": None,
        "agency_staff": desk_officer,
        "other_staff": outsider_staff,
    }
    if users[who]:
        client.force_login(users[who])
    urls = _urls(filed)
    codes = {name: client.get(url).status_code for name, url in urls.items()}
    expected = {
        "owner": {"page": 200, "file": 200, "withdraw": 200, "rate": 302, "supplement": 302},
        "other_citizen": dict.fromkeys(urls, 404),
        "anonymous": {"page": 302, "file": 404, "withdraw": 302, "rate": 302, "supplement": 302},
        # Staff handle dossiers on the desk pages; of the citizen's pages they may open only the files.
        "agency_staff": {**dict.fromkeys(urls, 404), "file": 200},
        "other_staff": dict.fromkeys(urls, 404),
    }[who]
    assert codes == expected
    # A POST to an action is refused the same way and changes nothing.
    if who != "owner":
        client.post(urls["withdraw"], {"reason": "giả mạo"})
        filed.refresh_from_db()
        assert filed.status == Status.NEW


def test_file_download_headers(client, filed, citizen):
    client.force_login(citizen)
    response = client.get(_urls(filed)["file"])
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"


def test_another_citizens_draft_is_404(client, ready_draft):
    client.force_login(UserFactory())
    for name in ("draft", "draft_applicant", "draft_documents", "draft_delivery", "draft_check"):
        assert client.get(reverse(f"dossiers:{name}", args=[ready_draft.public_id])).status_code == 404
    assert (
        client.post(reverse("dossiers:draft_check", args=[ready_draft.public_id]), {"declaration": "on"}).status_code
        == 404
    )
    assert client.post(reverse("dossiers:draft_delete", args=[ready_draft.public_id])).status_code == 404


def test_tracking_is_rate_limited_per_address(client, filed, settings):
    from django.core.cache import cache

    settings.PORTAL_RATE_TRACK = "20/h"
    cache.clear()
    for _ in range(20):
        assert client.get(reverse("dossiers:track"), {"code": filed.code, "key": "ZZZZZZ"}).status_code == 200
    response = client.get(reverse("dossiers:track"), {"code": filed.code, "key": filed.lookup_key})
    assert response.status_code == 429 and "quá nhiều lần" in response.content.decode()
    assert response.context["dossier"] is None
