"""The filing flow through the web pages, as a browser without JavaScript would use it."""

import re

import pytest
from django.urls import reverse

from dossiers.constants import Status
from dossiers.models import Dossier
from procedures.models import DossierComponent, FormField
from tests.dossiers.conftest import EXE, PDF, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client, citizen):
    client.force_login(citizen)
    return client


def start(client, version):
    response = client.post(reverse("dossiers:new", args=[version.procedure.code]), {"agency": "H99.01"})
    assert response.status_code == 302
    return Dossier.objects.get(status=Status.DRAFT)


def test_start_requires_login_and_returns_there_after_login(client, version):
    url = reverse("dossiers:new", args=[version.procedure.code])
    response = client.get(url)
    assert response.status_code == 302 and f"next={url}" in response["Location"]


def test_full_flow_through_the_pages(logged_in, version):
    client = logged_in
    draft = start(client, version)
    pid = draft.public_id
    page = client.get(reverse("dossiers:draft", args=[pid]))
    assert [t.state for t in page.context["tasks"]] == ["done", "todo", "todo", "todo", "todo"]

    # Section 1 with a wrong date and a choice not offered: errors, and what was typed is kept.
    bad = {"f_ho_ten_tre": "Nguyễn Bảo An", "f_ngay_sinh": "31/02/2026", "f_gioi_tinh": "khac"}
    response = client.post(reverse("dossiers:draft_form", args=[pid, 0]), bad)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ngày không đúng định dạng" in html and "Lựa chọn không có trong danh sách" in html
    assert 'value="Nguyễn Bảo An"' in html
    draft.refresh_from_db()
    assert draft.answers["ho_ten_tre"] == "Nguyễn Bảo An"  # saved even though the section is not done

    good = {"f_ho_ten_tre": "Nguyễn Bảo An", "f_ngay_sinh": "20/11/2026", "f_gioi_tinh": "nam"}
    response = client.post(reverse("dossiers:draft_form", args=[pid, 0]), good)
    assert response["Location"] == reverse("dossiers:draft_form", args=[pid, 1])
    client.post(reverse("dossiers:draft_form", args=[pid, 1]), {"f_cccd_me": "017199000123"})

    first, second, _ = version.components.all()
    client.post(reverse("dossiers:draft_documents", args=[pid]), {"component": first.id, "file": pdf("a.pdf")})
    response = client.post(
        reverse("dossiers:draft_documents", args=[pid]),
        {"component": second.id, "file": pdf("virus.pdf", EXE)},
        follow=True,
    )
    assert "không phải là PDF" in response.content.decode()
    client.post(reverse("dossiers:draft_documents", args=[pid]), {"component": second.id, "file": pdf("b.pdf")})
    client.post(reverse("dossiers:draft_delivery", args=[pid]), {"delivery": "post", "address": ""})
    response = client.post(reverse("dossiers:draft_delivery", args=[pid]), {"delivery": "post", "address": ""})
    assert "Nhập địa chỉ nhận kết quả" in response.content.decode()
    client.post(reverse("dossiers:draft_delivery", args=[pid]), {"delivery": "desk"})

    check = client.get(reverse("dossiers:draft_check", args=[pid]))
    assert check.context["problems"] == []
    assert "20/11/2026" in check.content.decode() and "Nam" in check.content.decode()
    response = client.post(reverse("dossiers:draft_check", args=[pid]), {})
    assert "Bạn cần xác nhận lời cam đoan" in response.content.decode()

    # A double click: two identical POSTs file one dossier; both land on the confirmation.
    one = client.post(reverse("dossiers:draft_check", args=[pid]), {"declaration": "on"})
    two = client.post(reverse("dossiers:draft_check", args=[pid]), {"declaration": "on"})
    filed = Dossier.objects.get(public_id=pid)
    assert one["Location"] == two["Location"] == reverse("dossiers:submitted", args=[filed.code])
    assert Dossier.objects.count() == 1 and filed.status == Status.NEW
    confirmation = client.get(one["Location"]).content.decode()
    assert filed.code in confirmation and filed.lookup_key in confirmation


def test_tampered_field_is_refused_and_nothing_is_saved(logged_in, version):
    draft = start(logged_in, version)
    response = logged_in.post(
        reverse("dossiers:draft_form", args=[draft.public_id, 0]),
        {"f_ho_ten_tre": "An", "f_ngay_sinh": "2026-11-20", "f_gioi_tinh": "nam", "f_trang_thai": "da_duyet"},
    )
    assert "không thuộc thủ tục này" in response.content.decode()


def test_draft_resumes_with_its_answers_and_files(logged_in, version, citizen):
    draft = start(logged_in, version)
    pid = draft.public_id
    logged_in.post(
        reverse("dossiers:draft_form", args=[pid, 0]),
        {"f_ho_ten_tre": "An", "f_ngay_sinh": "2026-11-20", "f_gioi_tinh": "nu"},
    )
    first = version.components.first()
    logged_in.post(reverse("dossiers:draft_documents", args=[pid]), {"component": first.id, "file": pdf("a.pdf")})
    logged_in.logout()
    logged_in.force_login(citizen)
    mine = logged_in.get(reverse("dossiers:mine")).content.decode()
    assert reverse("dossiers:draft", args=[pid]) in mine
    tasks = logged_in.get(reverse("dossiers:draft", args=[pid])).context["tasks"]
    assert [t.state for t in tasks] == ["done", "done", "todo", "started", "todo"]
    form_page = logged_in.get(reverse("dossiers:draft_form", args=[pid, 0])).content.decode()
    assert 'value="An"' in form_page and re.search(r'value="nu"[^>]*checked', form_page)
    documents = logged_in.get(reverse("dossiers:draft_documents", args=[pid])).content.decode()
    assert "a.pdf" in documents


def test_draft_expiry_warning_on_the_list(logged_in, version, settings):
    from datetime import timedelta

    from django.utils import timezone

    from portal.models import Agency

    draft = start(logged_in, version)
    changed = timezone.now() - timedelta(days=25)
    Dossier.objects.filter(pk=draft.pk).update(updated_at=changed)
    Agency.objects.filter(pk=draft.agency_id).update(name="UBND xã <Thử> & Co")
    html = logged_in.get(reverse("dossiers:mine")).content.decode()
    deleted_on = timezone.localtime(changed + timedelta(days=settings.DOSSIER_DRAFT_EXPIRY_DAYS))
    assert f"Bản nháp sẽ bị xóa vào {deleted_on:%d/%m/%Y} nếu không tiếp tục." in html
    assert "UBND xã &lt;Thử&gt; &amp; Co" in html and "<Thử>" not in html
    assert f'href="{reverse("dossiers:draft", args=[draft.public_id])}"' in html
    Dossier.objects.filter(pk=draft.pk).update(updated_at=timezone.now())
    assert "Bản nháp sẽ bị xóa vào" not in logged_in.get(reverse("dossiers:mine")).content.decode()


def test_delete_draft(logged_in, version):
    draft = start(logged_in, version)
    response = logged_in.post(reverse("dossiers:draft_delete", args=[draft.public_id]))
    assert response.status_code == 302 and not Dossier.objects.exists()


def _grow(version, n_fields, n_components):
    version.status = "draft"
    version.save(update_fields=["status"])
    for i in range(n_fields):
        FormField.objects.create(
            version=version,
            order=10 + i,
            key=f"them_{i}",
            label_vi=f"Thêm {i}",
            field_type="text",
            required=False,
            section_vi="Người được khai sinh",
        )
    for i in range(n_components):
        DossierComponent.objects.create(version=version, order=10 + i, name=f"Giấy tờ thêm {i}", required=False)
    version.status = "published"
    version.save(update_fields=["status"])


@pytest.mark.parametrize("page", ["draft", "draft_form", "draft_documents", "draft_delivery", "draft_check"])
def test_filing_pages_run_a_fixed_number_of_queries(logged_in, version, page, django_assert_max_num_queries):
    draft = start(logged_in, version)
    args = [draft.public_id, 0] if page == "draft_form" else [draft.public_id]
    first = version.components.first()
    logged_in.post(
        reverse("dossiers:draft_documents", args=[draft.public_id]), {"component": first.id, "file": pdf("a.pdf")}
    )
    with django_assert_max_num_queries(30) as small:
        assert logged_in.get(reverse(f"dossiers:{page}", args=args)).status_code == 200
    baseline = len(small)  # read now: later requests reset the connection's query log
    _grow(version, n_fields=25, n_components=12)
    for _ in range(6):
        logged_in.post(
            reverse("dossiers:draft_documents", args=[draft.public_id]),
            {"component": first.id, "file": pdf("b.pdf", PDF + b"1")},
        )
    with django_assert_max_num_queries(baseline):
        assert logged_in.get(reverse(f"dossiers:{page}", args=args)).status_code == 200


def test_the_applicant_step_without_an_address_says_so_and_is_not_done(logged_in, version, citizen):
    """Issue 11, item 13: the step must not look untouched ("Chưa làm") or saved when the address is
    missing: the page says what is missing and the task list shows the step as started."""
    client = logged_in
    citizen.address = ""  # registered online: registration asks no address
    citizen.save(update_fields=["address"])
    draft = start(client, version)
    tasks = {t.key: t.state for t in client.get(reverse("dossiers:draft", args=[draft.public_id])).context["tasks"]}
    assert tasks["applicant"] == "started"
    url = reverse("dossiers:draft_applicant", args=[draft.public_id])
    data = {
        "relation": "self",
        "full_name": citizen.full_name,
        "national_id": citizen.national_id,
        "phone": citizen.phone,
        "email": citizen.email,
        "address": "",
    }
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200 and "Vui lòng nhập địa chỉ liên hệ" in html
    assert "Đã lưu thông tin người yêu cầu" not in html  # never "saved" for a step that is not done
    tasks = {t.key: t.state for t in client.get(reverse("dossiers:draft", args=[draft.public_id])).context["tasks"]}
    assert tasks["applicant"] == "started"  # filled in from the account, not yet done (was "Chưa làm")
    response = client.post(url, {**data, "address": "Thôn 3, xã Thử Nghiệm"})
    assert response.status_code == 302
    tasks = {t.key: t.state for t in client.get(reverse("dossiers:draft", args=[draft.public_id])).context["tasks"]}
    assert tasks["applicant"] == "done"


def test_the_paper_form_the_e_form_stands_for_is_not_asked_online(logged_in, version, staff):
    """Issue 11, item 14: online filers had to upload a scan of the form they had just filled in."""
    from dossiers.services import filing

    version.status = "draft"
    version.save(update_fields=["status"])
    form_component = version.components.get(name="Tờ khai")
    form_component.replaced_by_eform = True
    form_component.save()
    version.status = "published"
    version.save(update_fields=["status"])
    client = logged_in
    draft = start(client, version)
    page = client.get(reverse("dossiers:draft_documents", args=[draft.public_id]))
    assert [c.name for c, _files in page.context["rows"]] == ["Giấy chứng sinh", "Giấy ủy quyền"]
    problems = [p.message for p in filing.submission_problems(Dossier.objects.get(pk=draft.pk))]
    assert not any("Tờ khai" in m for m in problems) and any("Giấy chứng sinh" in m for m in problems)
    # An upload for it is refused online; at the counter the paper form is still received.
    refused = client.post(
        reverse("dossiers:draft_documents", args=[draft.public_id]),
        {"component": form_component.id, "file": pdf("to-khai.pdf")},
        follow=True,
    )
    assert "không thuộc thủ tục" in refused.content.decode()
    client.force_login(staff.desk)
    counter = client.get(reverse("dossiers:counter") + f"?procedure={version.procedure.code}")
    assert "Tờ khai" in counter.content.decode()
